import { z } from 'zod';

const url = (protocols: string[]) =>
  z.string().refine(
    (value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    },
    { message: `expected a URL (${protocols.join(' ')})` },
  );

/** The whole configuration of a Quipu process. Every key is documented in README.md's table. */
export const configSchema = z.strictObject({
  env: z.enum(['development', 'test', 'production']),
  http: z.strictObject({
    host: z.string().min(1),
    port: z.coerce.number().int().min(0).max(65535),
    publicBaseUrl: url(['http:', 'https:']),
    bodyLimitKb: z.number().int().min(1).max(10_240),
    trustProxy: z.boolean(),
  }),
  mongodb: z.strictObject({
    /** Absent: `quipu start` brings up an embedded server (FerretDB or mongodb-memory-server). */
    url: url(['mongodb:', 'mongodb+srv:']).optional(),
    /**
     * The embedded FerretDB's backend when `url` is absent: PostgreSQL serves lookups from
     * indexes, SQLite scans (README, "Scale"). Absent: PostgreSQL when installed, else SQLite.
     */
    embeddedBackend: z.enum(['postgresql', 'sqlite']).optional(),
    autoIndex: z.boolean(),
    connectRetries: z.number().int().min(0).max(100),
  }),
  redis: z.strictObject({
    /** Absent: `quipu start` spawns a redis-server on PATH. */
    url: url(['redis:', 'rediss:']).optional(),
    /** BullMQ key prefix; tests give each file its own. */
    prefix: z.string().regex(/^[A-Za-z0-9_-]+$/, 'letters, digits, _ and - only'),
    /** How long a starting process waits for Redis before giving up with a clear error. */
    startTimeoutMs: z.number().int().min(100),
  }),
  smtp: z.strictObject({
    /** Absent: mail is captured locally (in-process SMTP peer, copies under dataDir/mail). */
    url: url(['smtp:', 'smtps:', 'file:']).optional(),
    from: z.string().min(3),
  }),
  session: z.strictObject({
    secret: z.string().min(32, 'at least 32 characters'),
    ttlHours: z
      .number()
      .int()
      .min(1)
      .max(24 * 30),
  }),
  portal: z.strictObject({
    name: z.string().min(1),
    defaultLanguage: z.enum(['es', 'en']),
    timeZone: z.string().refine(
      (zone) => {
        try {
          new Intl.DateTimeFormat('en', { timeZone: zone });
          return true;
        } catch {
          return false;
        }
      },
      { message: 'expected an IANA time zone such as America/Lima' },
    ),
    defaultCalendar: z.string().min(1),
  }),
  dataDir: z.string().min(1),
  log: z.strictObject({ level: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']) }),
  fetch: z.strictObject({
    allowPrivateNetwork: z.boolean(),
    maxBytes: z.number().int().min(1),
    timeoutMs: z.number().int().min(100),
    maxRedirects: z.number().int().min(0).max(20),
  }),
  intake: z.strictObject({
    rateLimitPerMinute: z.number().int().min(1),
    flagsToHide: z.number().int().min(1),
    spamWords: z.array(z.string()),
  }),
  retention: z.strictObject({ anonymiseAfterMonths: z.number().int().min(1) }),
  quality: z.strictObject({
    /** Consecutive availability failures before a link problem opens a ticket (flapping links). */
    failuresBeforeTicket: z.number().int().min(1).max(100),
  }),
  metrics: z.strictObject({
    /** Bearer token a Prometheus scraper must send for `/metrics`. */
    token: z.string().min(16, 'at least 16 characters').optional(),
    /** A listener of its own for `/metrics` (on `http.host`), and none on the main one; 0 picks a free port. */
    port: z.coerce.number().int().min(0).max(65535).optional(),
  }),
  auth: z.strictObject({
    /** Login attempts per client address and e-mail per minute (brute-force brake). */
    loginAttemptsPerMinute: z.number().int().min(1),
    /** Login attempts per client address per minute, whatever the e-mail (password spraying). */
    loginAttemptsPerAddressPerMinute: z.number().int().min(1),
  }),
});

export type Config = z.infer<typeof configSchema>;
