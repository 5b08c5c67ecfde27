// Benchmark: (a) a raw csv-parse read, (b) Quipu's validate through the CLI, (c) frictionless-py
// validate, on one generated file and schema; each in its own process, timed, with peak RSS.
//
//   node packages/quality/bench/validate.ts                # 1,000,000 rows × 10 fields
//   node packages/quality/bench/validate.ts --rows 200000
//   node packages/quality/bench/validate.ts --size 1GB     # rows until the file reaches 1 GB
//   node packages/quality/bench/validate.ts --skip-frictionless
//
// Data goes to packages/quality/bench/data/ (git-ignored). frictionless-py is taken from
// packages/quality/.venv (installed there with pip when missing).

import { spawn, spawnSync } from 'node:child_process';
import {
  createReadStream,
  createWriteStream,
  existsSync,
  mkdirSync,
  readFileSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.resolve(here, '..');
const dataDir = path.join(here, 'data');
const venv = path.join(pkg, '.venv');

// ---- child mode: raw csv-parse read -----------------------------------------------------
async function rawRead(file: string): Promise<void> {
  let rows = 0;
  const parser = createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(
    parse({ relax_column_count: true }),
  );
  for await (const _record of parser) rows++;
  process.stdout.write(`${JSON.stringify({ rows })}\n`);
}

// ---- data ---------------------------------------------------------------------------------
const SCHEMA = {
  fields: [
    { name: 'id', type: 'integer', constraints: { required: true, unique: true } },
    { name: 'name', type: 'string', constraints: { required: true, maxLength: 40 } },
    { name: 'age', type: 'integer', constraints: { minimum: 0, maximum: 120 } },
    { name: 'score', type: 'number', constraints: { minimum: 0 } },
    { name: 'active', type: 'boolean' },
    { name: 'born', type: 'date' },
    { name: 'email', type: 'string', constraints: { pattern: '[^@]+@[^@]+' } },
    { name: 'region', type: 'string', constraints: { enum: ['norte', 'sur', 'este', 'oeste', 'centro'] } },
    { name: 'amount', type: 'number' },
    { name: 'code', type: 'string', constraints: { minLength: 6, maxLength: 6 } },
  ],
};

const REGIONS = ['norte', 'sur', 'este', 'oeste', 'centro'];
const NAMES = ['Ana', 'Luis', 'María', 'José', 'Carmen', 'Jorge', 'Lucía', 'Pedro', 'Rosa', 'Juan'];

/** Deterministic rows; every 20,000th row carries one error (50 in a million, under the 1,000-error limit at 1 GB). */
function row(i: number): string {
  const r = (i * 2654435761) >>> 0;
  const bad = i % 20000 === 19999;
  const age = bad && r % 3 === 0 ? 150 : r % 100;
  const score = bad && r % 3 === 1 ? 'n/a' : ((r % 10000) / 100).toFixed(2);
  const region = bad && r % 3 === 2 ? 'mar' : REGIONS[r % 5];
  const month = String((r % 12) + 1).padStart(2, '0');
  const day = String((r % 28) + 1).padStart(2, '0');
  const name = `${NAMES[r % 10]} ${NAMES[(r >>> 4) % 10]}`;
  return `${i + 1},${name},${age},${score},${r % 2 ? 'true' : 'false'},${1950 + (r % 60)}-${month}-${day},user${i}@example.org,${region},${(r % 1000000) / 100},C${String(r % 100000).padStart(5, '0')}\n`;
}

async function generate(file: string, rows: number | undefined, bytes: number | undefined): Promise<number> {
  const meta = `${file}.meta.json`;
  if (existsSync(file) && existsSync(meta)) {
    const m = JSON.parse(readFileSync(meta, 'utf8')) as { rows: number; bytes: number };
    if ((rows === undefined || m.rows === rows) && (bytes === undefined || m.bytes >= bytes)) return m.rows;
  }
  mkdirSync(dataDir, { recursive: true });
  const out = createWriteStream(file);
  const write = (s: string) =>
    out.write(s) ? Promise.resolve() : new Promise<void>((r) => out.once('drain', () => r()));
  await write(`${SCHEMA.fields.map((f) => f.name).join(',')}\n`);
  let written = 0;
  let size = 0;
  let chunk = '';
  for (let i = 0; rows !== undefined ? i < rows : size < (bytes ?? 0); i++) {
    const line = row(i);
    chunk += line;
    size += line.length;
    written++;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((r) => out.end(() => r()));
  writeFileSync(meta, JSON.stringify({ rows: written, bytes: statSync(file).size }));
  return written;
}

// ---- measuring a child --------------------------------------------------------------------
interface Run {
  seconds: number;
  /** user + system CPU seconds: steadier than wall time on a shared machine */
  cpuSeconds: number | undefined;
  peakRssMb: number;
  code: number | null;
  stdout: string;
  stderr: string;
}

function readHwm(pid: number): number | undefined {
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const m = /VmHWM:\s+(\d+) kB/.exec(status);
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

const TIME = '/usr/bin/time';

/** Runs a child; peak RSS and CPU from /usr/bin/time when present, else by polling VmHWM. */
function measure(cmd: string, args: string[], cwd: string): Promise<Run> {
  return new Promise((resolve) => {
    const started = performance.now();
    const timeFile = path.join(dataDir, `.time-${process.pid}`);
    const useTime = existsSync(TIME);
    const child = useTime
      ? spawn(TIME, ['-f', '%U %S %M', '-o', timeFile, cmd, ...args], {
          cwd,
          stdio: ['ignore', 'pipe', 'pipe'],
        })
      : spawn(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      if (stdout.length < 1 << 20) stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      if (stderr.length < 1 << 16) stderr += d.toString();
    });
    let peak = 0;
    const poll = setInterval(() => {
      const kb = child.pid ? readHwm(child.pid) : undefined;
      if (kb && kb > peak) peak = kb;
    }, 20);
    child.on('close', (code) => {
      clearInterval(poll);
      let cpuSeconds: number | undefined;
      if (useTime && existsSync(timeFile)) {
        const [user, sys, rss] = readFileSync(timeFile, 'utf8').trim().split(/\s+/).slice(-3).map(Number);
        cpuSeconds = (user ?? 0) + (sys ?? 0);
        if (rss) peak = rss;
        unlinkSync(timeFile);
      }
      resolve({
        seconds: (performance.now() - started) / 1000,
        cpuSeconds,
        peakRssMb: peak / 1024,
        code,
        stdout,
        stderr,
      });
    });
  });
}

function ensureFrictionless(): string | undefined {
  const bin = path.join(venv, 'bin', 'frictionless');
  if (existsSync(bin)) return bin;
  process.stderr.write(
    'frictionless-py not found: creating packages/quality/.venv (pip install frictionless==5.21.*)…\n',
  );
  const mk = spawnSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
  if (mk.status !== 0) return undefined;
  const pip = spawnSync(path.join(venv, 'bin', 'pip'), ['install', '-q', 'frictionless==5.21.*'], {
    stdio: 'inherit',
  });
  return pip.status === 0 && existsSync(bin) ? bin : undefined;
}

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?$/i.exec(text.trim());
  if (!m) throw new Error(`bad --size ${text}`);
  const unit = (m[2] ?? 'B').toUpperCase();
  return Math.round(Number(m[1]) * ({ B: 1, KB: 1e3, MB: 1e6, GB: 1e9 } as Record<string, number>)[unit]!);
}

async function bench(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string' },
      size: { type: 'string' },
      'skip-frictionless': { type: 'boolean' },
    },
  });
  const bytesTarget = values.size ? parseSize(values.size) : undefined;
  const rowsTarget = bytesTarget ? undefined : Number(values.rows ?? 1_000_000);
  const name = bytesTarget ? `bench-${values.size?.toLowerCase()}.csv` : `bench-${rowsTarget}.csv`;
  const file = path.join(dataDir, name);
  const schemaFile = path.join(dataDir, 'bench-schema.json');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(schemaFile, JSON.stringify(SCHEMA, null, 2));
  process.stderr.write(`generating ${name}…\n`);
  const rows = await generate(file, rowsTarget, bytesTarget);
  const mb = statSync(file).size / 1e6;
  process.stdout.write(
    `file: ${path.relative(process.cwd(), file)} — ${rows.toLocaleString('en')} rows × 10 fields, ${mb.toFixed(1)} MB\n\n`,
  );

  const results: Array<{ label: string; run: Run }> = [];
  const node = process.execPath;
  process.stderr.write('(a) raw csv-parse…\n');
  results.push({
    label: '(a) csv-parse read',
    run: await measure(node, [fileURLToPath(import.meta.url), '--raw', file], pkg),
  });
  process.stderr.write('(b) quipu validate…\n');
  const quipu = await measure(
    node,
    [path.join(pkg, 'src', 'cli.ts'), 'validate', name, '--schema', 'bench-schema.json', '--json'],
    dataDir,
  );
  results.push({ label: '(b) quipu validate (CLI)', run: quipu });
  if (!values['skip-frictionless']) {
    const bin = ensureFrictionless();
    if (bin) {
      process.stderr.write('(c) frictionless-py validate (this takes a while)…\n');
      results.push({
        label: '(c) frictionless-py 5.21',
        run: await measure(bin, ['validate', name, '--schema', 'bench-schema.json', '--json'], dataDir),
      });
    } else process.stderr.write('frictionless-py unavailable: (c) skipped\n');
  }

  const errorsOf = (r: Run) => {
    try {
      const report = JSON.parse(r.stdout) as { tasks: Array<{ stats: { errors: number; rows?: number } }> };
      return `${report.tasks[0]?.stats.errors} errors, ${report.tasks[0]?.stats.rows} rows`;
    } catch {
      return r.stdout.trim().slice(0, 60);
    }
  };
  process.stdout.write(
    'run                          seconds  CPU s     rows/s      MB/s   peak RSS   exit  output\n',
  );
  for (const { label, run } of results) {
    process.stdout.write(
      `${label.padEnd(28)} ${run.seconds.toFixed(2).padStart(7)} ${(run.cpuSeconds?.toFixed(2) ?? '-').padStart(6)} ${Math.round(
        rows / run.seconds,
      )
        .toLocaleString('en')
        .padStart(
          10,
        )} ${(mb / run.seconds).toFixed(1).padStart(9)} ${`${run.peakRssMb.toFixed(0)} MB`.padStart(10)} ${String(run.code).padStart(6)}  ${errorsOf(run)}\n`,
    );
    if (run.code !== 0 && run.code !== 1) process.stdout.write(`   stderr: ${run.stderr.slice(0, 400)}\n`);
  }
  const ratio = (x: Run, y: Run) =>
    `${(x.seconds / y.seconds).toFixed(2)} by wall time, ${x.cpuSeconds && y.cpuSeconds ? (x.cpuSeconds / y.cpuSeconds).toFixed(2) : '-'} by CPU time`;
  const a = results[0]?.run;
  const b = results[1]?.run;
  const c = results[2]?.run;
  process.stdout.write('\n');
  if (a && b) process.stdout.write(`(b) speed / (a) speed = ${ratio(a, b)}  (target ≥ 0.5)\n`);
  if (b && c) process.stdout.write(`(b) speed / (c) speed = ${ratio(c, b)}  (target ≥ 10)\n`);
  if (b)
    process.stdout.write(
      `(b) peak RSS = ${b.peakRssMb.toFixed(0)} MB${bytesTarget ? ' (target < 300 MB on 1 GB)' : ''}\n`,
    );
}

const rawIndex = process.argv.indexOf('--raw');
if (rawIndex !== -1) await rawRead(process.argv[rawIndex + 1] as string);
else await bench();
