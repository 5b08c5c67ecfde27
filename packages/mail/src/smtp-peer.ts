import { once } from 'node:events';
import { type AddressObject, simpleParser } from 'mailparser';
import { SMTPServer, type SMTPServerDataStream, type SMTPServerSession } from 'smtp-server';

/** One message the peer accepted, parsed. */
export interface ParsedMessage {
  /** Order of arrival, from 1. */
  seq: number;
  receivedAt: Date;
  /** What the SMTP dialogue carried (MAIL FROM / RCPT TO); Bcc recipients show only here. */
  envelope: { from: string; to: string[] };
  /** Addresses of the From and To headers. */
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  messageId: string;
  /** Lower-cased header name → value (the first occurrence, unfolded, decoded when it is plain text). */
  headers: Record<string, string>;
  raw: string;
}

export interface SmtpPeerOptions {
  port?: number;
  host?: string;
  /** Oldest messages are dropped past this, so a long-running embedded peer stays bounded. */
  maxMessages?: number;
}

export interface SmtpPeer {
  readonly host: string;
  readonly port: number;
  /** `smtp://host:port`, ready for createMailer. */
  readonly url: string;
  /** Live list, oldest first. */
  readonly messages: ParsedMessage[];
  /** The first message (already received or still to come) that matches, or a rejection after the timeout. */
  waitFor(predicate?: (message: ParsedMessage) => boolean, timeoutMs?: number): Promise<ParsedMessage>;
  /** Called for every message accepted from now on; returns the unsubscribe function. */
  onMessage(listener: (message: ParsedMessage) => void): () => void;
  clear(): void;
  /** The next `count` messages are refused after DATA with `code` (451 by default: try again later). */
  failNext(count: number, code?: number): void;
  /** Down: the port stops listening, so clients get connection refused. Up: it listens again. */
  setDown(down: boolean): Promise<void>;
  close(): Promise<void>;
}

function addresses(value: AddressObject | AddressObject[] | undefined): string[] {
  const list = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return list.flatMap((object) => object.value.map((entry) => entry.address ?? '')).filter(Boolean);
}

function headerMap(parsed: Awaited<ReturnType<typeof simpleParser>>): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const { key, line } of parsed.headerLines) {
    if (Object.hasOwn(headers, key)) continue;
    const decoded = parsed.headers.get(key);
    if (typeof decoded === 'string') {
      headers[key] = decoded;
    } else {
      const colon = line.indexOf(':');
      headers[key] = line
        .slice(colon + 1)
        .replace(/\r?\n[ \t]+/g, ' ')
        .trim();
    }
  }
  return headers;
}

function replyError(code: number, message: string): Error & { responseCode: number } {
  return Object.assign(new Error(message), { responseCode: code });
}

export async function startSmtpPeer(options: SmtpPeerOptions = {}): Promise<SmtpPeer> {
  const host = options.host ?? '127.0.0.1';
  const maxMessages = options.maxMessages ?? 1000;
  const messages: ParsedMessage[] = [];
  const listeners = new Set<(message: ParsedMessage) => void>();
  let seq = 0;
  let failures: { remaining: number; code: number } = { remaining: 0, code: 451 };
  let down = false;

  async function receive(stream: SMTPServerDataStream, session: SMTPServerSession): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of stream) chunks.push(chunk as Buffer);
    if (failures.remaining > 0) {
      failures = { ...failures, remaining: failures.remaining - 1 };
      const code = failures.code;
      throw replyError(code, code >= 500 ? 'Message rejected by the test peer' : 'Try again later');
    }
    const raw = Buffer.concat(chunks);
    const parsed = await simpleParser(raw);
    const message: ParsedMessage = {
      seq: ++seq,
      receivedAt: new Date(),
      envelope: {
        from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
        to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
      },
      from: addresses(parsed.from)[0] ?? '',
      to: addresses(parsed.to),
      subject: parsed.subject ?? '',
      text: parsed.text ?? '',
      html: typeof parsed.html === 'string' ? parsed.html : '',
      messageId: parsed.messageId ?? '',
      headers: headerMap(parsed),
      raw: raw.toString('utf8'),
    };
    messages.push(message);
    if (messages.length > maxMessages) messages.splice(0, messages.length - maxMessages);
    for (const listener of listeners) listener(message);
  }

  const server = new SMTPServer({
    logger: false,
    banner: 'Quipu local SMTP peer',
    // The peer is plain text on loopback; advertising STARTTLS would make clients try the
    // library's published test certificate and fail verification.
    disabledCommands: ['STARTTLS'],
    authOptional: true,
    allowInsecureAuth: true,
    size: 25 * 1024 * 1024,
    closeTimeout: 1000,
    onAuth(_auth, _session, callback) {
      callback(null, { user: 'quipu' });
    },
    onData(stream, session, callback) {
      receive(stream, session).then(
        () => callback(),
        (error: unknown) => callback(error instanceof Error ? error : new Error(String(error))),
      );
    },
  });
  server.on('error', () => {
    // Client resets and similar socket errors are the client's business in a test peer.
  });

  async function listen(port: number): Promise<number> {
    server.server.listen(port, host);
    await once(server.server, 'listening');
    const address = server.server.address();
    if (address === null || typeof address === 'string') throw new Error('SMTP peer has no TCP address');
    return address.port;
  }

  const port = await listen(options.port ?? 0);

  return {
    host,
    port,
    url: `smtp://${host}:${port}`,
    messages,
    waitFor(predicate = () => true, timeoutMs = 5000) {
      const found = messages.find(predicate);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(listener);
          reject(new Error(`No matching message within ${timeoutMs} ms (${messages.length} received)`));
        }, timeoutMs);
        const listener = (message: ParsedMessage): void => {
          if (!predicate(message)) return;
          clearTimeout(timer);
          listeners.delete(listener);
          resolve(message);
        };
        listeners.add(listener);
      });
    },
    onMessage(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    clear() {
      messages.length = 0;
    },
    failNext(count, code = 451) {
      if (!Number.isInteger(code) || code < 400 || code > 599)
        throw new RangeError(`Not a failure reply code: ${code}`);
      failures = { remaining: count, code };
    },
    async setDown(value) {
      if (value === down) return;
      down = value;
      if (value) {
        await new Promise<void>((resolve) => server.server.close(() => resolve()));
      } else {
        await listen(port);
      }
    },
    async close() {
      listeners.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
