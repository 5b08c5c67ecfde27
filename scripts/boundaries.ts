// The import boundaries of ARCHITECTURE.md, checked from the source text of every workspace
// file. Run by `pnpm run lint` (scripts/check-boundaries.ts); the rules are data so that the test
// in test/boundaries.test.ts can prove each one on a small tree of its own.
//
// Written by hand because the linter's restricted-imports rule matches import names, not the
// folder the importing file lives in, and here the rule depends on both.

import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** The workspace's parts, by folder, and the package name each is imported by. */
export interface Part {
  /** Folder relative to the repository root, e.g. `packages/core`. */
  folder: string;
  /** Its package name, e.g. `@quipu/core`. */
  name: string;
}

export interface Violation {
  file: string;
  line: number;
  rule: string;
  detail: string;
}

const SERVICES = ['@quipu/api', '@quipu/web', '@quipu/cli'];
const WORKERS = ['@quipu/workers'];

/**
 * Which of our packages a part may not import. `services/cli` is the composition root: it wires
 * the API, the web pages and the workers into one process, so it alone may import them all.
 */
function forbiddenFor(part: Part): { names: string[]; rule: string } | undefined {
  const ours = (names: string[]) => names.filter((name) => name !== part.name);
  if (part.folder === 'packages/core') return { names: ['*'], rule: 'core imports nothing of ours' };
  if (part.folder === 'packages/quality')
    return { names: ['*except @quipu/core'], rule: 'quality imports only core' };
  if (part.folder.startsWith('packages/'))
    return { names: [...SERVICES, ...WORKERS], rule: 'packages never import services or workers' };
  if (part.folder === 'services/cli' || part.folder === 'test') return undefined;
  if (part.folder.startsWith('services/'))
    return { names: ours([...SERVICES, ...WORKERS]), rule: 'services never import each other or workers' };
  if (part.folder === 'workers') return { names: SERVICES, rule: 'workers never import services' };
  return undefined;
}

/** Every module specifier in a file, with its line: static imports, re-exports and dynamic imports. */
export function specifiers(
  source: string,
): Array<{ spec: string; line: number; dynamic: boolean; typeOnly: boolean; names: string }> {
  const found: Array<{ spec: string; line: number; dynamic: boolean; typeOnly: boolean; names: string }> = [];
  const lineOf = (index: number) => source.slice(0, index).split('\n').length;
  const statics = /(?:^|\n)\s*(import|export)\s+(type\s+)?([^;'"]*?)\s*from\s*['"]([^'"]+)['"]/g;
  for (const match of source.matchAll(statics)) {
    found.push({
      spec: match[4]!,
      line: lineOf(match.index + match[0].indexOf(match[1]!)),
      dynamic: false,
      typeOnly: Boolean(match[2]),
      names: match[3]!,
    });
  }
  for (const match of source.matchAll(/(?:^|\n)\s*import\s*['"]([^'"]+)['"]/g)) {
    found.push({
      spec: match[1]!,
      line: lineOf(match.index + 1),
      dynamic: false,
      typeOnly: false,
      names: '',
    });
  }
  for (const match of source.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)) {
    found.push({ spec: match[1]!, line: lineOf(match.index), dynamic: true, typeOnly: false, names: '' });
  }
  return found;
}

function packageOf(spec: string): string | undefined {
  const match = /^(@quipu\/[a-z0-9-]+)/.exec(spec);
  return match?.[1];
}

const isTest = (file: string) =>
  /\.test\.ts$|\.test-helper\.ts$|(^|\/)test-support\.ts$/.test(file) || file.startsWith('test/');

