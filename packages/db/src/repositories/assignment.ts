import { isOpenStatus, type TicketKind, type TicketStatus } from '@quipu/core/tickets';
import type { Types } from 'mongoose';
import type { Models } from '../models/index.ts';
import { upsertById } from '../upsert.ts';
import { toObjectId } from './scope.ts';

const teamKey = (teamId: string) => `team:${teamId}`;
const DIRTY = 'loads:dirty';

/** The officer whose load a ticket counts in: its assignee while it is open, else nobody. */
export function loadOwner(ticket: { kind?: unknown; status?: unknown; assigneeId?: unknown }): string | null {
  if (!ticket.assigneeId || typeof ticket.kind !== 'string' || typeof ticket.status !== 'string') return null;
  return isOpenStatus(ticket.kind as TicketKind, ticket.status as TicketStatus)
    ? String(ticket.assigneeId)
    : null;
}

/**
 * Where officers' open-ticket counts live. MongoDB cannot hold them: FerretDB's `$inc` loses
 * increments under concurrency (50 parallel leave 3–5), so the counts are kept in Redis
 * (commands/assignment-loads.ts), moved by every ticket write through this port, and rebuilt from
 * the tickets.
 */
export interface LoadCounter {
  move(from: string | null, to: string | null): Promise<void>;
}

/**
 * Assignment state read on every intake by `_id` only, never by reading the tickets: the team's
 * rotation (`team:<id>`: its last officer) and whether the Redis counts missed a move.
 *
 * Which officer a ticket counts for is kept on the ticket (`loadOf`). Every ticket write settles
 * it and moves the count, guarded by the `loadOf` that was read, so a replay does not count twice.
 * Without transactions a crash between the two writes can leave a count one off, and on FerretDB
 * two concurrent settles of one ticket may both pass the guard: `rebuild()` recounts in one pass
 * (nightly, and whenever Redis lost the counts).
 */
export function assignmentRepository(models: Models) {
  const { AssignmentState, Ticket } = models;

  return {
    async lastAssigneeOfTeam(teamId: string): Promise<string | null> {
      const doc = (await AssignmentState.findById(teamKey(teamId), { lastAssigneeId: 1 }).lean()) as {
        lastAssigneeId?: unknown;
      } | null;
      return doc?.lastAssigneeId ? String(doc.lastAssigneeId) : null;
    },

    async recordRotation(teamId: string, officerId: string): Promise<void> {
      await upsertById(AssignmentState, teamKey(teamId), { $set: { lastAssigneeId: toObjectId(officerId) } });
    },

    /** A move the counts could not take (Redis unreachable): they are stale from then on. */
    async markLoadsDirty(at: Date): Promise<void> {
      await upsertById(AssignmentState, DIRTY, { $set: { dirtyAt: at } });
    },

    async loadsDirtyAt(): Promise<Date | null> {
      const doc = (await AssignmentState.findById(DIRTY, { dirtyAt: 1 }).lean()) as { dirtyAt?: Date } | null;
      return doc?.dirtyAt ?? null;
    },

    /** After a change: moves the ticket's count to the officer it now belongs to, once. */
    async settle(
      ticket: { _id: unknown; kind?: unknown; status?: unknown; assigneeId?: unknown; loadOf?: unknown },
      counter: LoadCounter,
    ): Promise<void> {
      const owner = loadOwner(ticket);
      const counted = ticket.loadOf ? String(ticket.loadOf) : null;
      if (owner === counted) return;
      const claimed = await Ticket.updateOne(
        { _id: ticket._id as Types.ObjectId, loadOf: counted ? toObjectId(counted) : { $exists: false } },
        owner ? { $set: { loadOf: toObjectId(owner) } } : { $unset: { loadOf: 1 } },
      );
      if (claimed.modifiedCount === 1) await counter.move(counted, owner);
    },

    /**
     * Recounts every officer's open tickets and corrects each ticket's `loadOf`, in one cursor
     * pass over the tickets (the only method here whose cost grows with them; maintenance only).
     */
    async rebuild(): Promise<{ tickets: number; fixed: number; counts: Map<string, number> }> {
      const counts = new Map<string, number>();
      let tickets = 0;
      let fixed = 0;
      const cursor = Ticket.find({}, { kind: 1, status: 1, assigneeId: 1, loadOf: 1 }).lean().cursor();
      for await (const doc of cursor as AsyncIterable<Record<string, unknown>>) {
        tickets += 1;
        const owner = loadOwner(doc);
        if (owner) counts.set(owner, (counts.get(owner) ?? 0) + 1);
        if ((doc.loadOf ? String(doc.loadOf) : null) !== owner) {
          fixed += 1;
          await Ticket.updateOne(
            { _id: doc._id as Types.ObjectId },
            owner ? { $set: { loadOf: toObjectId(owner) } } : { $unset: { loadOf: 1 } },
          );
        }
      }
      return { tickets, fixed, counts };
    },
  };
}

export type AssignmentRepository = ReturnType<typeof assignmentRepository>;
