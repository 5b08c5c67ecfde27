import { readFileSync } from 'node:fs';
import { expect, test } from 'vitest';
import { STAFF_ROLES } from './model.ts';
import { TRANSITIONS } from './state-machine.ts';

// The README's tables are what other helpers and the lead read; keep them true.
test('README shows every transition row as the tables define it', () => {
  // Cells compared without their padding: the formatter aligns the columns.
  const squeeze = (text: string) => text.replace(/ *\| */g, '|');
  const readme = squeeze(readFileSync(new URL('./README.md', import.meta.url), 'utf8'));
  for (const rows of Object.values(TRANSITIONS)) {
    for (const r of rows) {
      const staff =
        r.roles.length === STAFF_ROLES.length && STAFF_ROLES.every((role) => r.roles.includes(role));
      const line = `| ${r.from.join(', ')} | \`${r.action}\` | ${r.to} | ${staff ? 'staff' : r.roles.join(', ')} | ${r.requires.join(', ') || '—'} | ${r.effects.join(', ') || '—'} |`;
      expect(readme).toContain(squeeze(line));
    }
  }
});
