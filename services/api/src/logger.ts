import pino, { type Logger } from 'pino';

/**
 * Structured logs. Personal data (reporter e-mail and name, passwords, tokens, cookies) is
 * redacted wherever it appears in a logged object.
 */
export const REDACT_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  '*.password',
  '*.token',
  '*.email',
  '*.reporter',
  'reporter',
  'email',
  'password',
  '*.*.email',
];

export function createLogger(level: string, destination?: pino.DestinationStream): Logger {
  return pino(
    { level, redact: { paths: REDACT_PATHS, censor: '[redacted]' }, base: { service: 'quipu' } },
    destination,
  );
}
