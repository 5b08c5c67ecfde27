import { parseRoutingConfig, type RoutingConfig } from '@quipu/core/routing';
import { settingsRepository } from '@quipu/db';
import type { CommandContext } from './context.ts';
import { CommandError } from './errors.ts';
import type { StaffPrincipal } from './principal.ts';

const KEY = 'routing';

/** The routing rules in force: what an admin saved through the API, else config/routing.json. */
export async function routingConfigOf(
  ctx: CommandContext,
): Promise<{ source: 'admin' | 'config'; config: RoutingConfig; updatedAt?: Date }> {
  const stored = await settingsRepository(ctx.models).get<unknown>(KEY);
  if (stored) {
    const parsed = parseRoutingConfig(stored.value);
    // A stored document is validated when saved; if a later release tightened the rules, fall back.
    if (parsed.ok) return { source: 'admin', config: parsed.config, updatedAt: stored.updatedAt };
  }
  return { source: 'config', config: ctx.domain.routing };
}

/** Replaces the routing rules (validated in full first: a bad rule set never reaches intake). */
export async function saveRoutingConfig(ctx: CommandContext, principal: StaffPrincipal, value: unknown) {
  const parsed = parseRoutingConfig(value);
  if (!parsed.ok)
    throw new CommandError('invalid_field', 'The routing rules are not valid.', {
      field: 'rules',
      problems: parsed.errors,
    });
  await settingsRepository(ctx.models).put(KEY, value, principal.userId);
  return parsed.config;
}

/** Back to config/routing.json. */
export async function resetRoutingConfig(ctx: CommandContext) {
  await settingsRepository(ctx.models).remove(KEY);
}
