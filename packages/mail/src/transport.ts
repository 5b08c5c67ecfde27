import { constants } from 'node:fs';
import { access, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import nodemailer from 'nodemailer';
import { messageIdFor } from './message-id.ts';

export { messageIdFor };

export interface MailerOptions {
  /**
   * Where mail goes: `smtp://user:pass@host:587`, `smtps://…:465`, `file:///abs/dir` (one .eml file
   * per message, the embedded default) or `json:` (nothing leaves the process; for development).
   */
  smtpUrl: string;
  /** Default From, e.g. `"Datos Abiertos" <no-reply@datos.example.pe>`. */
  from: string;
  replyTo?: string;
  /** Connection, greeting and socket timeout for SMTP; defaults to 15 s. */
  timeoutMs?: number;
}

export interface OutgoingMail {
  to: string | string[];
  subject: string;
  text: string;
  html?: string;
  headers?: Record<string, string>;
  /** Full `<id@domain>` Message-ID; wins over `idempotencyKey`. */
  messageId?: string;
  /** Stable key of the notification (e.g. the outbox entry id); gives Message-ID `<key@quipu>`. */
  idempotencyKey?: string;
  replyTo?: string;
}

export interface SendResult {
  messageId: string;
  accepted: string[];
  rejected: string[];
  /** `file:` the path written; `json:` the JSON form of the message. */
  preview?: string;
}

export type MailerKind = 'smtp' | 'file' | 'json';

export interface Mailer {
  readonly kind: MailerKind;
  send(message: OutgoingMail): Promise<SendResult>;
  /** Resolves when the transport can deliver (SMTP connects and greets, the directory is writable). */
  verify(): Promise<void>;
  close(): Promise<void>;
}

export interface MailTransportErrorOptions {
  transient: boolean;
  code?: string;
  responseCode?: number;
  command?: string;
  cause?: unknown;
}

/** A failed delivery; `transient` tells the notify worker whether a retry can succeed. */
export class MailTransportError extends Error {
  readonly transient: boolean;
  readonly code: string | undefined;
  readonly responseCode: number | undefined;
  readonly command: string | undefined;

  constructor(message: string, options: MailTransportErrorOptions) {
    super(message, { cause: options.cause });
    this.name = 'MailTransportError';
    this.transient = options.transient;
    this.code = options.code;
    this.responseCode = options.responseCode;
    this.command = options.command;
  }
}

// Failures of the network or of the peer's availability; a later attempt may well succeed.
const TRANSIENT_CODES = new Set([
  'ECONNECTION',
  'ETIMEDOUT',
  'ESOCKET',
  'EDNS',
  'ETLS',
  'EPROTOCOL',
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EAI_AGAIN',
  'ENOTFOUND',
  // local disk of the file transport
  'ENOSPC',
  'EMFILE',
  'ENFILE',
  'EBUSY',
  'EAGAIN',
]);

interface ErrorFields {
  code?: unknown;
  originalCode?: unknown;
  responseCode?: unknown;
  command?: unknown;
  message?: unknown;
}

/**
 * 4xx replies, refused or dropped connections and timeouts are transient; 5xx replies are
 * permanent, and so is anything else (bad address, bad credentials without a reply, bad config),
 * because retrying the same message cannot change the answer.
 */
export function isTransientMailError(error: unknown): boolean {
  if (error instanceof MailTransportError) return error.transient;
  if (typeof error !== 'object' || error === null) return false;
  const fields = error as ErrorFields;
  if (typeof fields.responseCode === 'number' && fields.responseCode >= 200) {
    return fields.responseCode < 500;
  }
  return [fields.code, fields.originalCode].some(
    (code) => typeof code === 'string' && TRANSIENT_CODES.has(code),
  );
}

export function toMailTransportError(error: unknown): MailTransportError {
  if (error instanceof MailTransportError) return error;
  const fields = (typeof error === 'object' && error !== null ? error : {}) as ErrorFields;
  const message = typeof fields.message === 'string' ? fields.message : String(error);
  return new MailTransportError(message, {
    transient: isTransientMailError(error),
    ...(typeof fields.code === 'string' ? { code: fields.code } : {}),
    ...(typeof fields.responseCode === 'number' ? { responseCode: fields.responseCode } : {}),
    ...(typeof fields.command === 'string' ? { command: fields.command } : {}),
    cause: error,
  });
}

function addressList(list: unknown): string[] {
  if (!Array.isArray(list)) return [];
  return list.map((entry) =>
    typeof entry === 'string' ? entry : String((entry as { address?: unknown }).address ?? ''),
  );
}

interface SentInfo {
  messageId?: string;
  accepted?: unknown;
  rejected?: unknown;
  envelope?: { to?: unknown };
  message?: unknown;
}

type Transporter = {
  sendMail(options: Record<string, unknown>): Promise<SentInfo>;
  verify(): Promise<true>;
  close(): void;
};

function kindOf(url: URL): MailerKind {
  switch (url.protocol) {
    case 'smtp:':
    case 'smtps:':
      return 'smtp';
    case 'file:':
      return 'file';
    case 'json:':
      return 'json';
    default:
      throw new RangeError(`Unsupported mail URL scheme ${url.protocol} (use smtp:, smtps:, file: or json:)`);
  }
}

function safeFileName(messageId: string): string {
  return messageId.replace(/^<|>$/g, '').replace(/[^A-Za-z0-9._=@-]/g, '_');
}

export function createMailer(options: MailerOptions): Mailer {
  const url = new URL(options.smtpUrl);
  const kind = kindOf(url);
  const timeout = options.timeoutMs ?? 15_000;
  const directory = kind === 'file' ? fileURLToPath(url) : undefined;
  const defaults = { from: options.from, ...(options.replyTo ? { replyTo: options.replyTo } : {}) };

  let transporter: Transporter;
  if (kind === 'smtp') {
    transporter = nodemailer.createTransport(
      {
        url: options.smtpUrl,
        connectionTimeout: timeout,
        greetingTimeout: timeout,
        socketTimeout: timeout * 4,
      },
      defaults,
    ) as unknown as Transporter;
  } else if (kind === 'file') {
    transporter = nodemailer.createTransport(
      { streamTransport: true, buffer: true, newline: 'windows' },
      defaults,
    ) as unknown as Transporter;
  } else {
    transporter = nodemailer.createTransport({ jsonTransport: true }, defaults) as unknown as Transporter;
  }

  return {
    kind,
    async send(message) {
      const messageId =
        message.messageId ??
        (message.idempotencyKey !== undefined ? messageIdFor(message.idempotencyKey) : undefined);
      try {
        const info = await transporter.sendMail({
          to: message.to,
          subject: message.subject,
          text: message.text,
          ...(message.html !== undefined ? { html: message.html } : {}),
          ...(message.headers ? { headers: message.headers } : {}),
          ...(messageId ? { messageId } : {}),
          ...(message.replyTo ? { replyTo: message.replyTo } : {}),
        });
        const sentId = info.messageId ?? messageId ?? '';
        if (kind === 'smtp') {
          return {
            messageId: sentId,
            accepted: addressList(info.accepted),
            rejected: addressList(info.rejected),
          };
        }
        const recipients = addressList(info.envelope?.to);
        if (kind === 'file' && directory) {
          await mkdir(directory, { recursive: true });
          // Named by Message-ID, so a resend with the same idempotency key replaces the file.
          const path = join(directory, `${safeFileName(sentId)}.eml`);
          await writeFile(path, info.message as Buffer);
          return { messageId: sentId, accepted: recipients, rejected: [], preview: path };
        }
        return { messageId: sentId, accepted: recipients, rejected: [], preview: String(info.message) };
      } catch (error) {
        throw toMailTransportError(error);
      }
    },
    async verify() {
      try {
        if (kind === 'smtp') await transporter.verify();
        else if (directory) {
          await mkdir(directory, { recursive: true });
          await access(directory, constants.W_OK);
        }
      } catch (error) {
        throw toMailTransportError(error);
      }
    },
    async close() {
      transporter.close();
    },
  };
}
