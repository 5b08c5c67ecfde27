import { useHarness } from '@quipu/test/harness';
import { postJson, seedDirectory, signIn, startStack } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;

beforeAll(async () => {
  stack = await startStack(harness, { workers: false });
  directory = await seedDirectory(stack.commands);
});

describe('malformed ids', () => {
  it('answer 404 (or 400) problem+json on every route that takes an id, never 500', async () => {
    const admin = await signIn(stack.url, directory.admin.email, directory.password);
    const created = await postJson(`${stack.url}/api/v1/complaints`, {
      category: 'outdated',
      title: 'Datos sin actualizar desde 2021',
      description: 'La frecuencia declarada es mensual pero el último archivo es de 2021.',
      dataset: directory.dataset.slug,
      reporter: { email: 'jose@example.pe', name: 'José' },
      consent: true,
    });
    const { ref } = (await created.json()) as { ref: string };
    const answers: string[] = [];
    for (const bad of ['not-an-id', 'z'.repeat(24), '0'.repeat(25)]) {
      const calls: Array<[string, string, unknown?]> = [
        ['PATCH', `/api/v1/admin/organisations/${bad}`, { name: 'Otro nombre' }],
        ['PATCH', `/api/v1/admin/teams/${bad}`, { name: 'Otro equipo' }],
        ['PATCH', `/api/v1/admin/users/${bad}`, { name: 'Otra persona' }],
        ['PATCH', `/api/v1/admin/webhooks/${bad}`, { active: false }],
        ['DELETE', `/api/v1/admin/webhooks/${bad}`],
        ['GET', `/api/v1/admin/webhooks/${bad}/deliveries`],
        ['PATCH', `/api/v1/admin/datasets/${bad}`, { checkEveryHours: 24 }],
        ['POST', `/api/v1/admin/datasets/${bad}/checks`, {}],
        ['POST', `/api/v1/admin/notifications/${bad}/resend`, {}],
        ['DELETE', `/api/v1/auth/tokens/${bad}`],
        ['GET', `/api/v1/reports/${bad}`],
        ['GET', `/api/v1/datasets/${bad}/quality`],
        ['GET', `/api/v1/datasets/${bad}/reports`],
        ['GET', `/api/v1/organisations/${bad}/quality`],
        ['GET', `/api/v1/staff/tickets/${bad}`],
        ['PATCH', `/api/v1/staff/tickets/${bad}`, { priority: 'high' }],
        ['POST', `/api/v1/staff/tickets/${ref}/comments/${bad}/moderation`, { action: 'hide' }],
        ['POST', `/api/v1/staff/tickets/${ref}/assignment`, { assigneeId: bad }],
        ['POST', `/api/v1/staff/tickets/${ref}/transfer`, { organisation: bad, reason: 'No es nuestro' }],
        ['POST', `/api/v1/tickets/${ref}/comments/${bad}/flags`, { reason: 'spam' }],
        ['GET', `/api/v1/tickets/${bad}`],
        ['GET', `/badges/datasets/${bad}.svg`],
        ['POST', '/api/v1/admin/organisations', { slug: `hija-${bad.length}`, name: 'Hija', parentId: bad }],
      ];
      for (const [method, path, body] of calls) {
        const response = await admin.request(path, { method, ...(body === undefined ? {} : { body }) });
        const type = response.headers.get('content-type') ?? '';
        answers.push(`${method} ${path} ${response.status} ${type.split(';')[0]}`);
      }
    }
    expect(answers).toHaveLength(69);
    const wrong = answers.filter((answer) => !/ (400|404) application\/problem\+json$/.test(answer));
    expect(wrong).toEqual([]);
  });
});
