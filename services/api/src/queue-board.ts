import { timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { KoaAdapter } from '@bull-board/koa';
import { type AppDeps, forbidden, unauthenticated } from '@quipu/http';
import { QUEUE_NAMES } from '@quipu/queue';
import type Koa from 'koa';

export const QUEUE_BOARD_PATH = '/admin/queues';

/**
 * The monitor's bundled UI cannot send our `X-CSRF-Token`, but its HTTP client (axios) copies
 * the `XSRF-TOKEN` cookie into an `X-XSRF-TOKEN` header on every same-origin request. So the
 * board's pages set that cookie to the session's CSRF token (readable by scripts, for this path
 * only) and its state-changing calls must echo it: a cross-site form or script cannot read it.
 */
const XSRF_COOKIE = 'XSRF-TOKEN';
const SAFE = new Set(['GET', 'HEAD', 'OPTIONS']);

function sameToken(sent: string, expected: string | undefined): boolean {
  if (!sent || !expected) return false;
  const a = Buffer.from(sent);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

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
    if (ctx.state.via === 'session') {
      const csrfToken = ctx.state.csrfToken as string | undefined;
      if (SAFE.has(ctx.method)) {
        ctx.cookies.set(XSRF_COOKIE, csrfToken ?? null, {
          httpOnly: false,
          sameSite: 'strict',
          secure: deps.config.http.publicBaseUrl.startsWith('https:'),
          path: QUEUE_BOARD_PATH,
          overwrite: true,
        });
      } else if (!sameToken(ctx.get('X-XSRF-Token') || ctx.get('X-CSRF-Token'), csrfToken)) {
        throw forbidden('Missing or wrong CSRF token.');
      }
    }
    ctx.set(
      'Content-Security-Policy',
      "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:",
    );
    await board(ctx as never, next);
  });
}
