// frictionless-py's table-driven field tests (fields/__spec__/test_<type>.py), ported to
// conformance/field-cases/<type>.json and proven against frictionless-py by
// verify-field-cases.py: readCell() must read each cell as frictionless-py does.
// The JavaScript representation expected for each value is set by toExpected().
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { comparable, type FieldCase, isErrorExpected, toExpected } from '../conformance/field-values.ts';
import { conformanceDir } from '../conformance/harness.ts';
import { readCell } from '../src/index.ts';

const dir = path.join(conformanceDir, 'field-cases');
const tables = readdirSync(dir)
  .filter((file) => file.endsWith('.json'))
  .sort()
  .map(
    (file) => JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as { type: string; cases: FieldCase[] },
  );

function title(c: FieldCase): string {
  const { name: _name, type: _type, ...options } = c.field;
  return `${JSON.stringify(c.cell)} ${JSON.stringify(options)} (${c.origin})`;
}

for (const table of tables) {
  describe(`readCell, ${table.type}`, () => {
    test.each(table.cases.map((c) => [title(c), c] as const))('%s', (_title, c) => {
      const result = readCell(c.field, c.cell) as { value?: unknown; error?: string };
      if (isErrorExpected(c.expected)) {
        expect(result, 'a type error').toHaveProperty('error');
        return;
      }
      expect(result.error, 'no type error').toBeUndefined();
      if (c.expected === null) {
        expect(result.value ?? null, 'a missing value').toBeNull();
        return;
      }
      const [ours, theirs] = comparable(result.value, c.expected);
      expect(
        ours,
        `expected ${String(JSON.stringify(toExpected(c.expected), (_k, v) => (typeof v === 'bigint' ? `${v}n` : v)))}`,
      ).toEqual(theirs);
    });
  });
}
