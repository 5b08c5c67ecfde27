import { parseArgs } from 'node:util';
import { createLogger } from '@quipu/api';
import { CommandError, createCommandContext, createUser } from '@quipu/commands';
import type { Config } from '@quipu/config';
import { startEmbeddedServices } from '../embedded.ts';
import { createRuntime } from '../runtime.ts';

const USAGE =
  'usage: quipu user create --email E --name N --role officer|team_lead|manager|admin [--role …] [--organisation slug …] [--password P]';

/** `quipu user create …`: the first admin of a fresh install, or any staff account. */
export async function userCommand(config: Config, args: string[]): Promise<number> {
  const [sub, ...rest] = args;
  if (sub !== 'create') {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  let values: Record<string, string | string[] | boolean | undefined>;
  try {
    values = parseArgs({
      args: rest,
      options: {
        email: { type: 'string' },
        name: { type: 'string' },
        role: { type: 'string', multiple: true },
        organisation: { type: 'string', multiple: true },
        password: { type: 'string' },
      },
    }).values;
  } catch (error) {
    process.stderr.write(`quipu user create: ${(error as Error).message}\n${USAGE}\n`);
    return 2;
  }
  const email = values.email as string | undefined;
  const name = values.name as string | undefined;
  const roles = (values.role as string[] | undefined) ?? [];
  if (!email || !name || roles.length === 0) {
    process.stderr.write(`quipu user create: --email, --name and --role are required\n${USAGE}\n`);
    return 2;
  }
  const password =
    (values.password as string | undefined) ??
    (await import('node:crypto')).randomBytes(12).toString('base64url');
  if (password.length < 12) {
    process.stderr.write('quipu user create: --password must have at least 12 characters\n');
    return 2;
  }
  const logger = createLogger('warn');
  const embedded = await startEmbeddedServices(config, logger);
  const runtime = await createRuntime(embedded.config, { logger });
  try {
    const user = await createUser(createCommandContext(runtime), {
      email,
      name,
      password,
      roles,
      organisations: (values.organisation as string[] | undefined) ?? [],
    });
    process.stdout.write(
      `created ${user.email} (${roles.join(', ')})${values.password ? '' : `\npassword: ${password}`}\n`,
    );
    return 0;
  } catch (error) {
    if (error instanceof CommandError) {
      process.stderr.write(`quipu user create: ${error.message}\n`);
      return 1;
    }
    throw error;
  } finally {
    await runtime.close();
    await embedded.stop();
  }
}
