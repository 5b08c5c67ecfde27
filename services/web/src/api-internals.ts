/**
 * Pieces of @quipu/api the pages share with the JSON API. The API package exports only its
 * app; until it exports these too (one line each in services/api/src/index.ts), they are
 * reached by path here, in one place, so the pages never grow copies of them.
 */
export { checkCsrf, SESSION_COOKIE } from '../../api/src/middleware/auth.ts';
export { rateLimit } from '../../api/src/middleware/rate-limit.ts';
export {
  presentPublicTicket,
  presentStaffSummary,
  presentTicketForReporter,
  presentTicketForStaff,
  presentTicketSummary,
} from '../../api/src/presenters/ticket.ts';
