import { useHarness } from '@quipu/test/harness';
import { seedDirectory, startStack } from '@quipu/test/stack';
import { beforeAll, describe, expect, it } from 'vitest';

const harness = useHarness();
let stack: Awaited<ReturnType<typeof startStack>>;
let directory: Awaited<ReturnType<typeof seedDirectory>>;

beforeAll(async () => {
  stack = await startStack(harness, { workers: false });
  directory = await seedDirectory(stack.commands);
});

describe('GET /badges/datasets/:id.svg', () => {
  it('draws the score badge by slug or id, cached an hour, with an ETag that revalidates to 304', async () => {
    await stack.commands.models.Dataset.updateOne(
      { _id: directory.dataset._id },
      { $set: { 'quality.score': 87 } },
    );
    const response = await fetch(`${stack.url}/badges/datasets/${directory.dataset.slug}.svg`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/svg+xml; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=3600');
    const svg = await response.text();
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('87');
    const etag = response.headers.get('etag')!;
    const byId = await fetch(`${stack.url}/badges/datasets/${directory.dataset._id}.svg`);
    expect(byId.headers.get('etag')).toBe(etag);
    const revalidated = await fetch(`${stack.url}/badges/datasets/${directory.dataset.slug}.svg`, {
      headers: { 'If-None-Match': etag },
    });
    expect(revalidated.status).toBe(304);
    const english = await fetch(`${stack.url}/badges/datasets/${directory.dataset.slug}.svg?lang=en`);
    expect(english.headers.get('etag')).not.toBe(etag);
  });

  it('draws a badge without a score for a dataset not checked yet', async () => {
    const unchecked = await stack.commands.datasets.insert({
      source: 'manual',
      externalId: 'sin-revisar',
      slug: 'sin-revisar',
      title: 'Sin revisar',
      organisationId: directory.organisation._id,
      resources: [],
    });
    const response = await fetch(`${stack.url}/badges/datasets/${unchecked.slug}.svg`);
    expect(response.status).toBe(200);
    expect(await response.text()).not.toContain('87');
  });

  it('answers 404 for unknown or withdrawn datasets and names that are not a badge', async () => {
    expect((await fetch(`${stack.url}/badges/datasets/no-existe.svg`)).status).toBe(404);
    expect((await fetch(`${stack.url}/badges/datasets/${directory.dataset.slug}.png`)).status).toBe(404);
    expect((await fetch(`${stack.url}/badges/datasets/${'x'.repeat(200)}.svg`)).status).toBe(404);
    await stack.commands.datasets.insert({
      source: 'manual',
      externalId: 'retirado',
      slug: 'retirado',
      title: 'Retirado',
      organisationId: directory.organisation._id,
      withdrawnAt: new Date(),
      resources: [],
    });
    expect((await fetch(`${stack.url}/badges/datasets/retirado.svg`)).status).toBe(404);
  });
});
