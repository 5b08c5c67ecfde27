import type { Types } from 'mongoose';
import type { DatasetDoc } from '../models/catalog.ts';
import type { Models } from '../models/index.ts';
import { escapeRegex, isObjectId, toObjectId } from './scope.ts';

export type DatasetRecord = DatasetDoc & { _id: Types.ObjectId; createdAt: Date; updatedAt: Date };

/** The catalog reads that intake and the public pages need (the catalog is public data). */
export function datasetLookup(models: Models) {
  const { Dataset } = models;
  return {
    async find(idOrSlug: string) {
      const key = isObjectId(idOrSlug) ? { _id: toObjectId(idOrSlug) } : { slug: idOrSlug };
      return (await Dataset.findOne(key).lean()) as unknown as DatasetRecord | null;
    },
    /** A dataset by one of its resource URLs or its landing page (reporters paste URLs). */
    async findByUrl(url: string) {
      return (await Dataset.findOne({
        $or: [{ 'resources.url': url }, { landingPage: url }],
      }).lean()) as unknown as DatasetRecord | null;
    },
    async search(text: string, limit = 10) {
      const pattern = { $regex: escapeRegex(text), $options: 'i' };
      return (await Dataset.find({
        withdrawnAt: { $exists: false },
        $or: [{ title: pattern }, { slug: pattern }, { tags: pattern }],
      })
        .sort({ title: 1 })
        .limit(limit)
        .lean()) as unknown as DatasetRecord[];
    },
    async insert(doc: Record<string, unknown>) {
      const created = await Dataset.create(doc);
      return created.toObject() as unknown as DatasetRecord;
    },
  };
}
