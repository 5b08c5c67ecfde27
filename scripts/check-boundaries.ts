// `pnpm run lint` runs this after biome: the import boundaries of ARCHITECTURE.md (see
// scripts/boundaries.ts for the rules). Prints each violation as file:line and exits 1.
//
// scripts/boundaries-known.txt lists the crossings that issue 12 has not removed yet, one
// `file<TAB>rule` a line. It may only shrink: a crossing not on it fails, and so does a line of it
// that no longer matches anything (delete the line when you remove the crossing).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkTree } from './boundaries.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const known = new Set(
  readFileSync(path.join(root, 'scripts/boundaries-known.txt'), 'utf8')
    .split('\n')
    .filter((line) => line.trim() && !line.startsWith('#')),
);
const violations = checkTree(root);
const seen = new Set<string>();
let failures = 0;
for (const v of violations) {
  const key = `${v.file}\t${v.rule}`;
  seen.add(key);
  if (known.has(key)) continue;
  failures++;
  console.error(`${v.file}:${v.line}  ${v.rule}: ${v.detail}`);
}
for (const key of known) {
  if (seen.has(key)) continue;
  failures++;
  console.error(
    `scripts/boundaries-known.txt: "${key.replace('\t', '  ')}" no longer occurs; delete the line`,
  );
}
if (failures > 0) {
  console.error(`\nboundaries: ${failures} problem(s) against ARCHITECTURE.md's import rules`);
  process.exit(1);
}
console.log(
  `boundaries: every import keeps to ARCHITECTURE.md (${known.size} known crossings left, scripts/boundaries-known.txt)`,
);
