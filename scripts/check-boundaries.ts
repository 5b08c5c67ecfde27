// `pnpm run lint` runs this after biome: the import boundaries of ARCHITECTURE.md (see
// scripts/boundaries.ts for the rules). Prints each violation as file:line and exits 1.
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { checkTree } from './boundaries.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const violations = checkTree(root);
for (const v of violations) console.error(`${v.file}:${v.line}  ${v.rule}: ${v.detail}`);
if (violations.length > 0) {
  console.error(`\nboundaries: ${violations.length} import(s) cross a boundary of ARCHITECTURE.md`);
  process.exit(1);
}
console.log('boundaries: every import keeps to ARCHITECTURE.md');
