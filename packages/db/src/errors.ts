/** MongoDB's (and FerretDB's) duplicate-key error, E11000: a unique index refused the write. */
export function isDuplicateKeyError(error: unknown): boolean {
  return (error as { code?: number } | null)?.code === 11000;
}
