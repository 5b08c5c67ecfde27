import type { Types } from 'mongoose';
import type { Models } from '../models/index.ts';
import type { TicketDoc } from '../models/ticket.ts';
import type { OutboxEntry } from '../outbox.ts';
import { assignmentRepository, type LoadCounter, loadOwner } from './assignment.ts';
import type { FigureSettler } from './figure-tallies.ts';
import {
  decodeCursor,
  encodeCursor,
  escapeRegex,
  type Scope,
  ticketScopeFilter,
  toObjectId,
} from './scope.ts';

export type TicketRecord = TicketDoc & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

export interface TicketFilters {
  kind?: string | undefined;
  status?: readonly string[] | undefined;
  organisationId?: string | undefined;
  teamId?: string | undefined;
  /** A user id, or 'none' for unassigned. */
  assigneeId?: string | undefined;
  datasetId?: string | undefined;
  /** Case-insensitive text in title or description (no $text on FerretDB). */
  text?: string | undefined;
  /** Open tickets with a target due before this instant. */
  dueBefore?: Date | undefined;
  breached?: boolean | undefined;
  createdFrom?: Date | undefined;
  createdTo?: Date | undefined;
  /**
   * The moderation queue: spam-suspected at intake, or hidden (the ticket or one of its comments)
   * by readers' flags and not yet reviewed (a decision clears both, see moderateTicket/-Comment).
   */
  awaitingModeration?: boolean | undefined;
}

export type TicketSort = 'newest' | 'oldest' | 'most_supported';

const SORTS: Record<TicketSort, { field: string; direction: 1 | -1 }> = {
  newest: { field: 'createdAt', direction: -1 },
  oldest: { field: 'createdAt', direction: 1 },
  most_supported: { field: 'supportersCount', direction: -1 },
};

/** More than the SLA target names a policy may set (firstResponse, resolution, update). */
const SLA_TARGET_POSITIONS = 4;

function filterFor(scope: Scope, filters: TicketFilters): Record<string, unknown> {
  const and: Record<string, unknown>[] = [ticketScopeFilter(scope)];
  if (filters.kind) and.push({ kind: filters.kind });
  if (filters.status?.length) and.push({ status: { $in: [...filters.status] } });
  if (filters.organisationId) and.push({ organisationId: toObjectId(filters.organisationId) });
  if (filters.teamId) and.push({ teamId: toObjectId(filters.teamId) });
  if (filters.assigneeId === 'none') and.push({ assigneeId: { $exists: false } });
  else if (filters.assigneeId) and.push({ assigneeId: toObjectId(filters.assigneeId) });
  if (filters.datasetId) and.push({ datasetId: toObjectId(filters.datasetId) });
  if (filters.text) {
    const pattern = { $regex: escapeRegex(filters.text), $options: 'i' };
    and.push({ $or: [{ title: pattern }, { description: pattern }, { ref: pattern }] });
  }
  if (filters.dueBefore)
    // FerretDB refuses field-form `$elemMatch` ("unknown operator"): a ticket has one target per
    // SLA target name (three today, see TARGET_NAMES in @quipu/core/sla), so each position is tried.
    and.push({
      $or: Array.from({ length: SLA_TARGET_POSITIONS }, (_, i) => ({
        [`sla.targets.${i}.dueAt`]: { $lte: filters.dueBefore },
        [`sla.targets.${i}.metAt`]: { $exists: false },
      })),
    });
  if (filters.breached !== undefined) and.push({ 'sla.breached': filters.breached });
  if (filters.createdFrom) and.push({ createdAt: { $gte: filters.createdFrom } });
  if (filters.createdTo) and.push({ createdAt: { $lt: filters.createdTo } });
  if (filters.awaitingModeration)
    and.push({
      $or: [
        { 'moderation.spamSuspected': true },
        { visibility: 'hidden', flagCount: { $gte: 1 } },
        // Comments may be many: a counter kept by flag() and moderateComment() (no `$elemMatch` here).
        { 'moderation.commentsHeld': { $gt: 0 } },
      ],
    });
  const parts = and.filter((part) => Object.keys(part).length > 0);
  return parts.length === 0 ? {} : parts.length === 1 ? parts[0]! : { $and: parts };
}

export interface ChangeProps {
  id: string;
  /** Optimistic guard: the write applies only if the ticket still has this status. */
  expectedStatus?: string;
  /** Extra guard conditions (e.g. the comment at an index). */
  guard?: Record<string, unknown>;
  set?: Record<string, unknown>;
  unset?: string[];
  inc?: Record<string, number>;
  events?: Array<Record<string, unknown>>;
  outbox?: OutboxEntry[];
  push?: Record<string, unknown[]>;
  addToSet?: Record<string, unknown[]>;
}

