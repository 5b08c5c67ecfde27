import { createConnection } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { type SmtpPeer, startSmtpPeer } from './smtp-peer.ts';
import { createMailer } from './transport.ts';

const peers: SmtpPeer[] = [];
async function peer(options: Parameters<typeof startSmtpPeer>[0] = {}): Promise<SmtpPeer> {
  const started = await startSmtpPeer(options);
  peers.push(started);
  return started;
}
afterEach(async () => {
  await Promise.all(peers.splice(0).map((p) => p.close()));
});

function connects(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ port, host: '127.0.0.1' });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

describe('startSmtpPeer', () => {
  it('listens on a free loopback port and gives an smtp:// URL', async () => {
    const p = await peer();
    expect(p.host).toBe('127.0.0.1');
    expect(p.port).toBeGreaterThan(0);
    expect(p.url).toBe(`smtp://127.0.0.1:${p.port}`);
    expect(await connects(p.port)).toBe(true);
  });

  it('records Bcc recipients in the envelope only, and the decoded subject and headers', async () => {
    const p = await peer();
    const mailer = createMailer({ smtpUrl: p.url, from: 'Quipu <no-reply@example.pe>' });
    await mailer.send({
      to: ['uno@example.org', 'dos@example.org'],
      subject: 'Año fiscal: ¿datos? ✓',
      text: 'Cuerpo\nen dos líneas',
      headers: { 'X-Long': `valor ${'largo '.repeat(40)}fin` },
    });
    const message = await p.waitFor();
    expect(message.seq).toBe(1);
    expect(message.subject).toBe('Año fiscal: ¿datos? ✓');
    expect(message.to).toEqual(['uno@example.org', 'dos@example.org']);
    expect(message.envelope.to).toEqual(['uno@example.org', 'dos@example.org']);
    expect(message.text.trim()).toBe('Cuerpo\nen dos líneas');
    expect(message.html).toBe('');
    // Folded by the client at 78 columns; the peer gives it back on one line.
    expect(message.headers['x-long']).toBe(`valor ${'largo '.repeat(40)}fin`);
    expect(message.raw).toContain('Subject: ');
    await mailer.close();
  });

  it('accepts authenticated clients, as a configured SMTP URL with credentials would be', async () => {
    const p = await peer();
    const mailer = createMailer({
      smtpUrl: `smtp://user:secret@127.0.0.1:${p.port}`,
      from: 'no-reply@example.pe',
    });
    await mailer.send({ to: 'a@example.org', subject: 'auth', text: 'x' });
    expect((await p.waitFor()).subject).toBe('auth');
    await mailer.close();
  });

  it('keeps at most maxMessages, dropping the oldest', async () => {
    const p = await peer({ maxMessages: 2 });
    const mailer = createMailer({ smtpUrl: p.url, from: 'no-reply@example.pe' });
    for (const subject of ['1', '2', '3']) await mailer.send({ to: 'a@example.org', subject, text: subject });
    expect(p.messages.map((m) => m.subject)).toEqual(['2', '3']);
    p.clear();
    expect(p.messages).toHaveLength(0);
    await mailer.close();
  });

  it('refuses failure codes that are not 4xx or 5xx', async () => {
    const p = await peer();
    expect(() => p.failNext(1, 250)).toThrow(RangeError);
  });

  it('stops and starts listening on the same port', async () => {
    const p = await peer();
    await p.setDown(true);
    expect(await connects(p.port)).toBe(false);
    await p.setDown(false);
    expect(await connects(p.port)).toBe(true);
  });

  it('closes cleanly while down', async () => {
    const p = await startSmtpPeer();
    await p.setDown(true);
    await expect(p.close()).resolves.toBeUndefined();
  });

  it('can be started on a chosen port, and frees it on close', async () => {
    const first = await startSmtpPeer();
    const port = first.port;
    await first.close();
    expect(await connects(port)).toBe(false);
    const second = await peer({ port });
    expect(second.port).toBe(port);
    expect(await connects(port)).toBe(true);
  });
});
