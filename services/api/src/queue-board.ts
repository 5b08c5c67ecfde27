import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { KoaAdapter } from '@bull-board/koa';
import { type AppDeps, forbidden, unauthenticated } from '@quipu/http';
import { QUEUE_NAMES } from '@quipu/queue';
import type Koa from 'koa';

export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * The queue monitor (bull-board) for admins: jobs waiting, delayed, failed — inspect and retry.
 * Its own bundled UI needs inline styles and scripts, so its pages get a looser CSP.
 */
export function mountQueueBoard(app: Koa, deps: AppDeps): void {
  const serverAdapter = new KoaAdapter();
  serverAdapter.setBasePath(QUEUE_BOARD_PATH);
  createBullBoard({
    queues: QUEUE_NAMES.map((name) => new BullMQAdapter(deps.queues.get(name))),
    serverAdapter,
  });
  const board = serverAdapter.registerPlugin();
  app.use(async function queueBoardGate(ctx, next) {
    if (ctx.path !== QUEUE_BOARD_PATH && !ctx.path.startsWith(`${QUEUE_BOARD_PATH}/`)) return await next();
    const principal = ctx.state.principal as { roles: string[] } | undefined;
    if (!principal) throw unauthenticated();
    if (!principal.roles.includes('admin')) throw forbidden('The queue monitor is for admins.');
    ctx.set(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
    );
    await board(ctx as never, next);
  });
}
