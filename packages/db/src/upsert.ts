import { isDuplicateKeyError } from './errors.ts';
import type { LooseModel } from './models/index.ts';

/**
 * An upsert by `_id` that survives losing the race to create the document: two first upserts of
 * one `_id` at once make one of them fail with E11000 (on FerretDB always, on MongoDB sometimes),
 * and the loser then applies its update to the document the winner created.
 */
export async function upsertById(
  model: LooseModel,
  id: string,
  update: Record<string, unknown>,
): Promise<void> {
  try {
    await model.updateOne({ _id: id }, update, { upsert: true });
  } catch (error) {
    if (!isDuplicateKeyError(error)) throw error;
    await model.updateOne({ _id: id }, update);
  }
}
