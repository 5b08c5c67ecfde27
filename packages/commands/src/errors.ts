import type { PlanError } from '@quipu/core/tickets';

/**
 * A command refused: a stable code the API maps to an HTTP status (see services/api errors),
 * with field details where a field is at fault.
 */
export class CommandError extends Error {
  readonly code: string;
  readonly details: Record<string, unknown>;
  constructor(code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'CommandError';
    this.code = code;
    this.details = details;
  }
}

export const notFoundError = (what: string) => new CommandError('not_found', `No such ${what}.`, { what });

export function fromPlanError(error: PlanError): CommandError {
  return new CommandError(error.code, error.message, error.details);
}

/** The change could not apply because the ticket changed meanwhile (optimistic guard). */
export const concurrentChange = () =>
  new CommandError('concurrent_change', 'The ticket changed while this request ran; reload and try again.');
