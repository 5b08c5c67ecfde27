import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import fc from 'fast-check';
import { simpleParser } from 'mailparser';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { renderNotification } from './render.ts';
import { type SmtpPeer, startSmtpPeer } from './smtp-peer.ts';
import { context, fixtures, HOSTILE } from './testing/fixtures.ts';
import {
  createMailer,
  isTransientMailError,
  type Mailer,
  MailTransportError,
  messageIdFor,
  type OutgoingMail,
} from './transport.ts';

const FROM = '"Datos Abiertos Perú" <no-reply@datos.example.pe>';

function outgoing(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  const mail = renderNotification('status_changed', fixtures.status_changed, {
    ...context,
    unsubscribeUrl: '/baja?t=1',
  });
  return { to: 'seguidor@example.org', ...mail, ...overrides };
}

async function sendError(mailer: Mailer, message: OutgoingMail): Promise<MailTransportError> {
  try {
    await mailer.send(message);
  } catch (error) {
    expect(error).toBeInstanceOf(MailTransportError);
    return error as MailTransportError;
  }
  throw new Error('send resolved but was expected to fail');
}

describe('SMTP transport against the local peer', () => {
  let peer: SmtpPeer;
  let mailer: Mailer;

  beforeAll(async () => {
    peer = await startSmtpPeer();
    mailer = createMailer({
      smtpUrl: peer.url,
      from: FROM,
      replyTo: 'transparencia@example.pe',
      timeoutMs: 2000,
    });
  });
  afterEach(async () => {
    await peer.setDown(false);
    peer.failNext(0);
    peer.clear();
  });
  afterAll(async () => {
    await mailer.close();
    await peer.close();
  });

  it('delivers a rendered notification, and the peer records it parsed', async () => {
    const message = outgoing();
    const result = await mailer.send(message);
    expect(result.accepted).toEqual(['seguidor@example.org']);
    expect(result.rejected).toEqual([]);

    const received = await peer.waitFor((m) => m.messageId === result.messageId);
    expect(received.envelope).toEqual({ from: 'no-reply@datos.example.pe', to: ['seguidor@example.org'] });
    expect(received.from).toBe('no-reply@datos.example.pe');
    expect(received.to).toEqual(['seguidor@example.org']);
    expect(received.subject).toBe(message.subject);
    expect(received.subject).toContain('«Resuelto»');
    expect(received.text.trim()).toBe(message.text.trim());
    expect(received.html).toBe(message.html);
    expect(received.html).not.toContain('<script');
    expect(received.text).toContain(HOSTILE);
    expect(received.headers['list-unsubscribe']).toBe('<https://datos.example.pe/baja?t=1>');
    expect(received.headers['list-unsubscribe-post']).toBe('List-Unsubscribe=One-Click');
    expect(received.headers['x-quipu-notification']).toBe('status_changed');
    expect(received.headers['reply-to']).toContain('transparencia@example.pe');
    expect(received.headers.references).toBe('<ticket.Q-2026-000123@quipu>');
    expect(received.headers['auto-submitted']).toBe('auto-generated');
    expect(peer.messages).toHaveLength(1);
  });

  it('uses a deterministic Message-ID for an idempotency key, the same on a resend', async () => {
    const key = 'outbox:65f0c0ffee:status_changed';
    const first = await mailer.send(outgoing({ idempotencyKey: key }));
    const second = await mailer.send(outgoing({ idempotencyKey: key }));
    expect(first.messageId).toBe('<outbox=3A65f0c0ffee=3Astatus_changed@quipu>');
    expect(second.messageId).toBe(first.messageId);
    await peer.waitFor(() => peer.messages.length === 2);
    expect(peer.messages.map((m) => m.messageId)).toEqual([first.messageId, first.messageId]);

    const other = await mailer.send(outgoing());
    expect(other.messageId).not.toBe(first.messageId);
  });

  it('verifies a reachable server', async () => {
    await expect(mailer.verify()).resolves.toBeUndefined();
  });

  it('reports a 451 as transient, and the retry goes through', async () => {
    peer.failNext(1);
    const error = await sendError(mailer, outgoing());
    expect(error.transient).toBe(true);
    expect(error.responseCode).toBe(451);
    expect(isTransientMailError(error)).toBe(true);
    expect(peer.messages).toHaveLength(0);

    const retry = await mailer.send(outgoing());
    expect(retry.accepted).toEqual(['seguidor@example.org']);
    expect(peer.messages).toHaveLength(1);
  });

  it('fails exactly as many times as asked', async () => {
    peer.failNext(2, 452);
    expect((await sendError(mailer, outgoing())).responseCode).toBe(452);
    expect((await sendError(mailer, outgoing())).transient).toBe(true);
    await mailer.send(outgoing());
    expect(peer.messages).toHaveLength(1);
  });

  it('reports a 5xx as permanent', async () => {
    peer.failNext(1, 554);
    const error = await sendError(mailer, outgoing());
    expect(error.transient).toBe(false);
    expect(error.responseCode).toBe(554);
    expect(isTransientMailError(error)).toBe(false);
  });

  it('reports a refused connection as transient, and delivers once the peer is back', async () => {
    await peer.setDown(true);
    const error = await sendError(mailer, outgoing());
    expect(error.transient).toBe(true);
    expect(error.responseCode).toBeUndefined();
    await expect(mailer.verify()).rejects.toMatchObject({ transient: true });

    await peer.setDown(false);
    await mailer.send(outgoing());
    expect(peer.messages).toHaveLength(1);
  });

  it('times out waiting for a message that never comes', async () => {
    await expect(peer.waitFor((m) => m.subject === 'never', 100)).rejects.toThrow(/No matching message/);
  });

  it('lets a runtime listener see each message', async () => {
    const seen: string[] = [];
    const stop = peer.onMessage((m) => seen.push(m.subject));
    await mailer.send(outgoing({ subject: 'uno' }));
    stop();
    await mailer.send(outgoing({ subject: 'dos' }));
    expect(seen).toEqual(['uno']);
  });
});

