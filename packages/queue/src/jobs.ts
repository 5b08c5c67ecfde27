import type { TargetName } from '@quipu/core/sla';
import { type OutboxEntry, outboxEntry } from '@quipu/db';
import type { JobsOptions, RepeatOptions } from 'bullmq';
import type { QueueRegistry } from './queues.ts';

/**
 * Every job Quipu runs, in one place: queue → job name → payload. Payloads carry ids, never
 * documents (ARCHITECTURE.md "Jobs"): a processor reloads what it needs and checks the work is
 * still due. Producers never write a job name or a payload by hand: they go through `JOBS` below.
 */
export interface JobCatalogue {
  /** Housekeeping, recurring only. */
  maintenance: {
    'outbox-sweep': Record<string, never>;
    retention: Record<string, never>;
    'loads-rebuild': Record<string, never>;
    'figures-rebuild': Record<string, never>;
  };
  /** E-mail, fed only by the outbox: the only worker that sends e-mail. */
  notify: {
    'ticket-event': { ticketId: string; eventId: string };
    'subscription-verification': { subscriptionId: string };
    resend: { notificationId: string };
    /** A notification another worker recorded (with its outbox entry) for notify to send. */
    deliver: { notificationId: string };
  };
  sla: {
    /** `due` is the breach deadline (ISO) the job was scheduled for: another due today makes the job stale. */
    deadline: { ticketId: string; target: TargetName; kind: 'warn' | 'breach'; due: string };
    /** Step `level` (1-based) of the policy's escalation chain for one deadline. */
    escalate: { ticketId: string; target: TargetName; level: number; due: string };
    'extension-notice': { ticketId: string; eventId: string };
    reconcile: Record<string, never>;
    'recompute-calendar': { calendarId: string };
  };
  quality: {
    /** Without `runId` the job id is the run id (a scheduler firing). */
    check: { datasetId: string; runId?: string; resourceId?: string };
    'sync-schedules': Record<string, never>;
    'subscription-verification': { subscriptionId: string };
  };
  harvest: {
    /** `full` lets an admin's "harvest everything now" sweep withdrawals. */
    harvest: { sourceId: string; full?: boolean };
    'sync-schedules': Record<string, never>;
  };
  webhooks: {
    /** Fan-out: one `deliver` job per webhook that wants the event. */
    'ticket-event': { ticketId: string; eventId: string };
    deliver: { webhookId: string; ticketId: string; eventId: string };
  };
  /** Recurring only, never fed by the outbox. */
  digest: {
    plan: Record<string, never>;
    'daily-digest': { organisationId: string };
    'followers-digest': Record<string, never>;
  };
}

export type QueueName = keyof JobCatalogue;
/** The job names of a queue (of every queue, for `QueueName`). */
export type JobName<Q extends QueueName> = Q extends QueueName
  ? Extract<keyof JobCatalogue[Q], string>
  : never;
/** The payload of one job, or (without `N`) of any job of the queue. */
export type JobData<Q extends QueueName, N extends JobName<Q> = JobName<Q>> = Q extends QueueName
  ? JobCatalogue[Q][N & keyof JobCatalogue[Q]]
  : never;

/** The queues in the order the queue monitor lists them. */
export const QUEUE_NAMES = [
  'maintenance',
  'notify',
  'sla',
  'quality',
  'harvest',
  'webhooks',
  'digest',
] as const satisfies readonly QueueName[];

export function isQueueName(name: string): name is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(name);
}

/** One job ready for `addBulk`: its name, payload and options (job id, delay). */
export interface JobRequest<Q extends QueueName> {
  name: JobName<Q>;
  data: JobData<Q>;
  opts: JobsOptions;
}

/** How a recurring job repeats: every `every` ms, or on a cron `pattern` (in `tz`). */
export type Repeat = Pick<RepeatOptions, 'every' | 'pattern' | 'tz' | 'offset'>;

/**
 * One job of the catalogue and its producers. The job id, when the job has a deterministic one,
 * is derived here from the payload, so the outbox entry and a direct add of the same job agree.
 */
export interface JobType<Q extends QueueName, N extends JobName<Q>> {
  readonly queue: Q;
  readonly name: N;
  /** For a bulk add (`addJobs`): a `jobId` given here overrides the derived one. */
  request(data: JobData<Q, N>, options?: { jobId?: string; delay?: number }): JobRequest<Q>;
  /** Adds the job now (BullMQ ignores a job id it already holds). */
  add(
    queues: QueueRegistry,
    data: JobData<Q, N>,
    options?: { jobId?: string; delay?: number },
  ): Promise<void>;
  /** Adds one job per payload in one round trip, each with its derived id. */
  addBulk(queues: QueueRegistry, data: ReadonlyArray<JobData<Q, N>>): Promise<void>;
  /** The job as an outbox entry, to write with the change that justifies it; the relay adds it later. */
  entry(data: JobData<Q, N>, options: { now: Date; id?: string; runAt?: Date }): OutboxEntry;
  /** Declares (or updates) a recurring job with `upsertJobScheduler`. */
  schedule(queues: QueueRegistry, schedulerId: string, repeat: Repeat, data: JobData<Q, N>): Promise<void>;
}

