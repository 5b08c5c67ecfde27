// Benchmark, one table in one run: a bare single-threaded csv-parse read, Quipu's validate on
// one thread and on every core, and frictionless-py 5.21's validate, on the same file and
// schema; each in its own process, timed, with peak RSS. Then the ratios against the targets,
// and whether both Quipu modes report the same errors.
//
//   node packages/quality/bench/validate.ts                  # 1,000,000 rows of Peruvian data
//   node packages/quality/bench/validate.ts --rows 200000
//   node packages/quality/bench/validate.ts --size 1GB       # rows until the file reaches 1 GB
//   node packages/quality/bench/validate.ts --data synthetic # the generated 10-field file
//   node packages/quality/bench/validate.ts --skip-frictionless
//
// The Peruvian file is built from MINSA's SINADEF death-registry sample in the shared real
// datasets (read in place): its rows repeated with a fresh running number and shifted years,
// kept as published (`;`, Windows-1252, CRLF), a few errors injected far apart. Data goes to
// packages/quality/bench/data/ (git-ignored). frictionless-py is taken from
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
import { availableParallelism } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { parse } from 'csv-parse';

const here = path.dirname(fileURLToPath(import.meta.url));
const pkg = path.resolve(here, '..');
const dataDir = path.join(here, 'data');
const venv = path.join(pkg, '.venv');
const realDir = path.resolve(pkg, '../../../shared/datasets/real');
/** Raised when a generator changes, so that files made by an older one are made again. */
const GENERATOR_VERSION = 3;

// ---- child mode: a bare csv-parse read ----------------------------------------------------
async function rawRead(file: string, delimiter: string, encoding: BufferEncoding): Promise<void> {
  let rows = 0;
  const parser = createReadStream(file, { highWaterMark: 256 * 1024 }).pipe(
    parse({ delimiter, encoding, relax_column_count: true }),
  );
  for await (const _record of parser) rows++;
  process.stdout.write(`${JSON.stringify({ rows })}\n`);
}

// ---- the data sets ------------------------------------------------------------------------
interface DataSet {
  title: string;
  schema: object;
  delimiter: string;
  /** Declared to every tool, as a data package's resource would. */
  encoding: 'cp1252' | 'utf-8';
  header: string;
  row: (i: number) => string;
}

/** Every 20,000th row carries one error: 50 in a million, under the 1,000-error limit at 1 GB. */
const isBad = (i: number) => i % 20000 === 19999;

function synthetic(): DataSet {
  const regions = ['norte', 'sur', 'este', 'oeste', 'centro'];
  const names = ['Ana', 'Luis', 'María', 'José', 'Carmen', 'Jorge', 'Lucía', 'Pedro', 'Rosa', 'Juan'];
  const schema = {
    fields: [
      { name: 'id', type: 'integer', constraints: { required: true, unique: true } },
      { name: 'name', type: 'string', constraints: { required: true, maxLength: 40 } },
      { name: 'age', type: 'integer', constraints: { minimum: 0, maximum: 120 } },
      { name: 'score', type: 'number', constraints: { minimum: 0 } },
      { name: 'active', type: 'boolean' },
      { name: 'born', type: 'date' },
      { name: 'email', type: 'string', constraints: { pattern: '[^@]+@[^@]+' } },
      { name: 'region', type: 'string', constraints: { enum: regions } },
      { name: 'amount', type: 'number' },
      { name: 'code', type: 'string', constraints: { minLength: 6, maxLength: 6 } },
    ],
  };
  return {
    title: 'generated rows × 10 fields (UTF-8, `,`)',
    schema,
    delimiter: ',',
    encoding: 'utf-8',
    header: `${schema.fields.map((f) => f.name).join(',')}\n`,
    row: (i) => {
      const r = (i * 2654435761) >>> 0;
      const bad = isBad(i);
      const age = bad && r % 3 === 0 ? 150 : r % 100;
      const score = bad && r % 3 === 1 ? 'n/a' : ((r % 10000) / 100).toFixed(2);
      const region = bad && r % 3 === 2 ? 'mar' : regions[r % 5];
      const month = String((r % 12) + 1).padStart(2, '0');
      const day = String((r % 28) + 1).padStart(2, '0');
      const name = `${names[r % 10]} ${names[(r >>> 4) % 10]}`;
      return `${i + 1},${name},${age},${score},${r % 2 ? 'true' : 'false'},${1950 + (r % 60)}-${month}-${day},user${i}@example.org,${region},${(r % 1000000) / 100},C${String(r % 100000).padStart(5, '0')}\n`;
    },
  };
}

