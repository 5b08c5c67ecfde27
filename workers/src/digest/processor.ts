import { createHash } from 'node:crypto';
import { calendarFor, effectiveCalendars } from '@quipu/commands';
import {
  digestQueries,
  EVERYTHING,
  notificationAdminRepository,
  preferenceRepository,
  registerModels,
} from '@quipu/db';
import type { DigestTicket, FollowerChange, TicketLink } from '@quipu/mail';
import { JOBS } from '@quipu/queue';
import type { Job } from 'bullmq';
import { links } from '../notify/links.ts';
import { queueDelivery } from '../notify/queue-delivery.ts';
import { defineProcessor, schedule } from '../processor.ts';
import { type Runtime, workerCommands } from '../runtime.ts';

/** Managers read their digest with the morning coffee: 08:00 in the organisation's calendar zone. */
export const DIGEST_PATTERN = '0 8 * * *';

export type DigestJob = Pick<Job, 'name' | 'data' | 'attemptsMade' | 'opts'>;

const localDate = (at: Date, timeZone: string) =>
  new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(
    at,
  );

/**
 * One job scheduler per organisation (`digest-org-<id>`, 08:00 in its calendar's zone) and one
 * for the followers' digest (08:00 portal time). Re-run every hour, so new organisations and
 * calendar changes are picked up; upserting an unchanged scheduler changes nothing.
 */
async function plan(runtime: Runtime) {
  const commands = workerCommands(runtime);
  const calendars = await effectiveCalendars(commands);
  const organisations = await commands.directory.listOrganisations(EVERYTHING);
  for (const organisation of organisations) {
    const tz = calendarFor(calendars, commands, organisation.calendarId ?? null).timezone;
    await JOBS.dailyDigest.schedule(
      runtime.queues,
      `digest-org-${organisation._id}`,
      { pattern: DIGEST_PATTERN, tz },
      { organisationId: String(organisation._id) },
    );
  }
  await JOBS.followersDigest.schedule(
    runtime.queues,
    'followers-digest',
    { pattern: DIGEST_PATTERN, tz: runtime.config.portal.timeZone },
    {},
  );
  return { organisations: organisations.length };
}

/** A manager's morning e-mail: new, due soon (48 h), breached and unassigned tickets of their organisation tree. */
async function dailyDigest(runtime: Runtime, job: DigestJob) {
  const commands = workerCommands(runtime);
  const { organisationId } = job.data as { organisationId: string };
  const organisation = await commands.directory.findOrganisation(EVERYTHING, organisationId);
  if (!organisation) return { skipped: 'organisation gone' };
  const calendars = await effectiveCalendars(commands);
  const tz = calendarFor(calendars, commands, organisation.calendarId ?? null).timezone;
  const now = runtime.now();
  const day = localDate(now, tz);
  const models = registerModels(runtime.connection);
  const figures = await digestQueries(models).forOrganisation(organisationId, now, {
    dueWithinMs: 48 * 3_600_000,
    limit: 10,
  });
  const total = Object.values(figures.counts).reduce((a, b) => a + b, 0);
  if (total === 0) return { skipped: 'nothing to report' };
  const managers = (
    await commands.directory.listUsers(EVERYTHING, { organisationId, role: 'manager' })
  ).filter((u) => u.active !== false);
  const optOuts = await preferenceRepository(models).dailyDigestOptOuts(managers.map((m) => String(m._id)));
  const linkSet = links(runtime.config);
  const assigneeIds = new Set(
    Object.values(figures.lists)
      .flat()
      .flatMap((t) => (t.assigneeId ? [String(t.assigneeId)] : [])),
  );
  const names = new Map(
    (await commands.directory.findUsers([...assigneeIds])).map((u) => [String(u._id), u.name] as const),
  );
  const item = (t: (typeof figures.lists.new)[number]): DigestTicket => {
    const due = (t.sla?.targets ?? [])
      .filter((x) => x.dueAt && x.state === 'running')
      .map((x) => new Date(x.dueAt!))
      .sort((a, b) => a.getTime() - b.getTime())[0];
    const assigneeName = t.assigneeId ? names.get(String(t.assigneeId)) : undefined;
    return {
      ref: t.ref,
      title: t.title,
      url: linkSet.staffTicket(t.ref),
      ...(due ? { dueAt: due } : {}),
      ...(assigneeName ? { assigneeName } : {}),
    };
  };
  const lists = {
    new: figures.lists.new.map(item),
    dueSoon: figures.lists.dueSoon.map(item),
    breached: figures.lists.breached.map(item),
    unassigned: figures.lists.unassigned.map(item),
  };
  let queued = 0;
  for (const manager of managers) {
    if (optOuts.has(String(manager._id))) continue;
    const result = await queueDelivery(runtime, {
      // One per manager, organisation and local day, however often the job runs.
      id: `digest-${organisationId}-${day}:user-${manager._id}`,
      to: manager.email,
      recipientKind: 'manager',
      language: manager.language === 'en' ? 'en' : 'es',
      notification: {
        kind: 'daily_digest',
        data: {
          recipientName: manager.name,
          date: now,
          organisationName: organisation.name,
          dashboardUrl: linkSet.dashboard(),
          counts: figures.counts,
          lists,
        },
      },
    });
    if (result === 'queued') queued += 1;
  }
  return { queued, counts: figures.counts };
}

