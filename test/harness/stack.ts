import { createLogger, type HttpServer, type Mount, startHttpServer } from '@quipu/api';
import {
  type CommandContext,
  createCommandContext,
  createOrganisation,
  createTeam,
  createUser,
  linkToken,
} from '@quipu/commands';
import { startSmtpPeer } from '@quipu/mail/smtp-peer';
import { type Processor, startWorkers, type WorkerHost } from '@quipu/workers';
import { afterAll } from 'vitest';
import type { Harness } from './index.ts';

type SmtpPeer = Awaited<ReturnType<typeof startSmtpPeer>>;

export interface Stack {
  url: string;
  http: HttpServer;
  commands: CommandContext;
  smtp: SmtpPeer;
  workers: WorkerHost | null;
  runtime: Awaited<ReturnType<Harness['runtime']>>;
  /** Moves the controllable clock (when the stack was started with one). */
  clock: { now: Date; set(at: Date | string): void; advance(ms: number): void };
}

/**
 * The whole stack on this file's database: API server on a free port, workers (all, or the
 * chosen groups), and an SMTP peer that records every message. Closed after the file.
 */
export async function startStack(
  harness: Harness,
  options: {
    workers?: string[] | false;
    processors?: Processor[];
    now?: Date;
    config?: Record<string, unknown>;
    /** Extra mounts on the server (the web UI), as `quipu start` mounts them. */
    mounts?: Mount[];
    /** The server's logger (silent unless a test reads the access log). */
    logger?: ReturnType<typeof createLogger>;
  } = {},
): Promise<Stack> {
  const smtp = await startSmtpPeer();
  const clock = {
    now: options.now ?? new Date(),
    fixed: Boolean(options.now),
    set(at: Date | string) {
      this.now = new Date(at);
    },
    advance(ms: number) {
      this.now = new Date(this.now.getTime() + ms);
    },
  };
  const runtime = await harness.runtime({
    ...(options.now ? { now: () => clock.now } : {}),
    config: { smtp: { url: smtp.url }, ...(options.config ?? {}) },
  });
  const http = await startHttpServer(
    { ...runtime, logger: options.logger ?? createLogger('silent') },
    options.mounts ?? [],
    0,
  );
  const workers =
    options.workers === false
      ? null
      : await startWorkers(runtime, {
          ...(options.workers ? { only: options.workers } : {}),
          ...(options.processors ? { processors: options.processors } : {}),
        });
  const commands = createCommandContext(runtime);
  afterAll(async () => {
    await http.close();
    await workers?.close();
    await smtp.close();
  });
  return { url: http.url, http, commands, smtp, workers, runtime, clock };
}

/** A logger at `info` that keeps every line it writes, for tests that read the access log. */
export function capturingLogger() {
  const lines: string[] = [];
  const logger = createLogger('info', { write: (line: string) => void lines.push(line) });
  return { logger, lines };
}

/** A small directory: one organisation with a triage team (round robin) of two officers, a manager and an admin. */
export async function seedDirectory(commands: CommandContext, suffix = '') {
  const organisation = await createOrganisation(commands, {
    slug: `minsa${suffix}`,
    name: `Ministerio de Salud ${suffix}`.trim(),
  });
  const password = 'correct horse battery staple';
  const officerA = await createUser(commands, {
    email: `ana${suffix}@minsa.gob.pe`,
    name: 'Ana Quispe',
    password,
    roles: ['officer'],
    organisations: [String(organisation._id)],
  });
  const officerB = await createUser(commands, {
    email: `beto${suffix}@minsa.gob.pe`,
    name: 'Beto Huamán',
    password,
    roles: ['officer'],
    organisations: [String(organisation._id)],
  });
  const lead = await createUser(commands, {
    email: `lucia${suffix}@minsa.gob.pe`,
    name: 'Lucía Torres',
    password,
    roles: ['team_lead'],
    organisations: [String(organisation._id)],
  });
  const manager = await createUser(commands, {
    email: `mario${suffix}@minsa.gob.pe`,
    name: 'Mario Rojas',
    password,
    roles: ['manager'],
    organisations: [String(organisation._id)],
  });
  const admin = await createUser(commands, {
    email: `admin${suffix}@quipu.pe`,
    name: 'Admin',
    password,
    roles: ['admin'],
    organisations: [],
  });
  const team = await createTeam(commands, {
    organisation: String(organisation._id),
    slug: 'triaje',
    name: 'Triaje',
    leadIds: [String(lead._id)],
    memberIds: [String(officerA._id), String(officerB._id)],
    strategy: 'round_robin',
  });
  const dataset = await commands.datasets.insert({
    source: 'manual',
    externalId: `fallecidos-covid${suffix}`,
    slug: `fallecidos-covid${suffix}`,
    title: 'Fallecidos por COVID-19',
    organisationId: organisation._id,
    tags: ['covid-19'],
    landingPage: `https://www.datosabiertos.gob.pe/dataset/fallecidos-covid${suffix}`,
    resources: [
      {
        _id: 'r1',
        name: 'fallecidos.csv',
        url: `https://cloud.minsa.gob.pe/fallecidos${suffix}.csv`,
        format: 'CSV',
      },
    ],
  });
  return { organisation, team, officerA, officerB, lead, manager, admin, dataset, password };
}

/** A cookie session for a staff member: `request(path, init)` carries the cookie and CSRF token. */
export async function signIn(baseUrl: string, email: string, password: string) {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password }),
  });
  if (response.status !== 200) throw new Error(`login failed: ${response.status} ${await response.text()}`);
  const cookie = response.headers.get('set-cookie')!.split(';')[0]!;
  const { csrfToken } = (await response.json()) as { csrfToken: string };
  return {
    cookie,
    csrfToken,
    request(path: string, init: { method?: string; body?: unknown; csrf?: boolean } = {}) {
      return fetch(`${baseUrl}${path}`, {
        method: init.method ?? 'GET',
        headers: {
          cookie,
          ...(init.body !== undefined ? { 'content-type': 'application/json' } : {}),
          ...(init.csrf === false ? {} : { 'x-csrf-token': csrfToken }),
        },
        ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
      });
    },
  };
}

export async function postJson(url: string, body: unknown, headers: Record<string, string> = {}) {
  return await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });
}

/**
 * Confirms a reporter's e-mail as the link in their acknowledgement would: the token is derived
 * from the ticket id with the session secret, exactly as the notify worker derives it.
 */
export async function confirmReporter(stack: Stack, ref: string): Promise<Response> {
  const ticket = await stack.commands.tickets.findByRef({ kind: 'everything' }, ref);
  if (!ticket) throw new Error(`no ticket ${ref}`);
  const token = linkToken(stack.runtime.config.session.secret, 'verification', String(ticket._id));
  return await fetch(`${stack.url}/api/v1/verifications/${token}`, { method: 'POST' });
}
