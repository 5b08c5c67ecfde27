import { useHarness } from '@quipu/test/harness';
import { seedDirectory, signIn, startStack } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;

beforeAll(async () => {
  stack = await startStack(harness, { workers: false, now: new Date('2026-04-06T10:00:00-05:00') });
  directory = await seedDirectory(stack.commands);
});

type Calendars = {
  items: Array<{
    id: string;
    year: number;
    holidays: Array<{ date: string; decreed: boolean; law: string | null }>;
  }>;
};

describe('GET /api/v1/admin/calendars', () => {
  it('shows managers and admins the calendars in force with a year of holidays (this year by default)', async () => {
    const manager = await signIn(stack.url, directory.manager.email, directory.password);
    const response = await manager.request('/api/v1/admin/calendars');
    expect(response.status).toBe(200);
    const { items } = (await response.json()) as Calendars;
    const pe = items.find((c) => c.id === 'pe')!;
    expect(pe.year).toBe(2026);
    // Viernes Santo 2026.
    expect(pe.holidays.map((h) => h.date)).toContain('2026-04-03');
    const next = (await (await manager.request('/api/v1/admin/calendars?year=2027')).json()) as Calendars;
    expect(next.items.find((c) => c.id === 'pe')!.year).toBe(2027);
  });

  it('answers 401 without a session, 403 to officers and 400 for a bad year', async () => {
    expect((await fetch(`${stack.url}/api/v1/admin/calendars`)).status).toBe(401);
    const officer = await signIn(stack.url, directory.officerA.email, directory.password);
    expect((await officer.request('/api/v1/admin/calendars')).status).toBe(403);
    const admin = await signIn(stack.url, directory.admin.email, directory.password);
    expect((await admin.request('/api/v1/admin/calendars?year=1900')).status).toBe(400);
    expect((await admin.request('/api/v1/admin/calendars?year=dos')).status).toBe(400);
  });
});

describe('POST /api/v1/admin/calendars/:id/holidays', () => {
  const holiday = {
    date: '2026-05-08',
    name: 'Día no laborable para el sector público',
    law: 'DS 045-2026-PCM',
  };

  it('decrees a day once (201, then 200) on the calendar and those extending it, and queues the recompute', async () => {
    const admin = await signIn(stack.url, directory.admin.email, directory.password);
    const added = await admin.request('/api/v1/admin/calendars/pe/holidays', {
      method: 'POST',
      body: holiday,
    });
    expect(added.status).toBe(201);
    const body = (await added.json()) as { added: boolean; calendarIds: string[] };
    expect(body.added).toBe(true);
    expect(body.calendarIds.sort()).toEqual(['pe', 'pe-amazonas']);
    expect(await stack.runtime.queues.get('sla').getJob(`recompute-pe-${holiday.date}`)).toMatchObject({
      name: 'recompute-calendar',
      data: { calendarId: 'pe' },
    });
    const again = await admin.request('/api/v1/admin/calendars/pe/holidays', {
      method: 'POST',
      body: holiday,
    });
    expect(again.status).toBe(200);
    expect(((await again.json()) as { added: boolean }).added).toBe(false);
    const { items } = (await (await admin.request('/api/v1/admin/calendars?year=2026')).json()) as Calendars;
    expect(
      items.find((c) => c.id === 'pe-amazonas')!.holidays.find((h) => h.date === holiday.date),
    ).toMatchObject({ decreed: true, law: holiday.law });
  });

  it('answers 400 for a bad or non-working date, 401/403 to others, 404 for an unknown calendar', async () => {
    const admin = await signIn(stack.url, directory.admin.email, directory.password);
    const post = (path: string, body: unknown) => admin.request(path, { method: 'POST', body });
    expect((await post('/api/v1/admin/calendars/pe/holidays', { ...holiday, date: '8 May' })).status).toBe(
      400,
    );
    expect((await post('/api/v1/admin/calendars/pe/holidays', { ...holiday, extra: 1 })).status).toBe(400);
    // A Saturday is already a non-working day.
    const saturday = await post('/api/v1/admin/calendars/pe/holidays', { ...holiday, date: '2026-05-09' });
    expect(saturday.status).toBe(400);
    expect(((await saturday.json()) as { code: string }).code).toBe('not_a_business_day');
    expect((await post('/api/v1/admin/calendars/mars/holidays', holiday)).status).toBe(404);
    const manager = await signIn(stack.url, directory.manager.email, directory.password);
    expect(
      (await manager.request('/api/v1/admin/calendars/pe/holidays', { method: 'POST', body: holiday }))
        .status,
    ).toBe(403);
    const anonymous = await fetch(`${stack.url}/api/v1/admin/calendars/pe/holidays`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(holiday),
    });
    expect(anonymous.status).toBe(401);
  });
});