/** Without counters (scripts, tests of the repository alone) nothing moves anywhere. */
const NO_LOADS: LoadCounter = { move: async () => {} };
const NO_FIGURES: FigureSettler = { inserted: async () => {}, settle: async () => {} };

export interface TicketRepositoryOptions {
  /** Where officers' open counts move as tickets are written (commands/assignment-loads.ts). */
  loads?: LoadCounter;
  /** Settles a written ticket's facts in the figures' rollups (commands/figures/rollups.ts). */
  figures?: FigureSettler;
}

/** Every write settles what the ticket counts for: its officer's load and its facts in the figures. */
export function ticketRepository(models: Models, options: TicketRepositoryOptions = {}) {
  const { Ticket } = models;
  const assignment = assignmentRepository(models);
  const loads = options.loads ?? NO_LOADS;
  const figures = options.figures ?? NO_FIGURES;
  return {
    async insert(doc: Record<string, unknown>): Promise<TicketRecord> {
      const owner = loadOwner(doc);
      const created = await Ticket.create(owner ? { ...doc, loadOf: toObjectId(owner) } : doc);
      const ticket = created.toObject() as unknown as TicketRecord;
      await Promise.all([
        owner ? loads.move(null, owner) : undefined,
        figures.inserted(ticket as unknown as Record<string, unknown>),
      ]);
      return ticket;
    },

    async findByRef(scope: Scope, ref: string): Promise<TicketRecord | null> {
      return (await Ticket.findOne({
        ...filterFor(scope, {}),
        ref,
      }).lean()) as unknown as TicketRecord | null;
    },

    async findById(scope: Scope, id: string): Promise<TicketRecord | null> {
      return (await Ticket.findOne({
        _id: toObjectId(id),
        $and: [filterFor(scope, {})],
      }).lean()) as unknown as TicketRecord | null;
    },

    async findByTrackingHash(hash: string): Promise<TicketRecord | null> {
      return (await Ticket.findOne({
        'reporter.trackingTokenHash': hash,
      }).lean()) as unknown as TicketRecord | null;
    },

    async findByVerificationHash(hash: string): Promise<TicketRecord | null> {
      return (await Ticket.findOne({
        'reporter.verificationTokenHash': hash,
      }).lean()) as unknown as TicketRecord | null;
    },

    async findByDedupeKey(dedupeKey: string): Promise<TicketRecord | null> {
      return (await Ticket.findOne({ dedupeKey }).lean()) as unknown as TicketRecord | null;
    },

    /**
     * The descriptions of one kind that one address filed since `since` about one dataset (or, without one, one
     * organisation): the intake form's "you already sent this" check. The datasetId and
     * organisationId indexes narrow it to one owner's recent tickets.
     */
    async filedBySince(
      kind: string,
      email: string,
      about: { datasetId: string } | { organisationId: string },
      since: Date,
    ): Promise<Array<{ ref: string; description: string }>> {
      const owner =
        'datasetId' in about
          ? { datasetId: toObjectId(about.datasetId) }
          : { organisationId: toObjectId(about.organisationId) };
      return (await Ticket.find(
        { ...owner, kind, 'reporter.email': email, createdAt: { $gte: since } },
        { ref: 1, description: 1 },
      ).lean()) as unknown as Array<{ ref: string; description: string }>;
    },

    /** Which of the given dedupe keys a ticket already carries (one query on the unique index). */
    async takenDedupeKeys(scope: Scope, dedupeKeys: readonly string[]): Promise<Set<string>> {
      if (dedupeKeys.length === 0) return new Set();
      const rows = (await Ticket.find(
        { dedupeKey: { $in: [...dedupeKeys] }, $and: [filterFor(scope, {})] },
        { dedupeKey: 1 },
      ).lean()) as unknown as Array<{ dedupeKey: string }>;
      return new Set(rows.map((row) => row.dedupeKey));
    },

    async list(
      scope: Scope,
      filters: TicketFilters,
      options: {
        sort?: TicketSort;
        cursor?: string | undefined;
        limit?: number;
        projection?: Record<string, 0 | 1>;
      } = {},
    ): Promise<{ items: TicketRecord[]; nextCursor: string | null }> {
      const { field, direction } = SORTS[options.sort ?? 'newest'];
      const limit = Math.min(Math.max(options.limit ?? 20, 1), 100);
      const base = filterFor(scope, filters);
      let query: Record<string, unknown> = base;
      if (options.cursor) {
        const cursor = decodeCursor(options.cursor);
        if (cursor) {
          const op = direction === -1 ? '$lt' : '$gt';
          const after = {
            $or: [
              { [field]: { [op]: cursor.value } },
              { [field]: cursor.value, _id: { [op]: toObjectId(cursor.id) } },
            ],
          };
          query = Object.keys(base).length ? { $and: [base, after] } : after;
        }
      }
      const items = (await Ticket.find(query, options.projection ?? { events: 0, outbox: 0, comments: 0 })
        .sort({ [field]: direction, _id: direction })
        .limit(limit + 1)
        .lean()) as unknown as TicketRecord[];
      const more = items.length > limit;
      const page = more ? items.slice(0, limit) : items;
      const last = page.at(-1);
      return {
        items: page,
        nextCursor:
          more && last
            ? encodeCursor((last as unknown as Record<string, unknown>)[field], String(last._id))
            : null,
      };
    },

    /** Retention: closed tickets whose reporter is still identifiable (served by the closedAt index). */
    async closedBefore(cutoff: Date, limit: number): Promise<TicketRecord[]> {
      return (await Ticket.find(
        { closedAt: { $lte: cutoff }, 'reporter.anonymisedAt': { $exists: false } },
        { events: 0, comments: 0, outbox: 0 },
      )
        .sort({ closedAt: 1 })
        .limit(limit)
        .lean()) as unknown as TicketRecord[];
    },

    /** Round robin: the assignee of the team's newest assigned ticket (served by { teamId, createdAt }). */
    /**
     * Open tickets per officer counted over the tickets ($match + $group/$sum): what least-loaded
     * assignment falls back to while the Redis counts are being rebuilt.
     */
    async openCountsByAssignee(
      officerIds: readonly string[],
      openStatuses: readonly string[],
    ): Promise<Record<string, number>> {
      const rows = await Ticket.aggregate<{ _id: unknown; n: number }>([
        { $match: { assigneeId: { $in: officerIds.map(toObjectId) }, status: { $in: [...openStatuses] } } },
        { $group: { _id: '$assigneeId', n: { $sum: 1 } } },
      ]);
      return Object.fromEntries(rows.map((r) => [String(r._id), r.n]));
    },

    async count(scope: Scope, filters: TicketFilters): Promise<number> {
      return await Ticket.countDocuments(filterFor(scope, filters));
    },

    /** Counts per status ($match + $group with $sum: within FerretDB's subset). */
    async countByStatus(scope: Scope, filters: TicketFilters): Promise<Record<string, number>> {
      const rows = await Ticket.aggregate<{ _id: string; n: number }>([
        { $match: filterFor(scope, filters) },
        { $group: { _id: '$status', n: { $sum: 1 } } },
      ]);
      return Object.fromEntries(rows.map((row) => [row._id, row.n]));
    },

    /**
     * One atomic write: the change, its audit events and its outbox entries (ARCHITECTURE.md).
     * Returns the updated ticket, or null when the guard (scope, status) no longer holds.
     */
    async applyChange(scope: Scope, props: ChangeProps): Promise<TicketRecord | null> {
      const filter: Record<string, unknown> = { _id: toObjectId(props.id), $and: [filterFor(scope, {})] };
      const and = filter.$and as Record<string, unknown>[];
      if (props.expectedStatus) and.push({ status: props.expectedStatus });
      if (props.guard) and.push(props.guard);
      const update: Record<string, unknown> = {};
      if (props.set && Object.keys(props.set).length) update.$set = props.set;
      if (props.unset?.length) update.$unset = Object.fromEntries(props.unset.map((k) => [k, 1]));
      if (props.inc && Object.keys(props.inc).length) update.$inc = props.inc;
      const push: Record<string, { $each: unknown[] }> = {};
      if (props.events?.length) push.events = { $each: props.events };
      if (props.outbox?.length) push.outbox = { $each: props.outbox };
      for (const [key, values] of Object.entries(props.push ?? {})) push[key] = { $each: values };
      if (Object.keys(push).length) update.$push = push;
      if (props.addToSet && Object.keys(props.addToSet).length) {
        update.$addToSet = Object.fromEntries(
          Object.entries(props.addToSet).map(([k, v]) => [k, { $each: v }]),
        );
      }
      const updated = (await Ticket.findOneAndUpdate(filter, update, {
        returnDocument: 'after',
      }).lean()) as unknown as TicketRecord | null;
      if (updated) {
        await Promise.all([assignment.settle(updated, loads), figures.settle(String(updated._id))]);
      }
      return updated;
    },
  };
}

export type TicketRepository = ReturnType<typeof ticketRepository>;
