import { type FieldProblem, validationError } from '@quipu/http';
import type { z } from 'zod';

/** Parses input with a schema; failures become a 400 problem listing every offending field. */
export function parse<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors: FieldProblem[] = result.error.issues.map((issue) => ({
    field:
      issue.code === 'unrecognized_keys'
        ? [...issue.path, ...issue.keys].join('.')
        : issue.path.join('.') || '(body)',
    code: issue.code === 'unrecognized_keys' ? 'unknown_field' : issue.code,
    message: issue.message,
  }));
  throw validationError(errors);
}
