import Router from '@koa/router';
import type { AppDeps } from '@quipu/http';
import { page } from '../../handler.ts';
import { inbox } from './inbox.ts';
import { loginPages } from './login.ts';
import { requireStaffPage } from './staff.ts';
import { ticketPages } from './ticket.ts';
import { ticketActionPages } from './ticket-actions.ts';

/** The officers' desk: sign-in, the inbox, a ticket and what may be done to it (one module per page). */
export function deskPages(deps: AppDeps): Router {
  const router = new Router();
  const staff = requireStaffPage();
  loginPages(router, deps, staff);
  router.get('/mesa', staff, page(inbox));
  ticketPages(router, staff);
  ticketActionPages(router, staff);
  return router;
}
