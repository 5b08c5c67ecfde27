export {
  type AuthState,
  authenticate,
  checkCsrf,
  clearSessionCookie,
  requireStaff,
  SESSION_COOKIE,
  setSessionCookie,
} from './auth.ts';
export type { AppDeps, Mount, RequestState } from './context.ts';
export * from './errors.ts';
export { presentReport } from './presenters/report.ts';
export {
  presentPublicTicket,
  presentStaffSummary,
  presentTicketForReporter,
  presentTicketForStaff,
  presentTicketSummary,
} from './presenters/ticket.ts';
export { rateLimit } from './rate-limit.ts';
