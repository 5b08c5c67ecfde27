#!/usr/bin/env node
// Runs the TypeScript sources directly (Node ≥ 22.18 strips types natively; no build step).
import { main } from '../src/main.ts';

main(process.argv.slice(2)).then(
  (code) => {
    if (typeof code === 'number') process.exitCode = code;
  },
  (error) => {
    process.stderr.write(`quipu: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