const SINADEF = 'pe-minsa-sinadef-fallecidos-muestra-2020-05-22.csv';

/**
 * MINSA's SINADEF sample (6,032 deaths, 19 fields) with the schema an officer would write for
 * it: codes as enums, the running number required and unique, dates in the published
 * DD/MM/YYYY, ages and months bounded, "NO REGISTRADO" and "-----" as missing values.
 */
function peru(): DataSet {
  const source = path.join(realDir, SINADEF);
  if (!existsSync(source)) throw new Error(`the Peruvian source file is missing: ${source}`);
  const text = readFileSync(source).toString('latin1');
  const lines = text.split('\r\n').filter((l) => l.length);
  const header = `${lines[0]}\r\n`;
  const rows = lines.slice(1).map((l) => l.split(';'));
  const enumOf = (...values: string[]) => ({ enum: values });
  const schema = {
    missingValues: ['', 'NO REGISTRADO', '-----'],
    fields: [
      { name: 'Nº', type: 'integer', constraints: { required: true, unique: true, minimum: 1 } },
      {
        name: 'TIPO SEGURO',
        type: 'string',
        constraints: {
          required: true,
          ...enumOf(
            'ESSALUD',
            'EXONERADO',
            'IGNORADO',
            'OTROS',
            'PRIVADOS',
            'SANIDAD EP',
            'SANIDAD FAP',
            'SANIDAD NAVAL',
            'SANIDAD PNP',
            'SIS',
            'USUARIO',
          ),
        },
      },
      {
        name: 'SEXO',
        type: 'string',
        constraints: { required: true, ...enumOf('FEMENINO', 'MASCULINO', 'INDETERMINADO') },
      },
      { name: 'EDAD', type: 'integer', constraints: { minimum: 0, maximum: 130 } },
      {
        name: 'TIEMPO EDAD',
        type: 'string',
        constraints: { required: true, ...enumOf('AÑOS', 'MESES', 'DIAS', 'HORAS', 'MINUTOS', 'IGNORADO') },
      },
      {
        name: 'ESTADO CIVIL',
        type: 'string',
        constraints: enumOf(
          'CASADO',
          'CONVIVIENT/CONCUBINA',
          'DIVORCIADO',
          'IGNORADO',
          'SEPARADO',
          'SOLTERO',
          'VIUDO',
        ),
      },
      {
        name: 'NIVEL DE INSTRUCCIÓN',
        type: 'string',
        constraints: enumOf(
          'IGNORADO',
          'INICIAL / PRE-ESCOLAR',
          'NINGUN NIVEL / ILETRADO',
          'PRIMARIA COMPLETA',
          'PRIMARIA INCOMPLETA',
          'SECUNDARIA COMPLETA',
          'SECUNDARIA INCOMPLETA',
          'SUPERIOR NO UNIV. COMP.',
          'SUPERIOR NO UNIV. INC.',
          'SUPERIOR UNIV. COMP.',
          'SUPERIOR UNIV. INC.',
        ),
      },
      {
        name: 'COD. UBIGEO DOMICILIO',
        type: 'string',
        constraints: { pattern: '\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{2}-\\d{3}' },
      },
      { name: 'PAIS DOMICILIO', type: 'string' },
      { name: 'DEPARTAMENTO DOMICILIO', type: 'string' },
      { name: 'PROVINCIA DOMICILIO', type: 'string' },
      { name: 'DISTRITO DOMICILIO', type: 'string' },
      { name: 'FECHA', type: 'date', format: '%d/%m/%Y', constraints: { required: true } },
      { name: 'AÑO', type: 'integer', constraints: { required: true, minimum: 2000, maximum: 2030 } },
      { name: 'MES', type: 'integer', constraints: { required: true, minimum: 1, maximum: 12 } },
      {
        name: 'TIPO LUGAR',
        type: 'string',
        constraints: enumOf(
          'CENTRO LABORAL',
          'DOMICILIO',
          'EESS',
          'EN TRANSITO',
          'IGNORADO',
          'OTRO',
          'VIA PUBLICA',
        ),
      },
      { name: 'INSTITUCION', type: 'string' },
      {
        name: 'MUERTE VIOLENTA',
        type: 'string',
        constraints: enumOf(
          'ACCIDENTE DE TRABAJO',
          'ACCIDENTE DE TRANSITO',
          'HOMICIDIO',
          'NO SE CONOCE',
          'OTRO ACCIDENTE',
          'SUICIDIO',
        ),
      },
      {
        name: 'NECROPSIA',
        type: 'string',
        constraints: enumOf('NO SE REALIZÓ NECROPSIA', 'SI SE REALIZÓ NECROPSIA'),
      },
    ],
  };
  return {
    title: `${SINADEF} repeated (19 fields, Windows-1252, \`;\`, CRLF)`,
    schema,
    delimiter: ';',
    encoding: 'cp1252',
    header,
    row: (i) => {
      const fields = (rows[i % rows.length] as string[]).slice();
      const year = 2014 + (Math.floor(i / rows.length) % 8);
      fields[0] = String(i + 1);
      fields[12] = `${(fields[12] as string).slice(0, 6)}${year}`;
      fields[13] = String(year);
      if (isBad(i)) {
        const kind = Math.floor(i / 20000) % 4;
        if (kind === 0)
          fields[3] = 'OCHENTA'; // type-error
        else if (kind === 1)
          fields[2] = 'F'; // constraint-error (enum)
        else if (kind === 2)
          fields[12] = `31/02/${year}`; // type-error (no such date)
        else fields[0] = String(i + 1 - 60000); // unique-error, about 9 MB (over a range) after the first
      }
      return `${fields.join(';')}\r\n`;
    },
  };
}

