// The CLI prints the same report as validate() and exits 0 (valid), 1 (invalid) or
// 2 (unreadable): checked on a few conformance cases against frictionless-py's reports.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  allErrors,
  errorKey,
  loadCases,
  loadExpected,
  normaliseReport,
  repoRoot,
} from '../conformance/harness.ts';

const cli = path.join(repoRoot, 'packages/quality/src/cli.ts');

function run(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [cli, 'validate', ...args, '--json'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

const byId = new Map(loadCases().map((c) => [c.id, c]));

describe('quipu-quality validate (CLI)', () => {
  test.each([
    ['fixture-table-csv', 0],
    ['fixture-invalid-csv', 1],
    ['fixture-schema-errors-csv', 1],
    ['fixture-latin1-csv', 0],
  ] as const)('%s exits %i with frictionless-py’s errors', (id, status) => {
    const c = byId.get(id);
    if (!c || typeof c.source !== 'string') throw new Error(`no file case ${id}`);
    const args = [c.source, '--dialect-detection', 'frictionless'];
    if (typeof c.options.schema === 'string') args.push('--schema', c.options.schema);
    const result = run(args);
    expect(result.status, result.stderr).toBe(status);
    const expected = loadExpected(id);
    const actual = normaliseReport(id, JSON.parse(result.stdout));
    expect(actual.valid).toBe(expected.valid);
    expect(allErrors(actual).map(errorKey)).toEqual(allErrors(expected).map(errorKey));
  });

  test('a file that cannot be read exits 2', () => {
    const result = run(['../shared/datasets/frictionless-fixtures/no-such-file.csv']);
    expect(result.status, result.stderr).toBe(2);
  });
});
