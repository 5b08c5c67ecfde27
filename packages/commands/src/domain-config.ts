import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CONFIG_DIR } from '@quipu/config';
import { parseRoutingConfig, type RoutingConfig } from '@quipu/core/routing';
import { parsePolicies, type SlaPolicy } from '@quipu/core/sla';
import { type Calendar, resolveCalendars } from '@quipu/core/time';

/** Routing rules, SLA policies and business calendars from config/ (validated at start). */
export interface DomainConfig {
  routing: RoutingConfig;
  policies: SlaPolicy[];
  calendars: Map<string, Calendar>;
  defaultCalendarId: string;
}

function readJson(path: string): unknown {
  return JSON.parse(readFileSync(path, 'utf8'));
}

export function loadDomainConfig(options: { configDir?: string; defaultCalendarId: string }): DomainConfig {
  const dir = options.configDir ?? CONFIG_DIR;
  const routing = parseRoutingConfig(readJson(join(dir, 'routing.json')));
  if (!routing.ok) throw new Error(`config/routing.json: ${routing.errors.join('; ')}`);
  const policies = parsePolicies(readJson(join(dir, 'sla-policies.json')));
  const calendarFiles = readdirSync(join(dir, 'calendars')).filter((f) => f.endsWith('.json'));
  const calendars = resolveCalendars(calendarFiles.map((f) => readJson(join(dir, 'calendars', f))));
  if (!calendars.has(options.defaultCalendarId)) {
    throw new Error(`portal.defaultCalendar "${options.defaultCalendarId}" is not in config/calendars/`);
  }
  return { routing: routing.config, policies, calendars, defaultCalendarId: options.defaultCalendarId };
}
