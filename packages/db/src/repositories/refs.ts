import { parseRef, refCounterKey } from '@quipu/core/tickets';
import { isDuplicateKeyError } from '../errors.ts';
import type { Models } from '../models/index.ts';
import { upsertById } from '../upsert.ts';

/**
 * Claims on ticket reference numbers, in the counters collection. A number is taken when a
 * document `ticket-ref:<year>:<seq>` exists, inserted once: the `_id` is the one index every
 * backend honours atomically (FerretDB's `$inc` is not atomic under concurrency, and over SQLite
 * a lookup by `ref` scans every ticket), so a claim is decided by the database and checked in
 * one `_id` read. The counter `ticket-ref:<year>` is only a hint from where to look.
 *
 * References stored before claims existed are covered by a floor written once per year
 * (`ticket-ref-floor:<year>`): every number up to it counts as taken.
 */
export function refRepository(models: Models) {
  const { Counter, Ticket } = models;
  const claimId = (year: number, seq: number) => `${refCounterKey(year)}:${seq}`;
  const floorId = (year: number) => `ticket-ref-floor:${year}`;

  async function seqOf(id: string): Promise<number | undefined> {
    const doc = (await Counter.findById(id, { seq: 1 }).lean()) as { seq?: number } | null;
    return doc ? (doc.seq ?? 0) : undefined;
  }

  return {
    /** True when this caller now owns the number; false when someone else already does. */
    async claim(year: number, seq: number): Promise<boolean> {
      try {
        await Counter.create({ _id: claimId(year, seq), seq });
        return true;
      } catch (error) {
        if (isDuplicateKeyError(error)) return false;
        throw error;
      }
    },

    async isClaimed(year: number, seq: number): Promise<boolean> {
      return (await seqOf(claimId(year, seq))) !== undefined;
    },

    /** A number at or below the highest claimed (it may lag: only a place to start looking). */
    async hint(year: number): Promise<number> {
      return (await seqOf(refCounterKey(year))) ?? 0;
    },

    async raiseHint(year: number, seq: number): Promise<void> {
      await upsertById(Counter, refCounterKey(year), { $max: { seq } });
    },

    /**
     * The highest reference stored before claims existed. Computed once per year from the newest
     * tickets (the only query here that reads the tickets collection) and then stored.
     */
    async legacyFloor(year: number): Promise<number> {
      const stored = await seqOf(floorId(year));
      if (stored !== undefined) return stored;
      const docs = (await Ticket.find({ ref: { $regex: `^Q-${year}-` } }, { ref: 1 })
        .sort({ createdAt: -1 })
        .limit(50)
        .lean()) as unknown as Array<{ ref: string }>;
      const seq = docs.reduce((max, d) => Math.max(max, parseRef(d.ref)?.seq ?? 0), 0);
      try {
        await Counter.create({ _id: floorId(year), seq });
        return seq;
      } catch (error) {
        if (!isDuplicateKeyError(error)) throw error;
        return (await seqOf(floorId(year))) ?? seq;
      }
    },
  };
}
