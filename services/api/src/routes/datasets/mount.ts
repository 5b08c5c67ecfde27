import type Router from '@koa/router';
import type { CommandContext } from '@quipu/commands';
import type { AppDeps } from '@quipu/http';
import { badgesRouter } from '../badges/router.ts';
import { reportsRouter } from '../reports/router.ts';
import { datasetsRouter } from './router.ts';

/** The quality routers (dataset quality and admin catalog, reports, badges), mounted by app.ts in one line. */
export function qualityRouters(deps: AppDeps, commands: CommandContext): Router[] {
  return [datasetsRouter(deps, commands), reportsRouter(deps), badgesRouter(deps)];
}
