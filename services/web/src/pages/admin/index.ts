import Router from '@koa/router';
import type { AppDeps } from '@quipu/http';
import { page } from '../../handler.ts';
import { requireStaffPage } from '../desk/staff.ts';
import { organisationPages } from './organisations.ts';
import { overview } from './overview.ts';
import { canSeeAdmin, isAdmin, requireRoles } from './shared.ts';
import { teamPages } from './teams.ts';
import { userPages } from './users.ts';

/**
 * Administration of organisations, teams and staff in the desk, over the API's admin routes:
 * the same commands and repository calls, the same roles (managers read their subtree,
 * admins change everything). One module per page: overview, organisations, teams, users.
 */
export function adminPages(_deps: AppDeps): Router {
  const router = new Router();
  const staff = requireStaffPage();
  const reader = requireRoles(canSeeAdmin);
  const admin = requireRoles(isAdmin);

  router.get('/mesa/admin', staff, reader, page(overview));
  organisationPages(router, { staff, admin });
  teamPages(router, { staff, admin });
  userPages(router, { staff, admin });
  return router;
}
