// Runs Quipu's validate() on every conformance case and compares it with frictionless-py.
//
//   node packages/quality/conformance/compare.ts [--live] [--case ID]... [--strict] [--json FILE]
//
// --live     compare with a fresh frictionless-py run (needs the venv: bash setup-reference.sh)
//            instead of the stored reports in expected/.
// --case ID  only these cases (repeatable).
// --strict   exit 1 when a case that is not a deliberate difference disagrees.
// --json F   also write the per-case results to F.
// Prints a table of the cases that differ, then the agreement rate.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import {
  type Comparison,
  compareReports,
  conformanceDir,
  expectedDir,
  loadCases,
  loadDeliberateDifferences,
  loadExpected,
  normaliseReport,
  repoRoot,
  validateArguments,
} from './harness.ts';

type Validate = (source: unknown, options?: Record<string, unknown>) => Promise<unknown>;

interface CaseResult {
  id: string;
  /** The deliberate difference's reason, when the case is one. */
  deliberate?: string;
  /** The stored report the case was compared with. */
  expectedId: string;
  crashed?: string;
  comparison?: Comparison;
}

const { values } = parseArgs({
  options: {
    live: { type: 'boolean', default: false },
    case: { type: 'string', multiple: true },
    strict: { type: 'boolean', default: false },
    json: { type: 'string' },
  },
});

const only = new Set(values.case ?? []);
const cases = loadCases().filter((c) => only.size === 0 || only.has(c.id));
if (only.size > 0 && cases.length !== only.size) {
  console.error(`unknown case id among: ${[...only].join(', ')}`);
  process.exit(2);
}
const deliberate = loadDeliberateDifferences();

let referenceDir = expectedDir;
let scratch: string | undefined;
if (values.live) {
  const python = path.join(conformanceDir, '..', '.venv', 'bin', 'python');
  if (!existsSync(python)) {
    console.error('no reference venv: run `bash packages/quality/conformance/setup-reference.sh` first');
    process.exit(2);
  }
  scratch = mkdtempSync(path.join(tmpdir(), 'quipu-conformance-'));
  referenceDir = scratch;
  const args = [
    path.join(conformanceDir, 'run-reference.py'),
    '--out',
    scratch,
    ...[...only].flatMap((id) => ['--case', id]),
  ];
  const run = spawnSync(python, args, {
    cwd: repoRoot,
    stdio: ['ignore', 'inherit', 'pipe'],
    encoding: 'utf8',
  });
  if (run.status !== 0) {
    console.error(run.stderr);
    process.exit(2);
  }
}

const quality = (await import('../src/index.ts')) as unknown as { validate?: Validate };
const validate = quality.validate;

const results: CaseResult[] = [];
for (const c of cases) {
  const difference = deliberate[c.id];
  const result: CaseResult = { id: c.id, expectedId: difference?.expectedFrom ?? c.id };
  if (difference) result.deliberate = difference.reason;
  if (!validate) {
    result.crashed = 'validate() is not exported by packages/quality/src/index.ts';
  } else {
    try {
      const { source, options } = validateArguments(c);
      const actual = normaliseReport(c.id, await validate(source, options));
      result.comparison = compareReports(c, loadExpected(result.expectedId, referenceDir), actual);
    } catch (error) {
      result.crashed = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    }
  }
  results.push(result);
}
// Per-case table of differences.
const counted = results.filter((r) => !r.deliberate);
const rows = results.filter((r) => r.crashed || (r.comparison && !r.comparison.agrees));
if (rows.length > 0) {
  console.log('case | expected | ours | matched | difference');
  console.log('---- | -------- | ---- | ------- | ----------');
  for (const r of rows) {
    const cmp = r.comparison;
    const what = r.crashed ? `crashed: ${r.crashed}` : (cmp?.differences ?? []).join('; ');
    const tag = r.deliberate
      ? ` (deliberate, compared with ${r.expectedId === r.id ? 'itself' : r.expectedId})`
      : '';
    console.log(
      `${r.id}${tag} | ${cmp?.expectedErrors ?? expectedCount(r.id)} | ${cmp?.actualErrors ?? '?'} | ${cmp?.matchedErrors ?? 0} | ${what}`,
    );
  }
  console.log('');
}

const agreeing = counted.filter((r) => r.comparison?.agrees).length;
const expectedErrors = counted.reduce(
  (n, r) => n + (r.comparison?.expectedErrors ?? expectedCount(r.expectedId)),
  0,
);
const matchedErrors = counted.reduce((n, r) => n + (r.comparison?.matchedErrors ?? 0), 0);
const extraErrors = counted.reduce(
  (n, r) => n + Math.max(0, (r.comparison?.actualErrors ?? 0) - (r.comparison?.matchedErrors ?? 0)),
  0,
);
const crashed = counted.filter((r) => r.crashed).length;
const pct = (a: number, b: number): string => (b === 0 ? '100.0' : ((100 * a) / b).toFixed(1));

console.log(`reference: ${values.live ? 'frictionless-py (live run)' : 'stored reports (expected/)'}`);
console.log(`cases agreeing: ${agreeing}/${counted.length} (${pct(agreeing, counted.length)} %)`);
console.log(
  `errors matched: ${matchedErrors}/${expectedErrors} (${pct(matchedErrors, expectedErrors)} %), extra errors of ours: ${extraErrors}`,
);
if (crashed > 0) console.log(`cases where validate() threw: ${crashed}`);
const deliberateResults = results.filter((r) => r.deliberate);
if (deliberateResults.length > 0) {
  const alternative = deliberateResults.filter((r) => r.expectedId !== r.id);
  const agreeingAlternative = alternative.filter((r) => r.comparison?.agrees).length;
  console.log(
    `deliberate differences, not counted above: ${deliberateResults.length}` +
      (alternative.length > 0
        ? `; agreeing with their alternative reference: ${agreeingAlternative}/${alternative.length}`
        : ''),
  );
}

if (values.json) {
  writeFileSync(
    values.json,
    `${JSON.stringify({ agreeing, cases: counted.length, matchedErrors, expectedErrors, extraErrors, results }, null, 1)}\n`,
  );
}
if (scratch) rmSync(scratch, { recursive: true, force: true });
if (values.strict && agreeing < counted.length) process.exit(1);

function expectedCount(id: string): number {
  try {
    const report = loadExpected(id, referenceDir);
    return report.errors.length + report.tasks.reduce((n, t) => n + t.errors.length, 0);
  } catch {
    return 0;
  }
}