async function generate(
  set: DataSet,
  file: string,
  rows: number | undefined,
  bytes: number | undefined,
): Promise<number> {
  const meta = `${file}.meta.json`;
  if (existsSync(file) && existsSync(meta)) {
    const m = JSON.parse(readFileSync(meta, 'utf8')) as { rows: number; bytes: number; version?: number };
    if (
      m.version === GENERATOR_VERSION &&
      m.bytes === statSync(file).size &&
      (rows === undefined || m.rows === rows) &&
      (bytes === undefined || m.bytes >= bytes)
    )
      return m.rows;
  }
  mkdirSync(dataDir, { recursive: true });
  const out = createWriteStream(file);
  const encoding = set.encoding === 'cp1252' ? 'latin1' : 'utf8';
  const write = (s: string) =>
    out.write(Buffer.from(s, encoding))
      ? Promise.resolve()
      : new Promise<void>((r) => out.once('drain', () => r()));
  await write(set.header);
  let written = 0;
  let size = set.header.length;
  let chunk = '';
  for (let i = 0; rows !== undefined ? i < rows : size < (bytes ?? 0); i++) {
    const line = set.row(i);
    chunk += line;
    size += encoding === 'latin1' ? line.length : Buffer.byteLength(line);
    written++;
    if (chunk.length > 1 << 20) {
      await write(chunk);
      chunk = '';
    }
  }
  await write(chunk);
  await new Promise<void>((r) => out.end(() => r()));
  writeFileSync(
    meta,
    JSON.stringify({ rows: written, bytes: statSync(file).size, version: GENERATOR_VERSION }),
  );
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
    const out: Buffer[] = [];
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => out.push(d));
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
        stdout: Buffer.concat(out).toString(),
        stderr,
      });
    });
  });
}

