import type { Models } from '../models/index.ts';

/** Run-time settings by key (served by _id). */
export function settingsRepository(models: Models) {
  const { Setting } = models;
  return {
    async get<T>(key: string): Promise<{ value: T; updatedAt: Date; updatedBy?: string } | null> {
      return (await Setting.findById(key).lean()) as unknown as {
        value: T;
        updatedAt: Date;
        updatedBy?: string;
      } | null;
    },
    async put(key: string, value: unknown, updatedBy: string): Promise<void> {
      await Setting.updateOne({ _id: key }, { $set: { value, updatedBy } }, { upsert: true });
    },
    async remove(key: string): Promise<void> {
      await Setting.deleteOne({ _id: key });
    },
  };
}
