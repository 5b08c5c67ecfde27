import { expect, test } from 'vitest';
import { currentResolution } from './outcome.ts';

const resolve = (text: string, at: string) => ({
  type: 'status_changed',
  action: 'resolve',
  to: 'resolved',
  fields: { resolution: text },
  at,
});

test('the resolution stands from the latest resolve until the ticket leaves resolved or closed', () => {
  expect(currentResolution([{ type: 'created' }])).toBeNull();
  const first = resolve('Se corrigieron 12 fechas.', '2026-03-02T15:00:00Z');
  expect(currentResolution([first])).toEqual({ text: 'Se corrigieron 12 fechas.', at: first.at });
  const closed = { type: 'status_changed', action: 'confirm_resolution', to: 'closed', at: '2026-03-03' };
  expect(currentResolution([first, { type: 'comment_added' }, closed])?.text).toBe(
    'Se corrigieron 12 fechas.',
  );
  const disputed = { type: 'status_changed', action: 'dispute_resolution', to: 'in_progress' };
  expect(currentResolution([first, disputed])).toBeNull();
  const second = resolve('Se publicó la versión corregida.', '2026-03-05T15:00:00Z');
  expect(currentResolution([first, disputed, second])?.text).toBe('Se publicó la versión corregida.');
});
