/** Pieces of @quipu/api the pages share with the JSON API (one place, no copies). */
export {
  checkCsrf,
  clearSessionCookie,
  findPublicReport,
  presentPublicTicket,
  presentReport,
  presentStaffSummary,
  presentTicketForReporter,
  presentTicketForStaff,
  presentTicketSummary,
  rateLimit,
  SESSION_COOKIE,
  setSessionCookie,
} from '@quipu/api';
