import { isDuplicateKeyError } from '../errors.ts';
import type { Models } from '../models/index.ts';
import { upsertById } from '../upsert.ts';
import {
  decodeFacts,
  encodeFacts,
  type FigureCounter,
  type FigureFacts,
  figureFacts,
} from './figure-tallies.ts';
import { isObjectId } from './scope.ts';

export type { FigureCounter, FigureSettler } from './figure-tallies.ts';

// The counters' state documents share the collection of the assignment state (read by `_id`).
const DIRTY = 'figures:dirty';

const TALLY_PROJECTION = {
  createdAt: 1,
  organisationId: 1,
  teamId: 1,
  assigneeId: 1,
  kind: 1,
  category: 1,
  status: 1,
  visibility: 1,
  firstResolvedAt: 1,
  resolvedAt: 1,
  reopenCount: 1,
  satisfaction: 1,
  fulfilledByDatasetId: 1,
  supportersCount: 1,
  sla: 1,
};

/**
 * The MongoDB side of the figures' rollups, whose counters are in Redis
 * (commands/figures/rollups.ts): the facts each ticket is counted for (`figure_facts`, by ticket
 * id), whether a move was missed, and the one pass over the tickets that recomputes them all.
 *
 * A settle reads the ticket as stored, then writes its facts guarded by the facts that were read
 * (an insert for a new ticket), so a replay moves nothing; then the counters move. Settles of one
 * ticket must take turns (the caller locks: FerretDB lets two concurrent guarded updates of one
 * document both pass), and each reads the ticket afresh, so the last one counts what is stored
 * whatever order the writes finished in. Without transactions a crash between the write and the
 * move can leave a counter off: `quipu figures:rebuild` (nightly, and whenever Redis lost the
 * rollups) recounts.
 */
export function figureRollupRepository(models: Models, timeZone: string) {
  const { AssignmentState, FigureFacts: Facts, Ticket } = models;

  /** Records `after` as the facts counted for the ticket, guarded by what was, and moves the difference. */
  async function claim(id: string, after: FigureFacts, counter: FigureCounter): Promise<void> {
    const encoded = encodeFacts(after)!;
    for (let attempt = 0; attempt < 2; attempt += 1) {
      const stored = (await Facts.findById(id, { facts: 1 }).lean()) as { facts?: string } | null;
      if (!stored) {
        try {
          await Facts.create({ _id: id, facts: encoded });
        } catch (error) {
          if (isDuplicateKeyError(error)) continue; // recorded meanwhile: settle against that
          throw error;
        }
        await counter.move(id, null, after);
        return;
      }
      if (stored.facts === encoded) return;
      const claimed = await Facts.updateOne({ _id: id, facts: stored.facts }, { $set: { facts: encoded } });
      if (claimed.modifiedCount === 1) await counter.move(id, decodeFacts(stored.facts), after);
      return;
    }
  }

  return {
    /**
     * After a ticket was inserted: counts it as inserted (no lock and no read: nobody else knows
     * its id yet; a worker that settles it first wins the insert of its facts, and this one then
     * settles like any change).
     */
    async inserted(ticket: Record<string, unknown>, counter: FigureCounter): Promise<void> {
      const after = figureFacts(ticket, timeZone);
      if (!after) return;
      await claim(String(ticket._id), after, counter);
    },

    /** After a ticket was written: moves the rollups by what its stored facts changed, once. */
    async settle(ticketId: string, counter: FigureCounter): Promise<void> {
      if (!isObjectId(ticketId)) return;
      const ticket = (await Ticket.findById(ticketId, TALLY_PROJECTION).lean()) as Record<
        string,
        unknown
      > | null;
      const after = ticket ? figureFacts(ticket, timeZone) : null;
      if (after) await claim(ticketId, after, counter);
    },

    /**
     * The tickets a rollup list names, by `_id` (a handful per page: the lists are capped), with
     * `projection`; those gone since are left out.
     */
    async ticketsByIds(
      ids: readonly string[],
      projection: Record<string, number>,
    ): Promise<Record<string, unknown>[]> {
      const found: Record<string, unknown>[] = [];
      const valid = ids.filter(isObjectId);
      // A few at a time: each is a read by `_id`, and a list may name a few hundred.
      for (let i = 0; i < valid.length; i += 8) {
        const docs = await Promise.all(
          valid
            .slice(i, i + 8)
            .map((id) => Ticket.findById(id, projection).lean() as Promise<Record<string, unknown> | null>),
        );
        for (const doc of docs) if (doc) found.push(doc);
      }
      return found;
    },

    /** A move the rollups could not take (Redis unreachable): they are stale from then on. */
    async markDirty(at: Date): Promise<void> {
      await upsertById(AssignmentState, DIRTY, { $set: { dirtyAt: at } });
    },

    async dirtyAt(): Promise<Date | null> {
      const doc = (await AssignmentState.findById(DIRTY, { dirtyAt: 1 }).lean()) as { dirtyAt?: Date } | null;
      return doc?.dirtyAt ?? null;
    },

    /**
     * Every ticket's facts, in one cursor pass over the tickets (maintenance only: the one method
     * here whose cost grows with them), recorded anew as the facts counted: the old records are
     * dropped and the pass's inserted in batches (a settle that records a ticket meanwhile wins,
     * and the rebuild replays its move). Inserts, not upserts: on FerretDB each upsert of a
     * batch is a read-modify-write of its own, and batches of them stalled the server.
     */
    async scan(
      each: (ticketId: string, facts: FigureFacts, encoded: string) => void,
    ): Promise<{ tickets: number }> {
      let tickets = 0;
      let batch: Array<{ _id: string; facts: string }> = [];
      const flush = async () => {
        const docs = batch;
        batch = [];
        if (!docs.length) return;
        try {
          await Facts.insertMany(docs, { ordered: false });
        } catch (error) {
          if (!isDuplicateKeyError(error)) throw error;
        }
      };
      await Facts.deleteMany({});
      const cursor = Ticket.find({}, TALLY_PROJECTION).lean().cursor({ batchSize: 1000 });
      for await (const doc of cursor as AsyncIterable<Record<string, unknown>>) {
        tickets += 1;
        const facts = figureFacts(doc, timeZone);
        if (!facts) continue;
        const encoded = encodeFacts(facts)!;
        each(String(doc._id), facts, encoded);
        batch.push({ _id: String(doc._id), facts: encoded });
        if (batch.length >= 1000) await flush();
      }
      await flush();
      return { tickets };
    },
  };
}

export type FigureRollupRepository = ReturnType<typeof figureRollupRepository>;
