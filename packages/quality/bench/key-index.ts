// Memory of the unique/primary-key index, bytes per million keys: KeyIndex (128-bit digests
// in one Uint32Array) against a Map<string, number> holding the keys. Each variant runs in a
// fresh process; the figure is the growth of heap + array buffers after a full GC.
//   node packages/quality/bench/key-index.ts [keys]

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { KeyIndex } from '../src/key-index.ts';

const [mode, countArg, keyArg] = process.argv.slice(2);

if (mode === '--child') {
  const count = Number(countArg);
  const long = keyArg === 'long';
  const key = (i: number) =>
    long ? `Municipalidad Distrital de San Juan de Lurigancho|LIMA|${i}|2020-05-22` : `user-${i}@example.org`;
  const gc = (globalThis as { gc?: () => void }).gc as () => void;
  const used = () => {
    gc();
    const m = process.memoryUsage();
    return m.heapUsed + m.arrayBuffers;
  };
  const before = used();
  let kept: unknown;
  if (keyArg === 'map') {
    const map = new Map<string, number>();
    for (let i = 0; i < count; i++) map.set(`user-${i}@example.org`, i + 1);
    kept = map;
  } else if (keyArg === 'map-long') {
    const map = new Map<string, number>();
    for (let i = 0; i < count; i++)
      map.set(`Municipalidad Distrital de San Juan de Lurigancho|LIMA|${i}|2020-05-22`, i + 1);
    kept = map;
  } else if (keyArg === 'numbers' || keyArg === 'numbers-sized') {
    const index = new KeyIndex(keyArg === 'numbers-sized' ? count : undefined);
    for (let i = 0; i < count; i++) index.setNumber(i * 7 + 1, i + 1);
    kept = index;
  } else {
    const index = new KeyIndex(keyArg === 'short-sized' ? count : undefined);
    for (let i = 0; i < count; i++) index.set(key(i), i + 1);
    kept = index;
  }
  const bytes = used() - before;
  // keep the structure alive past the measurement
  process.stdout.write(`${bytes} ${(kept as { size: number }).size}`);
} else {
  const count = Number(mode ?? 1_000_000);
  process.stdout.write(`${count.toLocaleString('en')} distinct keys; MB per million keys\n`);
  for (const [label, kind] of [
    ['KeyIndex, integer keys', 'numbers'],
    ['KeyIndex, integer keys, sized ahead', 'numbers-sized'],
    ['KeyIndex, 20-char keys', 'short'],
    ['KeyIndex, 20-char keys, sized ahead', 'short-sized'],
    ['KeyIndex, 70-char keys', 'long'],
    ['Map<string, number>, 20-char keys', 'map'],
    ['Map<string, number>, 70-char keys', 'map-long'],
  ] as const) {
    const r = spawnSync(
      process.execPath,
      ['--expose-gc', fileURLToPath(import.meta.url), '--child', String(count), kind],
      { encoding: 'utf8' },
    );
    const bytes = Number(r.stdout.split(' ')[0]);
    process.stdout.write(
      `${label.padEnd(36)} ${(((bytes / count) * 1e6) / 1e6).toFixed(1).padStart(6)} MB\n`,
    );
  }
}
