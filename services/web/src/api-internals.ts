/** Pieces of @quipu/api the pages share with the JSON API (one place, no copies). */
export {
  checkCsrf,
  presentPublicTicket,
  presentStaffSummary,
  presentTicketForReporter,
  presentTicketForStaff,
  presentTicketSummary,
  rateLimit,
  SESSION_COOKIE,
} from '@quipu/api';