/**
 * The followers' digest: every held update (see hold.ts), grouped by address, one e-mail per
 * address and day. The items a digest carried are marked with it after sending; a re-run finds
 * the day's digest already sent and only marks the items it carried.
 */
async function followersDigest(runtime: Runtime) {
  const models = registerModels(runtime.connection);
  const repo = notificationAdminRepository(models);
  const day = localDate(runtime.now(), runtime.config.portal.timeZone);
  const held = await repo.pendingDigestItems();
  const byAddress = new Map<string, typeof held>();
  for (const n of held) byAddress.set(n.to, [...(byAddress.get(n.to) ?? []), n]);
  let queued = 0;
  for (const [to, items] of byAddress) {
    const key = createHash('sha256').update(to).digest('hex').slice(0, 20);
    const id = `fdigest-${day}-${key}:follower`;
    const existing = await repo.find(id);
    if (existing?.state === 'sent') {
      await repo.markDigested((existing.data.itemIds as string[] | undefined) ?? [], id);
      continue;
    }
    const byTicket = new Map<string, { ticket: TicketLink; changes: FollowerChange[] }>();
    for (const n of items) {
      const digest = n.data.digest as { ticket: TicketLink; change: FollowerChange };
      const entry = byTicket.get(digest.ticket.ref) ?? { ticket: digest.ticket, changes: [] };
      entry.changes.push(digest.change);
      byTicket.set(digest.ticket.ref, entry);
    }
    // A retry after an SMTP failure sends what the first attempt recorded, not a regrouping.
    const data = existing?.data ?? { updates: [...byTicket.values()], itemIds: items.map((n) => n._id) };
    const result = await queueDelivery(runtime, {
      id,
      to,
      recipientKind: 'follower',
      language: items[0]!.language === 'en' ? 'en' : 'es',
      notification: { kind: 'followers_digest', data: data as never },
    });
    await repo.markDigested((data.itemIds as string[] | undefined) ?? [], id);
    if (result === 'queued') queued += 1;
  }
  return { addresses: byAddress.size, queued };
}

export async function runDigestJob(job: DigestJob, runtime: Runtime): Promise<unknown> {
  if (job.name === JOBS.digestPlan.name) return await plan(runtime);
  if (job.name === JOBS.dailyDigest.name) return await dailyDigest(runtime, job);
  if (job.name === JOBS.followersDigest.name) return await followersDigest(runtime);
  return { skipped: `unknown job ${job.name}` };
}

/** Daily digests: managers' (per organisation, 08:00 local) and followers' (held updates). */
export const digestProcessor = defineProcessor({
  group: 'digest',
  queue: 'digest',
  jobs: [JOBS.digestPlan, JOBS.dailyDigest, JOBS.followersDigest],
  concurrency: 2,
  process: (job, runtime) => runDigestJob(job, runtime),
  schedules: () => [schedule(JOBS.digestPlan, 'digest-plan', { every: 3_600_000 }, {})],
});
