import { createHash } from 'node:crypto';
import type { CommandContext } from '@quipu/commands';
import { AppError, badRequest, conflict } from '@quipu/http';
import type { Middleware } from 'koa';

const KEY = /^[A-Za-z0-9._:-]{8,128}$/;

/**
 * `Idempotency-Key` on POSTs: the first request with a key runs and its response is stored
 * (in MongoDB, 24 h); a repeat with the same body gets the same response and creates nothing;
 * a repeat with another body is refused, and so is one that arrives while the first runs.
 */
export function idempotency(options: { commands: CommandContext; hours?: number }): Middleware {
  return async function idempotencyMiddleware(ctx, next) {
    const key = ctx.get('Idempotency-Key');
    if (!key || ctx.method !== 'POST') return await next();
    if (!KEY.test(key))
      throw badRequest('invalid_idempotency_key', 'Idempotency-Key: 8–128 letters, digits, . _ : -');
    const id = `${ctx.path}:${key}`;
    const fingerprint = createHash('sha256')
      .update(JSON.stringify((ctx.request as { body?: unknown }).body ?? null))
      .digest('hex');
    const now = options.commands.now();
    const expiresAt = new Date(now.getTime() + (options.hours ?? 24) * 3_600_000);
    const claim = await options.commands.engagement.claimIdempotencyKey(id, fingerprint, expiresAt, now);
    if (claim.outcome === 'mismatch') {
      throw new AppError({
        status: 422,
        code: 'idempotency_key_reused',
        title: 'Idempotency key reused',
        detail: 'This Idempotency-Key was used with another body.',
      });
    }
    if (claim.outcome === 'pending')
      throw conflict('idempotency_in_progress', 'A request with this Idempotency-Key is still running.');
    if (claim.outcome === 'replay') {
      ctx.status = claim.status;
      ctx.body = claim.body;
      ctx.set('Idempotent-Replayed', 'true');
      return;
    }
    try {
      await next();
    } catch (error) {
      await options.commands.engagement.releaseIdempotencyKey(id);
      throw error;
    }
    if (ctx.status >= 200 && ctx.status < 300)
      await options.commands.engagement.completeIdempotencyKey(id, ctx.status, ctx.body);
    else await options.commands.engagement.releaseIdempotencyKey(id);
  };
}