function defineJob<Q extends QueueName, N extends JobName<Q>>(
  queue: Q,
  name: N,
  settings: { id?: (data: JobData<Q, N>) => string | undefined; options?: JobsOptions } = {},
): JobType<Q, N> {
  const jobId = (data: JobData<Q, N>, given?: string) => given ?? settings.id?.(data);
  const request = (data: JobData<Q, N>, options: { jobId?: string; delay?: number } = {}): JobRequest<Q> => {
    const id = jobId(data, options.jobId);
    return {
      name,
      data,
      opts: {
        ...settings.options,
        ...(id ? { jobId: id } : {}),
        ...(options.delay ? { delay: options.delay } : {}),
      },
    };
  };
  return {
    queue,
    name,
    request,
    async add(queues, data, options) {
      const { opts } = request(data, options);
      await queues.get(queue).add(name, data, opts);
    },
    async addBulk(queues, data) {
      await addJobs(
        queues,
        queue,
        data.map((d) => request(d)),
      );
    },
    entry(data, options) {
      const id = jobId(data, options.id);
      return outboxEntry(queue, name, data as Record<string, unknown>, {
        now: options.now,
        ...(id ? { id } : {}),
        ...(options.runAt ? { runAt: options.runAt } : {}),
      });
    },
    async schedule(queues, schedulerId, repeat, data) {
      await queues.get(queue).upsertJobScheduler(schedulerId, repeat, { name, data });
    },
  };
}

/** Adds jobs of one queue in one round trip (BullMQ ignores job ids it already holds). */
export async function addJobs<Q extends QueueName>(
  queues: QueueRegistry,
  queue: Q,
  requests: ReadonlyArray<JobRequest<Q>>,
): Promise<void> {
  if (requests.length === 0) return;
  await queues.get(queue).addBulk([...requests]);
}

/**
 * The producers, one per job. Deterministic ids live here: a second add of the same work is a
 * no-op in BullMQ (completed ids are kept a week, see DEFAULT_JOB_OPTIONS).
 */
export const JOBS = {
  outboxSweep: defineJob('maintenance', 'outbox-sweep'),
  retention: defineJob('maintenance', 'retention'),
  loadsRebuild: defineJob('maintenance', 'loads-rebuild'),
  figuresRebuild: defineJob('maintenance', 'figures-rebuild'),

  /** Id `notify-<event id>`: one per audit event. */
  notifyTicketEvent: defineJob('notify', 'ticket-event', { id: (d) => `notify-${d.eventId}` }),
  /** The verification e-mail of a ticket support or follow. */
  subscriptionVerification: defineJob('notify', 'subscription-verification'),
  /** An admin's re-send of a failed e-mail. */
  resendNotification: defineJob('notify', 'resend'),
  /** Id `deliver-<notification id>` (its `:` escaped: BullMQ refuses it in ids): one send per record. */
  notifyDelivery: defineJob('notify', 'deliver', {
    id: (d) => `deliver-${d.notificationId.replaceAll('%', '%25').replaceAll(':', '%3A')}`,
  }),

  /** Ids from `deadlineJobId` (@quipu/core/sla): `sla-<ticket>-<target>-<kind>-<due ms>`. */
  slaDeadline: defineJob('sla', 'deadline'),
  /** Ids from `escalationJobId` (@quipu/commands): `sla-<ticket>-<target>-esc<level>-<due ms>`. */
  slaEscalation: defineJob('sla', 'escalate'),
  /** Id `sla-extension-<event id>`: the requester hears of an extension once. */
  extensionNotice: defineJob('sla', 'extension-notice', { id: (d) => `sla-extension-${d.eventId}` }),
  slaReconcile: defineJob('sla', 'reconcile'),
  recomputeCalendar: defineJob('sla', 'recompute-calendar'),

  /** Id = run id when the producer chose one (harvest hook, admin "check now"): one job per run. */
  qualityCheck: defineJob('quality', 'check', { id: (d) => d.runId }),
  qualityScheduleSync: defineJob('quality', 'sync-schedules'),
  /** The verification e-mail of a dataset quality subscription. */
  qualitySubscriptionVerification: defineJob('quality', 'subscription-verification'),

  harvestSource: defineJob('harvest', 'harvest'),
  harvestScheduleSync: defineJob('harvest', 'sync-schedules'),

  /** Id `wh-<event id>`: one fan-out per event, whether from the outbox or the SLA worker. */
  webhookEvent: defineJob('webhooks', 'ticket-event', { id: (d) => `wh-${d.eventId}` }),
  /** Id `whd-<webhook>-<event>`; a failing receiver retries alone, ten times, from 5 s. */
  webhookDelivery: defineJob('webhooks', 'deliver', {
    id: (d) => `whd-${d.webhookId}-${d.eventId}`,
    options: { attempts: 10, backoff: { type: 'exponential', delay: 5_000 } },
  }),

  digestPlan: defineJob('digest', 'plan'),
  dailyDigest: defineJob('digest', 'daily-digest'),
  followersDigest: defineJob('digest', 'followers-digest'),
} as const;

/** True when `name` is a job of `queue` in the catalogue (the relay refuses anything else). */
export function isJobOf(queue: QueueName, name: string): boolean {
  return Object.values(JOBS).some((job) => job.queue === queue && job.name === name);
}
