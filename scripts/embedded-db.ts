// Serves the embedded MongoDB-compatible server for `scripts/run test`: FerretDB over
// PostgreSQL (or SQLite with --backend sqlite, or when PostgreSQL is not installed), data in a
// fresh folder. Prints the URL on its first line, then runs until SIGTERM/SIGINT.
//   node scripts/embedded-db.ts [--backend postgresql|sqlite] [--dir DIR]
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startMongo, TOOLS_BIN_DIR } from '@quipu/embedded';

const { values } = parseArgs({ options: { backend: { type: 'string' }, dir: { type: 'string' } } });
const backend = values.backend;
if (backend !== undefined && backend !== 'postgresql' && backend !== 'sqlite') {
  console.error(`--backend must be postgresql or sqlite, not ${backend}`);
  process.exit(2);
}
const dir = values.dir ?? mkdtempSync(join(tmpdir(), 'quipu-test-db-'));
const server = await startMongo({
  dir,
  ...(backend ? { backend } : {}),
  ephemeral: true,
  searchDirs: [TOOLS_BIN_DIR],
});
process.stdout.write(`${server.url} ${server.kind}${server.backend ? `/${server.backend}` : ''}\n`);
const stop = async () => {
  await server.stop();
  if (!values.dir) rmSync(dir, { recursive: true, force: true });
  process.exit(0);
};
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
