import { Types } from 'mongoose';
import { beforeAll, describe, expect, it } from 'vitest';
import { isDuplicateKeyError } from '../errors.ts';
import { outboxEntry } from '../outbox.ts';
import { useTestDatabase } from '../test-database.ts';
import { refRepository } from './refs.ts';
import { EVERYTHING, PUBLIC, type Scope } from './scope.ts';
import { ticketRepository } from './tickets.ts';

// The real shared MongoDB (or FerretDB) of the test run, in a database of this file's own.
const db = useTestDatabase();
let tickets: ReturnType<typeof ticketRepository>;
const minsa = new Types.ObjectId();
const sunat = new Types.ObjectId();
const officerOfMinsa: Scope = { kind: 'organisations', organisationIds: [String(minsa)] };
let serial = 0;

/** A ticket with the fields intake always sets; `overrides` replace them. */
async function ticket(overrides: Record<string, unknown> = {}) {
  serial += 1;
  const ref = `Q-2026-${String(serial).padStart(6, '0')}`;
  return await tickets.insert({
    ref,
    kind: 'complaint',
    title: `Ticket ${serial}`,
    status: 'new',
    organisationId: minsa,
    visibility: 'public',
    dedupeKey: `manual:${ref}`,
    ...overrides,
  });
}

beforeAll(() => {
  tickets = ticketRepository(db.models);
});

describe('reading tickets', () => {
  it('finds by ref or id only inside the scope: the public sees public tickets, officers their organisations', async () => {
    const open = await ticket();
    const pending = await ticket({ visibility: 'pending' });
    const elsewhere = await ticket({ organisationId: sunat });
    expect((await tickets.findByRef(PUBLIC, open.ref))?.title).toBe(open.title);
    expect(await tickets.findByRef(PUBLIC, pending.ref)).toBeNull();
    expect((await tickets.findByRef(officerOfMinsa, pending.ref))?.ref).toBe(pending.ref);
    expect(await tickets.findById(officerOfMinsa, String(elsewhere._id))).toBeNull();
    expect((await tickets.findById(EVERYTHING, String(elsewhere._id)))?.ref).toBe(elsewhere.ref);
    expect(await tickets.findByRef(EVERYTHING, 'Q-2099-000001')).toBeNull();
  });

  it('refuses a second ticket with the same ref or dedupe key (the unique indexes)', async () => {
    const first = await ticket();
    const again = await tickets
      .insert({ ...first, _id: new Types.ObjectId(), dedupeKey: 'other' })
      .catch((error: unknown) => error);
    expect(isDuplicateKeyError(again)).toBe(true);
    const automatic = await ticket({ kind: 'quality_issue', dedupeKey: 'quality:ds-1:r1:validity' });
    expect((await tickets.findByDedupeKey('quality:ds-1:r1:validity'))?.ref).toBe(automatic.ref);
  });

  it('lists with filters, text search as plain text, and a cursor that walks every page once', async () => {
    const organisation = new Types.ObjectId();
    const scope: Scope = { kind: 'organisations', organisationIds: [String(organisation)] };
    const made = [];
    for (const title of ['Presupuesto 2025', 'Obras (región)', 'Contratos de limpieza', 'Becas'])
      made.push(await ticket({ organisationId: organisation, title, kind: 'data_request' }));
    await ticket({ organisationId: organisation, title: 'Queja', kind: 'complaint', status: 'triaged' });

    const refs: string[] = [];
    let cursor: string | undefined;
    for (let page = 0; page < 5; page += 1) {
      const result = await tickets.list(
        scope,
        { kind: 'data_request' },
        { limit: 3, sort: 'oldest', cursor },
      );
      refs.push(...result.items.map((t) => t.ref));
      if (!result.nextCursor) break;
      cursor = result.nextCursor;
    }
    expect(refs).toEqual(made.map((t) => t.ref));
    expect((await tickets.list(scope, { text: '(región)' })).items.map((t) => t.title)).toEqual([
      'Obras (región)',
    ]);
    expect((await tickets.list(scope, { text: '.*' })).items).toEqual([]);
    expect(await tickets.count(scope, { status: ['triaged'] })).toBe(1);
    expect(await tickets.countByStatus(scope, {})).toEqual({ new: 4, triaged: 1 });
    // Lists leave the heavy arrays out.
    expect((await tickets.list(scope, {})).items[0]).not.toHaveProperty('events');
  });
});

describe('applyChange', () => {
  it('writes the change, its events and its outbox entries in one update, guarded by the status read', async () => {
    const created = await ticket();
    const now = new Date('2026-05-04T15:00:00Z');
    const event = { _id: 'ev-1', type: 'status_changed', actor: { role: 'officer' }, to: 'triaged', at: now };
    const entry = outboxEntry(
      'notify',
      'ticket-event',
      { ticketId: String(created._id) },
      { id: 'ob-1', now },
    );
    const updated = await tickets.applyChange(officerOfMinsa, {
      id: String(created._id),
      expectedStatus: 'new',
      set: { status: 'triaged' },
      inc: { reopenCount: 1 },
      events: [event],
      outbox: [entry],
    });
    expect(updated?.status).toBe('triaged');
    expect(updated?.reopenCount).toBe(1);
    expect(updated?.events?.map((e) => e._id)).toEqual(['ev-1']);
    expect(updated?.outbox?.map((e) => e._id)).toEqual(['ob-1']);

    // A second writer that read `new` loses: nothing of its change is applied.
    const stale = await tickets.applyChange(officerOfMinsa, {
      id: String(created._id),
      expectedStatus: 'new',
      set: { status: 'rejected' },
      events: [{ ...event, _id: 'ev-2', to: 'rejected' }],
    });
    expect(stale).toBeNull();
    const stored = await tickets.findById(EVERYTHING, String(created._id));
    expect(stored?.status).toBe('triaged');
    expect(stored?.events).toHaveLength(1);
  });

  it('changes nothing outside the caller’s scope', async () => {
    const elsewhere = await ticket({ organisationId: sunat });
    expect(
      await tickets.applyChange(officerOfMinsa, { id: String(elsewhere._id), set: { priority: 'urgent' } }),
    ).toBeNull();
    expect((await tickets.findById(EVERYTHING, String(elsewhere._id)))?.priority).toBe('normal');
  });
});

describe('reference claims', () => {
  it('give a number to one claimant only, keep a hint that only rises, and a floor stored once', async () => {
    const refs = refRepository(db.models);
    expect(await refs.isClaimed(2026, 1)).toBe(false);
    expect(await refs.claim(2026, 1)).toBe(true);
    expect(await refs.claim(2026, 1)).toBe(false);
    expect(await refs.isClaimed(2026, 1)).toBe(true);

    expect(await refs.hint(2026)).toBe(0);
    await refs.raiseHint(2026, 5);
    await refs.raiseHint(2026, 3);
    expect(await refs.hint(2026)).toBe(5);

    // The tickets stored by `ticket()` above reach Q-2026-<serial>; none of 2031.
    const floor = await refs.legacyFloor(2026);
    expect(floor).toBe(serial);
    await ticket();
    expect(await refs.legacyFloor(2026)).toBe(floor);
    expect(await refs.legacyFloor(2031)).toBe(0);
  });
});
