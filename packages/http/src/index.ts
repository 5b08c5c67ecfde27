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
export { publicRateLimit, rateLimit } from './rate-limit.ts';
// Input schemas the API parses with (and documents in OpenAPI) and the web's forms parse with.
export { reporterCommentBody } from './schemas/comments.ts';
export {
  organisationBody,
  organisationPatch,
  teamBody,
  teamPatch,
  userBody,
  userPatch,
} from './schemas/directory.ts';
export { complaintBody, dataRequestBody } from './schemas/intake.ts';
export { subscribeBody } from './schemas/support.ts';
export { tokenBody } from './schemas/tokens.ts';
export { transferBody } from './schemas/transfer.ts';
