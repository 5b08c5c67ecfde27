import { isDeepStrictEqual } from 'node:util';
import { createLogger } from '@quipu/api';
import {
  type CommandContext,
  createCommandContext,
  figuresReader,
  rebuildAssignmentLoads,
  rebuildFigures,
} from '@quipu/commands';
import type { Config } from '@quipu/config';
import { EVERYTHING, figuresRecount, weekStarts } from '@quipu/db';
import { createRuntime } from '../runtime.ts';

/** Runs one maintenance pass with the database and Redis, printing its result as JSON. */
async function maintenance(
  name: string,
  config: Config,
  run: (ctx: CommandContext) => Promise<{ result: unknown; ok: boolean }>,
): Promise<number> {
  if (!config.mongodb.url || !config.redis.url) {
    process.stderr.write(`quipu ${name}: set MONGODB_URL and REDIS_URL\n`);
    return 78;
  }
  const runtime = await createRuntime(config, { logger: createLogger(config.log.level) });
  try {
    const { result, ok } = await run(createCommandContext(runtime));
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return ok ? 0 : 1;
  } finally {
    await runtime.close();
  }
}

/** `quipu loads:rebuild`: recounts every officer's open tickets in one pass over the tickets. */
export const loadsRebuild = (config: Config) =>
  maintenance('loads:rebuild', config, async (ctx) => ({
    result: await rebuildAssignmentLoads(ctx),
    ok: true,
  }));

/** `quipu figures:rebuild`: recomputes the figures' rollups in one pass over the tickets. */
export const figuresRebuild = (config: Config) =>
  maintenance('figures:rebuild', config, async (ctx) => {
    const result = await rebuildFigures(ctx);
    return { result, ok: result.stored };
  });

/**
 * `quipu figures:verify`: compares what the pages publish (the rollups) with a recount over the
 * tickets, for the last 90 days and the transparency figures; exits 1 and names the figures that
 * differ. Its cost grows with the tickets (a check for operators, never a page).
 */
export const figuresVerify = (config: Config) =>
  maintenance('figures:verify', config, async (ctx) => {
    const reader = figuresReader(ctx);
    const recount = figuresRecount(ctx.models, ctx.config.portal.timeZone);
    const view = { scope: EVERYTHING };
    const now = ctx.now();
    const from = new Date(now.getTime() - 90 * 86_400_000);
    const starts = weekStarts(now, ctx.config.portal.timeZone, 13);
    const sorted = <T>(rows: T[]) =>
      [...rows].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
    const pairs: Record<string, [() => Promise<unknown>, () => Promise<unknown>]> = {
      serviceLevels: [
        () => reader.serviceLevels(view, from, now),
        () => recount.serviceLevels(view, from, now),
      ],
      weekly: [() => reader.weekly(view, starts, from, now), () => recount.weekly(view, starts, from, now)],
      backlogByAge: [() => reader.backlogByAge(view, now), () => recount.backlogByAge(view, now)],
      slaBreaches: [() => reader.slaBreaches(view, from, now), () => recount.slaBreaches(view, from, now)],
      byOrganisation: [
        async () => sorted(await reader.byOrganisation(view, from, now)),
        async () => sorted(await recount.byOrganisation(view, from, now)),
      ],
      transparency: [
        async () => sorted(await reader.transparency(10)),
        async () => sorted(await recount.transparency(10)),
      ],
    };
    const differ: string[] = [];
    for (const [name, [rollups, tickets]] of Object.entries(pairs)) {
      if (!isDeepStrictEqual(await rollups(), await tickets())) differ.push(name);
    }
    return { result: { ...(await reader.freshness()), differ }, ok: differ.length === 0 };
  });
