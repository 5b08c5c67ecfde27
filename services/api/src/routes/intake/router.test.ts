import { useHarness } from '@quipu/test/harness';
import { postJson, seedDirectory, startStack } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;

beforeAll(async () => {
  stack = await startStack(harness, {
    workers: false,
    config: { intake: { rateLimitPerMinute: 1000, flagsToHide: 2, spamWords: ['casino'] } },
  });
  directory = await seedDirectory(stack.commands);
});

const complaint = () => ({
  category: 'broken_link',
  title: 'El enlace del CSV da 404',
  description: 'Al descargar el recurso principal el servidor responde 404 Not Found.',
  dataset: directory.dataset.slug,
  reporter: { email: 'luis@example.pe' },
  consent: true,
});

describe('POST /api/v1/complaints', () => {
  it('creates a complaint routed to the dataset owner, on its SLA clock', async () => {
    const response = await postJson(`${stack.url}/api/v1/complaints`, complaint());
    expect(response.status).toBe(201);
    const body = (await response.json()) as { ref: string; trackingUrl: string };
    expect(response.headers.get('location')).toBe(`/api/v1/tickets/${body.ref}`);
    const ticket = await stack.commands.tickets.findByRef({ kind: 'everything' }, body.ref);
    expect(String(ticket!.organisationId)).toBe(String(directory.organisation._id));
    expect(String(ticket!.teamId)).toBe(String(directory.team._id));
    expect(ticket!.assigneeId).toBeDefined();
    expect(ticket!.sla?.policyId).toBe('complaint');
    expect(ticket!.sla?.targets?.map((t) => t.target).sort()).toEqual(['firstResponse', 'resolution']);
    expect(ticket!.reporter?.trackingTokenHash).toMatch(/^[0-9a-f]{64}$/);
    // The outbox was relayed to BullMQ (one job per entry) and pulled before the response.
    expect(ticket!.outbox).toEqual([]);
    expect(
      await stack.runtime.queues.get('notify').getJob(`notify-${ticket!.events![0]!._id}`),
    ).toBeDefined();
    expect(body.trackingUrl).not.toContain(ticket!.reporter!.trackingTokenHash!);
  });

  it('takes turns between the members of the team (round robin) and skips those marked away', async () => {
    const assigneeOfNew = async () => {
      const { ref } = (await (await postJson(`${stack.url}/api/v1/complaints`, complaint())).json()) as {
        ref: string;
      };
      return String((await stack.commands.tickets.findByRef({ kind: 'everything' }, ref))!.assigneeId);
    };
    // Members: the two officers and the team lead.
    const turns = [
      await assigneeOfNew(),
      await assigneeOfNew(),
      await assigneeOfNew(),
      await assigneeOfNew(),
    ];
    expect(new Set(turns.slice(0, 3)).size).toBe(3);
    expect(turns[3]).toBe(turns[0]);
    await stack.commands.directory.updateUser({ kind: 'everything' }, String(directory.officerB._id), {
      away: true,
    });
    const later = [await assigneeOfNew(), await assigneeOfNew(), await assigneeOfNew()];
    expect(later).not.toContain(String(directory.officerB._id));
    expect(new Set(later).size).toBe(2);
    await stack.commands.directory.updateUser({ kind: 'everything' }, String(directory.officerB._id), {
      away: false,
    });
  });

  it('rejects bad input with field-level problems', async () => {
    const response = await postJson(`${stack.url}/api/v1/complaints`, {
      ...complaint(),
      consent: false,
      category: 'nope',
      reporter: { email: 'not-an-email' },
      extra: 1,
    });
    expect(response.status).toBe(400);
    const problem = (await response.json()) as { code: string; errors: Array<{ field: string }> };
    expect(problem.code).toBe('validation_failed');
    expect(problem.errors.map((e) => e.field).sort()).toEqual([
      'category',
      'consent',
      'extra',
      'reporter.email',
    ]);
  });

  it('never lets a MongoDB operator in', async () => {
    const response = await postJson(`${stack.url}/api/v1/complaints`, {
      ...complaint(),
      dataset: { $gt: '' },
    });
    expect(response.status).toBe(400);
    expect(await stack.commands.tickets.count({ kind: 'everything' }, { text: 'operator' })).toBe(0);
  });

  it('answers 400 for an unknown dataset and for the honeypot', async () => {
    const unknown = await postJson(`${stack.url}/api/v1/complaints`, {
      ...complaint(),
      dataset: 'no-such-dataset',
    });
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { code: string }).code).toBe('unknown_dataset');
    const bot = await postJson(`${stack.url}/api/v1/complaints`, {
      ...complaint(),
      website: 'http://spam.example',
    });
    expect(bot.status).toBe(400);
    expect(((await bot.json()) as { code: string }).code).toBe('rejected_as_spam');
  });

  it('files spam-word submissions for moderation instead of blocking them', async () => {
    const response = await postJson(`${stack.url}/api/v1/complaints`, {
      ...complaint(),
      description: 'Visite nuestro CASINO en línea, gane ya mismo.',
    });
    expect(response.status).toBe(201);
    const { ref } = (await response.json()) as { ref: string };
    const ticket = await stack.commands.tickets.findByRef({ kind: 'everything' }, ref);
    expect(ticket!.moderation?.spamSuspected).toBe(true);
    expect(ticket!.events!.map((e) => e.type)).toContain('moderation_flagged');
  });

  it('returns the same result for the same Idempotency-Key and creates nothing twice', async () => {
    const body = complaint();
    const key = 'intake-key-0001';
    const first = await postJson(`${stack.url}/api/v1/complaints`, body, { 'Idempotency-Key': key });
    const second = await postJson(`${stack.url}/api/v1/complaints`, body, { 'Idempotency-Key': key });
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const a = (await first.json()) as { ref: string };
    expect(await second.json()).toEqual(a);
    const other = await postJson(
      `${stack.url}/api/v1/complaints`,
      { ...body, title: 'Otro título distinto' },
      { 'Idempotency-Key': key },
    );
    expect(other.status).toBe(422);
  });

  it('creates data requests, with the legal regime when invoked', async () => {
    const response = await postJson(`${stack.url}/api/v1/data-requests`, {
      title: 'Padrón de establecimientos de salud',
      description: 'Solicito el padrón completo con coordenadas y categoría.',
      organisation: directory.organisation.slug,
      regime: 'access_to_information',
      reporter: { email: 'maria@example.pe', name: 'María' },
      consent: true,
    });
    expect(response.status).toBe(201);
    const { ref, status } = (await response.json()) as { ref: string; status: string };
    expect(status).toBe('submitted');
    const ticket = await stack.commands.tickets.findByRef({ kind: 'everything' }, ref);
    expect(ticket!.sla?.policyId).toBe('pe-access-to-information');
    const noOrganisation = await postJson(`${stack.url}/api/v1/data-requests`, {
      title: 'Algo sin dueño claro',
      description: 'No sé qué entidad lo tiene.',
      reporter: { email: 'x@example.pe' },
      consent: true,
    });
    expect(noOrganisation.status).toBe(400);
    expect(((await noOrganisation.json()) as { code: string }).code).toBe('organisation_required');
  });
});

describe('intake rate limit', () => {
  it('answers 429 with Retry-After past the per-client limit', async () => {
    const limited = await startStack(harness, {
      workers: false,
      config: {
        redis: { prefix: `${harness.prefix}rl` },
        intake: { rateLimitPerMinute: 2, flagsToHide: 3, spamWords: [] },
      },
    });
    const seeded = await seedDirectory(limited.commands, '-rl');
    const body = { ...complaint(), dataset: seeded.dataset.slug };
    // A fixed one-minute window: if it rolls over mid-test the count restarts, so allow one rollover.
    let accepted = 0;
    let refused: Response | null = null;
    for (let i = 0; i < 6 && !refused; i++) {
      const response = await postJson(`${limited.url}/api/v1/complaints`, body);
      if (response.status === 201) accepted += 1;
      else refused = response;
    }
    expect(refused?.status).toBe(429);
    expect(accepted).toBeGreaterThanOrEqual(2);
    expect(accepted).toBeLessThanOrEqual(4);
    expect(Number(refused!.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await refused!.json()) as { code: string }).code).toBe('rate_limited');
  });
});
