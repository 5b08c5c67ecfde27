import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { addBusinessDays, addBusinessTime } from './business-time.ts';
import { calendarFromDescriptor } from './calendar.ts';

const dir = new URL('../../../../config/calendars/', import.meta.url);
const pe = calendarFromDescriptor(JSON.parse(readFileSync(new URL('pe.json', dir), 'utf8')));

// The SLA worker recomputes every open ticket after a holiday is added; 100 000 due dates must
// stay well under a few seconds even on a busy shared machine (typically a few hundred ms).
it('computes 100 000 day-based and 100 000 hour-based due dates quickly', () => {
  const base = Date.UTC(2026, 0, 1);
  const t0 = performance.now();
  let last = 0;
  for (let i = 0; i < 100_000; i++) {
    // Receipts spread over three years, every 15 min 47 s.
    last = addBusinessDays(pe, new Date(base + i * 947_000), 10).getTime();
  }
  const days = performance.now() - t0;
  const t1 = performance.now();
  for (let i = 0; i < 100_000; i++)
    last += addBusinessTime(pe, new Date(base + i * 947_000), 16 * 3_600_000).getTime();
  const hours = performance.now() - t1;
  console.info(
    `100k addBusinessDays: ${days.toFixed(0)} ms; 100k addBusinessTime(16 h): ${hours.toFixed(0)} ms`,
  );
  expect(last).toBeGreaterThan(base);
  expect(days).toBeLessThan(3000);
  expect(hours).toBeLessThan(3000);
});