/** Checks one file (path relative to the root) of the given part. */
export function checkFile(file: string, source: string, part: Part, parts: Part[]): Violation[] {
  const violations: Violation[] = [];
  const forbidden = forbiddenFor(part);
  for (const { spec, line, dynamic, typeOnly, names } of specifiers(source)) {
    const target = packageOf(spec);
    if (target && forbidden && target !== part.name) {
      const all = forbidden.names[0] === '*';
      const except = forbidden.names[0]?.startsWith('*except ') ? forbidden.names[0].slice(8) : undefined;
      const hit = all || (except !== undefined ? target !== except : forbidden.names.includes(target));
      if (hit) violations.push({ file, line, rule: forbidden.rule, detail: `imports ${spec}` });
    }
    if (spec.startsWith('.')) {
      const resolved = path.posix.normalize(path.posix.join(path.posix.dirname(file), spec));
      const other = parts.find((p) => p !== part && resolved.startsWith(`${p.folder}/`));
      if (other) {
        violations.push({
          file,
          line,
          rule: 'a relative import stays inside its package',
          detail: `${spec} reaches into ${other.folder}; import ${other.name} by name`,
        });
      }
    }
    // The command line loads each subcommand when it is called (start-up time); its dependencies are
    // still declared in its package.json, so nothing is hidden there.
    if (dynamic && target && !isTest(file) && part.folder !== 'services/cli') {
      violations.push({
        file,
        line,
        rule: 'no dynamic imports that hide dependencies',
        detail: `import('${spec}')`,
      });
    }
    if (spec === 'mongoose' && !part.folder.startsWith('packages/db') && !typeOnly && !isTest(file)) {
      // Outside the repositories, mongoose may lend its ObjectId and error types, never a model.
      const braced = /^\{.*\}$/s.test(names.trim());
      const values = names
        .replace(/[{}]/g, '')
        .split(',')
        .map((n) => n.trim())
        .filter((n) => n && !n.startsWith('type '))
        .map((n) => n.split(/\s+as\s+/)[0]!);
      const allowed = new Set(['Types', 'mongo', 'isValidObjectId']);
      const bad = braced ? values.filter((n) => !allowed.has(n)) : [names.trim()];
      if (bad.length > 0)
        violations.push({
          file,
          line,
          rule: 'only packages/db touches mongoose models',
          detail: `imports ${bad.join(', ') || 'mongoose'} from mongoose`,
        });
    }
  }
  if (!part.folder.startsWith('packages/db') && !isTest(file)) {
    const lines = source.split('\n');
    lines.forEach((text, index) => {
      if (/^\s*(\/\/|\*|\/\*)/.test(text)) return;
      if (/\bmodels\.[A-Z][A-Za-z]+\b/.test(text) || /\{[^}]*\}\s*=\s*(?:[\w.]+\.)?models\b/.test(text)) {
        violations.push({
          file,
          line: index + 1,
          rule: 'only packages/db touches mongoose models',
          detail: text.trim().slice(0, 100),
        });
      }
    });
  }
  return violations;
}

/** The workspace's parts, read from pnpm-workspace.yaml's folders and each package.json. */
export function readParts(root: string): Part[] {
  const parts: Part[] = [];
  for (const group of ['packages', 'services']) {
    const dir = path.join(root, group);
    for (const entry of safeList(dir)) {
      const folder = `${group}/${entry}`;
      const name = packageName(path.join(root, folder));
      if (name) parts.push({ folder, name });
    }
  }
  for (const folder of ['workers', 'test']) {
    const name = packageName(path.join(root, folder));
    if (name) parts.push({ folder, name });
  }
  return parts;
}

function packageName(dir: string): string | undefined {
  try {
    return (JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as { name?: string }).name;
  } catch {
    return undefined;
  }
}

function safeList(dir: string): string[] {
  try {
    return readdirSync(dir).sort();
  } catch {
    return [];
  }
}

function* sourceFiles(root: string, folder: string): Generator<string> {
  for (const entry of safeList(path.join(root, folder))) {
    if (entry === 'node_modules' || entry.startsWith('.')) continue;
    const rel = `${folder}/${entry}`;
    const stat = statSync(path.join(root, rel));
    if (stat.isDirectory()) yield* sourceFiles(root, rel);
    else if (/\.(ts|tsx|js|mjs)$/.test(entry) && !entry.endsWith('.d.ts')) yield rel;
  }
}

/** Every violation in the tree under root. */
export function checkTree(root: string): Violation[] {
  const parts = readParts(root);
  const violations: Violation[] = [];
  for (const part of parts) {
    for (const file of sourceFiles(root, part.folder)) {
      violations.push(...checkFile(file, readFileSync(path.join(root, file), 'utf8'), part, parts));
    }
  }
  return violations;
}
