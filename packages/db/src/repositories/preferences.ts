import type { Models } from '../models/index.ts';

/** Staff e-mail preferences: absent documents mean the defaults. */
export function preferenceRepository(models: Models) {
  const { Preference } = models;
  return {
    async dailyDigestOptOuts(userIds: readonly string[]): Promise<Set<string>> {
      const docs = (await Preference.find({
        _id: { $in: [...userIds] },
        dailyDigest: false,
      }).lean()) as Array<{
        _id: string;
      }>;
      return new Set(docs.map((d) => d._id));
    },
    async setDailyDigest(userId: string, dailyDigest: boolean): Promise<void> {
      await Preference.updateOne({ _id: userId }, { $set: { dailyDigest } }, { upsert: true });
    },
  };
}
