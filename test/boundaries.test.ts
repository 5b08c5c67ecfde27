import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checkTree, specifiers } from '../scripts/boundaries.ts';

// Each rule of ARCHITECTURE.md's dependency paragraph, proven on a small workspace of its own.
const roots: string[] = [];
afterEach(() => {
  for (const root of roots.splice(0)) rmSync(root, { recursive: true, force: true });
});

function workspace(files: Record<string, string>): string {
  const root = mkdtempSync(path.join(tmpdir(), 'quipu-boundaries-'));
  roots.push(root);
  const parts: Record<string, string> = {
    'packages/core': '@quipu/core',
    'packages/db': '@quipu/db',
    'packages/quality': '@quipu/quality',
    'packages/commands': '@quipu/commands',
    'services/api': '@quipu/api',
    'services/web': '@quipu/web',
    'services/cli': '@quipu/cli',
    workers: '@quipu/workers',
    test: '@quipu/test',
  };
  for (const [folder, name] of Object.entries(parts)) {
    mkdirSync(path.join(root, folder, 'src'), { recursive: true });
    writeFileSync(path.join(root, folder, 'package.json'), JSON.stringify({ name }));
  }
  for (const [file, text] of Object.entries(files)) {
    mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    writeFileSync(path.join(root, file), text);
  }
  return root;
}

const rules = (root: string) => checkTree(root).map((v) => `${v.file}:${v.line} ${v.rule}`);

describe('import boundaries', () => {
  it('passes a tree that keeps every rule', () => {
    const root = workspace({
      'packages/core/src/a.ts': "import { x } from './b.ts';\n",
      'packages/quality/src/a.ts': "import { days } from '@quipu/core/time';\n",
      'packages/db/src/a.ts': "import mongoose from 'mongoose';\nconst { Ticket } = models;\n",
      'packages/commands/src/a.ts':
        "import { Types } from 'mongoose';\nimport type { Connection } from 'mongoose';\n",
      'services/api/src/a.ts': "import { repo } from '@quipu/db';\n",
      'services/cli/src/a.ts':
        "import { api } from '@quipu/api';\nimport { web } from '@quipu/web';\nimport { w } from '@quipu/workers';\n",
      'workers/src/a.ts': "import { db } from '@quipu/db';\n",
    });
    expect(rules(root)).toEqual([]);
  });

  it('refuses each crossing with the file, the line and the rule', () => {
    const root = workspace({
      'packages/core/src/a.ts': "// pure\nimport { y } from '@quipu/db';\n",
      'packages/quality/src/a.ts': "import { f } from '@quipu/fetch';\n",
      'packages/db/src/a.ts': "import { app } from '@quipu/api';\n",
      'services/web/src/a.ts': "import {\n  present,\n} from '@quipu/api';\n",
      'services/api/src/a.ts': "export { page } from '@quipu/web';\n",
      'workers/src/a.ts': "import { runtime } from '@quipu/cli/runtime';\n",
      'services/api/src/b.ts': "import { run } from '../../../workers/src/run.ts';\n",
      'packages/commands/src/b.ts': "const mod = await import('@quipu/queue');\n",
      'packages/commands/src/c.ts': "import mongoose from 'mongoose';\nawait models.Ticket.find({});\n",
      'services/web/src/figures.ts': 'export function f(models) {\n  const { Ticket } = models;\n}\n',
    });
    expect(rules(root).sort()).toEqual(
      [
        'packages/commands/src/b.ts:1 no dynamic imports that hide dependencies',
        'packages/commands/src/c.ts:1 only packages/db touches mongoose models',
        'packages/commands/src/c.ts:2 only packages/db touches mongoose models',
        'packages/core/src/a.ts:2 core imports nothing of ours',
        'packages/db/src/a.ts:1 packages never import services or workers',
        'packages/quality/src/a.ts:1 quality imports only core',
        'services/api/src/a.ts:1 services never import each other or workers',
        'services/api/src/b.ts:1 a relative import stays inside its package',
        'services/web/src/a.ts:1 services never import each other or workers',
        'services/web/src/figures.ts:2 only packages/db touches mongoose models',
        'workers/src/a.ts:1 workers never import services',
      ].sort(),
    );
  });

  it('lets tests seed through models but not import a worker from a service', () => {
    const root = workspace({
      'services/api/src/a.test.ts': "import { x } from '@quipu/workers';\nawait models.Ticket.create({});\n",
      'test/scenarios/s.test.ts': "import { w } from '@quipu/workers';\nimport { a } from '@quipu/api';\n",
    });
    expect(rules(root)).toEqual(['services/api/src/a.test.ts:1 services never import each other or workers']);
  });

  it('reads multi-line, type-only, side-effect and dynamic specifiers', () => {
    const found = specifiers(
      "import type {\n  A,\n  B,\n} from '@quipu/core';\nimport './side.ts';\nexport * from './c.ts';\nconst m = import('@quipu/db');\n",
    );
    expect(found.map((f) => [f.spec, f.line, f.typeOnly, f.dynamic])).toEqual([
      ['@quipu/core', 1, true, false],
      ['./c.ts', 6, false, false],
      ['./side.ts', 5, false, false],
      ['@quipu/db', 7, false, true],
    ]);
  });
});