describe('error classification', () => {
  it.each([
    [{ code: 'EENVELOPE', responseCode: 421 }, true],
    [{ code: 'EMESSAGE', responseCode: 450 }, true],
    [{ code: 'EAUTH', responseCode: 454 }, true],
    [{ code: 'EAUTH', responseCode: 535 }, false],
    [{ code: 'EENVELOPE', responseCode: 550 }, false],
    [{ code: 'ESOCKET', originalCode: 'ECONNREFUSED' }, true],
    [{ code: 'ETIMEDOUT' }, true],
    [{ code: 'ECONNECTION' }, true],
    [{ code: 'EENVELOPE' }, false],
    [{ code: 'EACCES' }, false],
    [new Error('boom'), false],
    ['not an error', false],
  ])('%o → transient %s', (error, transient) => {
    expect(isTransientMailError(error)).toBe(transient);
  });

  it('gives up on a server that is not there within the timeout, as a transient error', async () => {
    // A listening socket that never greets: the greeting timeout must fire.
    const { createServer } = await import('node:net');
    const silent = createServer(() => {});
    silent.listen(0, '127.0.0.1');
    await new Promise((resolve) => silent.once('listening', resolve));
    const address = silent.address();
    if (address === null || typeof address === 'string') throw new Error('no address');
    const mailer = createMailer({ smtpUrl: `smtp://127.0.0.1:${address.port}`, from: FROM, timeoutMs: 300 });
    try {
      const error = await sendError(mailer, outgoing());
      expect(error.transient).toBe(true);
      expect(error.code).toBe('ETIMEDOUT');
    } finally {
      await mailer.close();
      silent.close();
    }
  });
});

describe('messageIdFor', () => {
  const DOT_ATOM_ID = /^<[A-Za-z0-9!#$%&'*+\-/=?^_`{|}~]+@quipu>$/;

  it('keeps a safe key readable', () => {
    expect(messageIdFor('notif-123_abc')).toBe('<notif-123_abc@quipu>');
  });

  it('always yields a valid Message-ID, and distinct keys give distinct ids', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, unit: 'binary' }),
        fc.string({ minLength: 1, unit: 'binary' }),
        (a, b) => {
          expect(messageIdFor(a)).toMatch(DOT_ATOM_ID);
          expect(messageIdFor(a) === messageIdFor(b)).toBe(a === b);
        },
      ),
    );
  });

  it('refuses an empty key', () => {
    expect(() => messageIdFor('')).toThrow(RangeError);
  });
});

describe('file:// transport', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'quipu-mail-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('writes one .eml per message, replaced on a resend with the same key', async () => {
    const outbox = join(dir, 'outbox');
    const mailer = createMailer({ smtpUrl: pathToFileURL(outbox).href, from: FROM });
    expect(mailer.kind).toBe('file');
    await mailer.verify();

    const result = await mailer.send(outgoing({ idempotencyKey: 'n-1' }));
    expect(result.accepted).toEqual(['seguidor@example.org']);
    expect(result.preview).toBe(join(outbox, 'n-1@quipu.eml'));
    await mailer.send(outgoing({ idempotencyKey: 'n-1' }));
    await mailer.send(outgoing({ idempotencyKey: 'n-2', to: ['a@example.org', 'b@example.org'] }));
    expect((await readdir(outbox)).sort()).toEqual(['n-1@quipu.eml', 'n-2@quipu.eml']);

    const raw = await readFile(join(outbox, 'n-1@quipu.eml'));
    expect(raw.toString('utf8')).toContain('\r\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\r\n');
    const parsed = await simpleParser(raw);
    expect(parsed.messageId).toBe('<n-1@quipu>');
    expect(parsed.subject).toBe(outgoing().subject);
    expect(parsed.html).toContain('&lt;script&gt;');
    await mailer.close();
  });

  it('reports an unwritable directory as a permanent error', async () => {
    const blocker = join(dir, 'a-file');
    const { writeFile } = await import('node:fs/promises');
    await writeFile(blocker, 'not a directory');
    const mailer = createMailer({ smtpUrl: pathToFileURL(join(blocker, 'sub')).href, from: FROM });
    const error = await sendError(mailer, outgoing());
    expect(error.transient).toBe(false);
    expect(error.code).toBe('ENOTDIR');
  });
});

describe('json: transport', () => {
  it('keeps the message in the process and returns it as JSON', async () => {
    const mailer = createMailer({ smtpUrl: 'json:', from: FROM });
    expect(mailer.kind).toBe('json');
    const result = await mailer.send(outgoing({ idempotencyKey: 'j-1' }));
    expect(result.messageId).toBe('<j-1@quipu>');
    expect(result.accepted).toEqual(['seguidor@example.org']);
    const json = JSON.parse(result.preview ?? '{}') as { subject?: string; messageId?: string };
    expect(json.subject).toBe(outgoing().subject);
    await mailer.verify();
    await mailer.close();
  });

  it('refuses an unknown scheme', () => {
    expect(() => createMailer({ smtpUrl: 'http://example.org', from: FROM })).toThrow(/Unsupported mail URL/);
  });
});