/** The frictionless executable, or why there is none. */
function ensureFrictionless(): { bin: string; version: string } | { missing: string } {
  const bin = path.join(venv, 'bin', 'frictionless');
  const version = () => spawnSync(bin, ['--version'], { encoding: 'utf8' }).stdout.trim();
  if (existsSync(bin)) return { bin, version: version() };
  process.stderr.write(
    'frictionless-py not found: creating packages/quality/.venv (pip install frictionless==5.21.*)…\n',
  );
  if (!existsSync(path.join(venv, 'bin', 'pip'))) {
    const mk = spawnSync('python3', ['-m', 'venv', venv], { stdio: ['ignore', 'inherit', 'pipe'] });
    if (mk.status !== 0)
      return {
        missing: `python3 -m venv failed: ${String(mk.stderr ?? mk.error)
          .trim()
          .slice(0, 200)}`,
      };
  }
  const pip = spawnSync(path.join(venv, 'bin', 'pip'), ['install', '-q', 'frictionless==5.21.*'], {
    stdio: ['ignore', 'inherit', 'pipe'],
  });
  if (pip.status !== 0 || !existsSync(bin))
    return {
      missing: `pip install frictionless==5.21.* failed: ${String(pip.stderr ?? pip.error)
        .trim()
        .slice(-200)}`,
    };
  return { bin, version: version() };
}

function parseSize(text: string): number {
  const m = /^(\d+(?:\.\d+)?)\s*(B|KB|MB|GB)?$/i.exec(text.trim());
  if (!m) throw new Error(`bad --size ${text}`);
  const unit = (m[2] ?? 'B').toUpperCase();
  return Math.round(Number(m[1]) * ({ B: 1, KB: 1e3, MB: 1e6, GB: 1e9 } as Record<string, number>)[unit]!);
}

// ---- reading the reports ----------------------------------------------------------------------
interface ReportedError {
  type: string;
  rowNumber?: number;
  fieldNumber?: number;
  note?: string;
  message?: string;
}
interface Parsed {
  errors: ReportedError[];
  rows: number | undefined;
}

function reportOf(run: Run): Parsed | undefined {
  try {
    const report = JSON.parse(run.stdout) as {
      errors: ReportedError[];
      tasks: Array<{ errors: ReportedError[]; stats: { rows?: number } }>;
    };
    return {
      errors: [...report.errors, ...report.tasks.flatMap((t) => t.errors)],
      rows: report.tasks[0]?.stats.rows,
    };
  } catch {
    return undefined;
  }
}

const keyOf = (e: ReportedError) => `${e.type} row ${e.rowNumber ?? '-'} field ${e.fieldNumber ?? '-'}`;

/** Where two error lists first differ (undefined: the same). */
function firstDifference(
  a: ReportedError[],
  b: ReportedError[],
  exact: boolean,
): { at: number; left?: string; right?: string } | undefined {
  const show = (e: ReportedError | undefined) => (e ? `${keyOf(e)}: ${e.note ?? ''}` : '(none)');
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    const same =
      x &&
      y &&
      (exact ? JSON.stringify(x) === JSON.stringify(y) : keyOf(x) === keyOf(y) && x.note === y.note);
    if (!same) return { at: i + 1, left: show(x), right: show(y) };
  }
  return undefined;
}

