import { parseArgs } from 'node:util';
import { ConfigError, loadConfig } from '@quipu/config';

const USAGE = `Usage: quipu <command> [options]

Commands:
  start                      API, web UI and every worker in one process (embedded MongoDB/Redis/mail when no URL is set)
  serve                      API and web UI only (containers: one per process kind)
  worker [--only a,b]        workers only (groups: maintenance, notify, sla, quality, harvest)
  seed --demo                organisations, officers, datasets and a few tickets to look at
  user create --email E --name N --role R [--organisation slug] [--password P]
  validate <path|url> …      check a CSV against its Table Schema (quipu validate --help)
  db:indexes                 create every declared index (production runs this on deploy)
  sla:reconcile              re-derive every open ticket's deadline jobs from MongoDB
  loads:rebuild              recount every officer's open tickets (least-loaded assignment)
  figures:rebuild            recompute the figures' rollups from the tickets
  figures:verify             compare the published figures with a recount from the tickets

Configuration comes from config/default.json and environment variables (README: Configuration).`;

export async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === '--help' || command === '-h' || command === 'help') {
    process.stdout.write(`${USAGE}\n`);
    return command ? 0 : 2;
  }
  if (command === 'validate') {
    const { main: validate } = await import('@quipu/quality/cli');
    return await validate(['validate', ...rest]);
  }
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`quipu: ${error.message}\n`);
      return 78;
    }
    throw error;
  }
  switch (command) {
    case 'start': {
      const { start } = await import('./commands/start.ts');
      return await start(
        config,
        parseArgs({ args: rest, options: { 'no-seed': { type: 'boolean' } } }).values,
      );
    }
    case 'serve': {
      const { serve } = await import('./commands/serve.ts');
      return await serve(config);
    }
    case 'worker': {
      const { worker } = await import('./commands/worker.ts');
      const { values } = parseArgs({ args: rest, options: { only: { type: 'string' } } });
      return await worker(config, {
        only:
          values.only
            ?.split(',')
            .map((s) => s.trim())
            .filter(Boolean) ?? [],
      });
    }
    case 'seed': {
      const { seed } = await import('./commands/seed.ts');
      const { values } = parseArgs({ args: rest, options: { demo: { type: 'boolean' } } });
      if (!values.demo) {
        process.stderr.write('quipu seed: only --demo exists\n');
        return 2;
      }
      return await seed(config);
    }
    case 'user': {
      const { userCommand } = await import('./commands/user.ts');
      return await userCommand(config, rest);
    }
    case 'sla:reconcile': {
      const { slaReconcile } = await import('./commands/sla-reconcile.ts');
      return await slaReconcile(config);
    }
    case 'loads:rebuild': {
      const { loadsRebuild } = await import('./commands/rebuilds.ts');
      return await loadsRebuild(config);
    }
    case 'figures:rebuild': {
      const { figuresRebuild } = await import('./commands/rebuilds.ts');
      return await figuresRebuild(config);
    }
    case 'figures:verify': {
      const { figuresVerify } = await import('./commands/rebuilds.ts');
      return await figuresVerify(config);
    }
    case 'db:indexes': {
      const { dbIndexes } = await import('./commands/db-indexes.ts');
      return await dbIndexes(config);
    }
    default:
      process.stderr.write(`quipu: unknown command "${command}"\n\n${USAGE}\n`);
      return 2;
  }
}
