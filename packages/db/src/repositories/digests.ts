import { RESOLVED_LIKE_STATUSES } from '@quipu/core/tickets';
import type { Types } from 'mongoose';
import type { Models } from '../models/index.ts';
import { toObjectId } from './scope.ts';

/** The daily digest's figures for one organisation and its descendants (open tickets only). */
export function digestQueries(models: Models) {
  const { Ticket } = models;
  const OPEN = { status: { $nin: RESOLVED_LIKE_STATUSES } };
  const list = async (filter: Record<string, unknown>, sort: Record<string, 1 | -1>, limit: number) =>
    (await Ticket.find(filter, { ref: 1, title: 1, assigneeId: 1, sla: 1 })
      .sort(sort)
      .limit(limit)
      .lean()) as unknown as Array<{
      _id: Types.ObjectId;
      ref: string;
      title: string;
      assigneeId?: Types.ObjectId;
      sla?: { targets?: Array<{ target: string; dueAt?: Date; state?: string }> };
    }>;
  const nextDue = (t: { sla?: { targets?: Array<{ dueAt?: Date; state?: string }> } }) =>
    Math.min(
      ...(t.sla?.targets ?? [])
        .filter((x) => x.state === 'running' && x.dueAt)
        .map((x) => new Date(x.dueAt!).getTime()),
    );
  return {
    async forOrganisation(
      organisationId: string,
      now: Date,
      options: { dueWithinMs: number; limit: number },
    ) {
      const id = toObjectId(organisationId);
      // Served by { organisationId, status, createdAt } and { organisationAncestorIds, status }.
      const scope = { $or: [{ organisationId: id }, { organisationAncestorIds: id }] };
      const since = new Date(now.getTime() - 86_400_000);
      const soon = new Date(now.getTime() + options.dueWithinMs);
      const filters = {
        new: { $and: [scope, { createdAt: { $gte: since } }] },
        breached: { $and: [scope, OPEN, { 'sla.breached': true }] },
        unassigned: { $and: [scope, OPEN, { assigneeId: { $exists: false } }] },
      };
      // `$elemMatch` inside a count is refused by FerretDB (counts run as aggregations): the
      // 48-hour window is narrow, so candidates come from the `sla.targets.dueAt` index and the
      // running ones are picked here.
      const candidates = (await Ticket.find(
        { $and: [scope, OPEN, { 'sla.targets.dueAt': { $gt: now, $lte: soon } }] },
        { ref: 1, title: 1, assigneeId: 1, sla: 1 },
      )
        .sort({ _id: 1 })
        .lean()) as unknown as Awaited<ReturnType<typeof list>>;
      const dueSoon = candidates
        .filter((t) =>
          (t.sla?.targets ?? []).some(
            (x) => x.state === 'running' && x.dueAt && x.dueAt > now && x.dueAt <= soon,
          ),
        )
        .sort((a, b) => nextDue(a) - nextDue(b));
      const [nNew, nBreached, nUnassigned] = await Promise.all(
        [filters.new, filters.breached, filters.unassigned].map((f) => Ticket.countDocuments(f)),
      );
      return {
        counts: { new: nNew!, dueSoon: dueSoon.length, breached: nBreached!, unassigned: nUnassigned! },
        lists: {
          new: await list(filters.new, { createdAt: -1 }, options.limit),
          dueSoon: dueSoon.slice(0, options.limit),
          breached: await list(filters.breached, { createdAt: 1 }, options.limit),
          unassigned: await list(filters.unassigned, { createdAt: 1 }, options.limit),
        },
      };
    },
  };
}
