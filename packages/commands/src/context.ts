import type { Config } from '@quipu/config';
import type { OutboxEntry } from '@quipu/db';
import {
  assignmentRepository,
  datasetLookup,
  directoryRepository,
  engagementRepository,
  type FigureRollupRepository,
  figureRollupRepository,
  type Models,
  refRepository,
  registerModels,
  ticketRepository,
} from '@quipu/db';
import type { Redis } from 'ioredis';
import type { Connection } from 'mongoose';
import { redisLoadCounter } from './assignment-loads.ts';
import { type DomainConfig, loadDomainConfig } from './domain-config.ts';
import { lockedFigureSettler, redisFigureCounter } from './figures/rollups.ts';

/** What every command needs: repositories, configuration, the clock and the outbox kick. */
export interface CommandContext {
  config: Config;
  domain: DomainConfig;
  models: Models;
  tickets: ReturnType<typeof ticketRepository>;
  refs: ReturnType<typeof refRepository>;
  assignment: ReturnType<typeof assignmentRepository>;
  /** The figures' rollups: their MongoDB side (commands/figures for the counters in Redis). */
  figureRollups: FigureRollupRepository;
  directory: ReturnType<typeof directoryRepository>;
  engagement: ReturnType<typeof engagementRepository>;
  datasets: ReturnType<typeof datasetLookup>;
  now: () => Date;
  /** Redis, when the process has it (spreads reference numbers); commands work without it. */
  redis?: Redis | undefined;
  /**
   * Relays a document's outbox right after a write, awaited but bounded in time (best effort;
   * the sweep catches the rest). Awaiting it keeps the relay's own update of the document from
   * racing the caller's next write (FerretDB does not serialise concurrent updates; README).
   */
  kickOutbox: (documentId: string, collection?: string, entries?: OutboxEntry[]) => Promise<void>;
}

const domainCache = new Map<string, DomainConfig>();

export function createCommandContext(runtime: {
  config: Config;
  connection: Connection;
  now: () => Date;
  redis?: Redis;
  kickOutbox: (documentId: string, collection?: string, entries?: OutboxEntry[]) => Promise<void>;
}): CommandContext {
  const models = registerModels(runtime.connection);
  const assignment = assignmentRepository(models);
  const loads = redisLoadCounter(runtime.redis, runtime.config.redis.prefix, assignment, runtime.now);
  const timeZone = runtime.config.portal.timeZone;
  const figureRollups = figureRollupRepository(models, timeZone);
  const counter = redisFigureCounter(runtime.redis, runtime.config.redis.prefix, figureRollups, runtime.now);
  const figures = lockedFigureSettler(runtime, figureRollups, counter);
  const calendarId = runtime.config.portal.defaultCalendar;
  let domain = domainCache.get(calendarId);
  if (!domain) {
    domain = loadDomainConfig({ defaultCalendarId: calendarId });
    domainCache.set(calendarId, domain);
  }
  return {
    config: runtime.config,
    domain,
    models,
    tickets: ticketRepository(models, { loads, figures }),
    refs: refRepository(models),
    assignment,
    figureRollups,
    directory: directoryRepository(models),
    engagement: engagementRepository(models),
    datasets: datasetLookup(models),
    now: runtime.now,
    redis: runtime.redis,
    kickOutbox: runtime.kickOutbox,
  };
}