// ---- the bench ------------------------------------------------------------------------------
async function bench(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string' },
      size: { type: 'string' },
      data: { type: 'string', default: 'peru' },
      'skip-frictionless': { type: 'boolean' },
    },
  });
  if (values.data !== 'peru' && values.data !== 'synthetic')
    throw new Error(`--data is "peru" or "synthetic", not "${values.data}"`);
  const set = values.data === 'peru' ? peru() : synthetic();
  const bytesTarget = values.size ? parseSize(values.size) : undefined;
  const rowsTarget = bytesTarget ? undefined : Number(values.rows ?? 1_000_000);
  const stem = `bench-${values.data}-${bytesTarget ? values.size?.toLowerCase() : rowsTarget}`;
  const name = `${stem}.csv`;
  const file = path.join(dataDir, name);
  const schemaName = `bench-${values.data}-schema.json`;
  const dialectName = `bench-${values.data}-dialect.json`;
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(path.join(dataDir, schemaName), JSON.stringify(set.schema, null, 2));
  writeFileSync(path.join(dataDir, dialectName), JSON.stringify({ delimiter: set.delimiter }));
  process.stderr.write(`generating ${name}…\n`);
  const rows = await generate(set, file, rowsTarget, bytesTarget);
  const bytes = statSync(file).size;
  const mb = bytes / 1e6;
  const cores = availableParallelism();
  // imported here, not at the top: the csv-parse child loads nothing of Quipu's
  const { DEFAULT_CHUNK_SIZE } = await import('../src/split.ts');
  const fields = (set.schema as { fields: unknown[] }).fields.length;
  process.stdout.write(
    `file: ${path.relative(process.cwd(), file)} — ${set.title}\n      ${rows.toLocaleString('en')} rows × ${fields} fields, ${mb.toFixed(1)} MB; ${cores} cores\n`,
  );
  if (bytes < 2 * DEFAULT_CHUNK_SIZE)
    process.stdout.write(
      `note: under two ranges of ${DEFAULT_CHUNK_SIZE / 2 ** 20} MiB, so "all cores" stays single-threaded\n`,
    );
  process.stdout.write('\n');

  const node = process.execPath;
  const quipuArgs = (threads: number) => [
    path.join(pkg, 'src', 'cli.ts'),
    'validate',
    name,
    '--schema',
    schemaName,
    '--dialect',
    dialectName,
    '--encoding',
    set.encoding,
    '--threads',
    String(threads),
    '--json',
  ];
  const rowsFor: Array<{ label: string; run?: Run; note?: string }> = [];

  process.stderr.write('csv-parse read…\n');
  const raw = await measure(
    node,
    [
      fileURLToPath(import.meta.url),
      '--raw',
      file,
      set.delimiter,
      set.encoding === 'cp1252' ? 'latin1' : 'utf8',
    ],
    pkg,
  );
  rowsFor.push({ label: 'csv-parse read, 1 thread', run: raw });
  process.stderr.write('Quipu, 1 thread…\n');
  const one = await measure(node, quipuArgs(1), dataDir);
  rowsFor.push({ label: 'Quipu, 1 thread', run: one });
  process.stderr.write(`Quipu, ${cores} threads…\n`);
  const all = await measure(node, quipuArgs(cores), dataDir);
  rowsFor.push({ label: `Quipu, all cores (${cores})`, run: all });

  let fl: Run | undefined;
  let flLabel = 'frictionless-py 5.21';
  if (values['skip-frictionless']) rowsFor.push({ label: flLabel, note: 'skipped (--skip-frictionless)' });
  else {
    const found = ensureFrictionless();
    if ('missing' in found) rowsFor.push({ label: flLabel, note: `NOT INSTALLED — ${found.missing}` });
    else {
      flLabel = `frictionless-py ${found.version}`;
      process.stderr.write(`${flLabel} (this takes a while)…\n`);
      fl = await measure(
        found.bin,
        [
          'validate',
          name,
          '--schema',
          schemaName,
          '--dialect',
          dialectName,
          '--encoding',
          set.encoding,
          '--json',
        ],
        dataDir,
      );
      rowsFor.push({ label: flLabel, run: fl });
    }
  }

  const outcome = (label: string, run: Run) => {
    if (label.startsWith('csv-parse')) {
      const r = /"rows":(\d+)/.exec(run.stdout);
      return r ? `${Number(r[1]).toLocaleString('en')} records` : run.stdout.trim().slice(0, 40);
    }
    const report = reportOf(run);
    return report
      ? `${report.errors.length} error${report.errors.length === 1 ? '' : 's'}, ${report.rows?.toLocaleString('en') ?? '?'} rows`
      : 'no report';
  };
  const width = Math.max(...rowsFor.map((r) => r.label.length)) + 2;
  process.stdout.write(`${'run'.padEnd(width)}   MB/s  seconds   CPU s  peak RSS MB  exit  result\n`);
  for (const { label, run, note } of rowsFor) {
    if (!run) {
      process.stdout.write(`${label.padEnd(width)}      -        -       -            -     -  ${note}\n`);
      continue;
    }
    process.stdout.write(
      `${label.padEnd(width)}${(mb / run.seconds).toFixed(1).padStart(7)}${run.seconds.toFixed(2).padStart(9)}${(run.cpuSeconds?.toFixed(2) ?? '-').padStart(8)}${run.peakRssMb.toFixed(0).padStart(13)}${String(run.code).padStart(6)}  ${outcome(label, run)}\n`,
    );
    if (run.code !== 0 && run.code !== 1) process.stdout.write(`   stderr: ${run.stderr.slice(0, 400)}\n`);
  }

  // speed ratio x ÷ y: how many times faster x ran than y, by wall time
  const speed = (x: Run, y: Run) => y.seconds / x.seconds;
  const verdict = (ok: boolean) => (ok ? 'PASS' : 'FAIL');
  const line = (what: string, value: string, target: string, result: string) =>
    process.stdout.write(`${what.padEnd(36)}${value.padStart(9)}   ${target.padEnd(26)}${result}\n`);
  process.stdout.write('\n');
  line('ratio (speed, by wall time)', 'value', 'target', 'result');
  if (fl) {
    const r = speed(all, fl);
    line('Quipu all cores ÷ frictionless-py', `${r.toFixed(2)}×`, '≥ 10×', verdict(r >= 10));
  } else line('Quipu all cores ÷ frictionless-py', '-', '≥ 10×', 'not measured');
  const vsRaw = speed(all, raw);
  line('Quipu all cores ÷ csv-parse', `${vsRaw.toFixed(2)}×`, '≥ 1.0×', verdict(vsRaw >= 1));
  if (fl) line('Quipu 1 thread ÷ frictionless-py', `${speed(one, fl).toFixed(2)}×`, '', '');
  else line('Quipu 1 thread ÷ frictionless-py', '-', '', 'not measured');
  const oneGb = bytesTarget !== undefined && bytesTarget >= 1e9;
  line(
    'peak RSS, Quipu all cores',
    `${all.peakRssMb.toFixed(0)} MB`,
    '< 300 MB with --size 1GB',
    oneGb ? verdict(all.peakRssMb < 300) : 'not judged (file under 1 GB)',
  );

  process.stdout.write('\n');
  const a = reportOf(one);
  const b = reportOf(all);
  if (!a || !b) process.stdout.write('errors, Quipu 1 thread vs all cores: a report is missing — FAIL\n');
  else {
    const diff = firstDifference(a.errors, b.errors, true);
    process.stdout.write(
      diff
        ? `errors, Quipu 1 thread vs all cores: ${a.errors.length} vs ${b.errors.length}, first difference at #${diff.at}:\n   1 thread:  ${diff.left}\n   all cores: ${diff.right}\n   FAIL\n`
        : `errors, Quipu 1 thread vs all cores: identical (${a.errors.length} errors, every field compared) — PASS\n`,
    );
  }
  const f = fl ? reportOf(fl) : undefined;
  if (a && f) {
    const diff = firstDifference(f.errors, a.errors, false);
    process.stdout.write(
      diff
        ? `errors, frictionless-py vs Quipu: ${f.errors.length} vs ${a.errors.length}, first difference at #${diff.at}:\n   frictionless-py: ${diff.left}\n   Quipu:           ${diff.right}\n`
        : `errors, frictionless-py vs Quipu: the same ${f.errors.length} errors (type, row, field, note)\n`,
    );
  }
}

const rawIndex = process.argv.indexOf('--raw');
if (rawIndex !== -1)
  await rawRead(
    process.argv[rawIndex + 1] as string,
    process.argv[rawIndex + 2] as string,
    process.argv[rawIndex + 3] as BufferEncoding,
  );
else await bench();
