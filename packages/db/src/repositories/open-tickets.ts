import { RESOLVED_LIKE_STATUSES } from '@quipu/core/tickets';
import type { Types } from 'mongoose';
import type { Models } from '../models/index.ts';
import { toObjectId } from './scope.ts';

/**
 * The SLA sweeps' walk over open tickets, in `_id` order. One server cursor streamed in batches:
 * FerretDB pushes neither `$gt` on `_id` nor `$nin` down to its storage, so keyset paging
 * (one query per batch) rescans the collection for every batch; a single cursor scans it once.
 * `after` resumes a walk that was cut (e.g. a cursor closed by the server).
 */
export function slaTicketQueries(models: Models) {
  const { Ticket } = models;
  const filterOf = (after?: string, organisationIds?: readonly string[]) => {
    const filter: Record<string, unknown> = { status: { $nin: RESOLVED_LIKE_STATUSES } };
    if (after) filter._id = { $gt: toObjectId(after) };
    if (organisationIds) filter.organisationId = { $in: organisationIds.map(toObjectId) };
    return filter;
  };
  const PROJECTION = { comments: 0, outbox: 0, description: 0, reporter: 0 };
  return {
    async *openTickets(options: {
      after?: string | undefined;
      batchSize: number;
      organisationIds?: readonly string[] | undefined;
    }): AsyncGenerator<Array<Record<string, unknown> & { _id: Types.ObjectId }>> {
      let after = options.after;
      for (let reopened = 0; reopened < 5; reopened += 1) {
        const cursor = Ticket.collection
          .find(filterOf(after, options.organisationIds), { projection: PROJECTION })
          .sort({ _id: 1 })
          .batchSize(options.batchSize);
        let batch: Array<Record<string, unknown> & { _id: Types.ObjectId }> = [];
        try {
          for await (const doc of cursor) {
            batch.push(doc as never);
            if (batch.length >= options.batchSize) {
              after = String(batch.at(-1)!._id);
              yield batch;
              batch = [];
            }
          }
          if (batch.length) yield batch;
          return;
        } catch (error) {
          // A cursor the server closed (idle, restart): resume after the last batch handed out.
          if (!/cursor/i.test((error as Error).message)) throw error;
        } finally {
          await cursor.close().catch(() => {});
        }
      }
    },
    async openBatch(options: {
      after?: string | undefined;
      limit: number;
      organisationIds?: readonly string[] | undefined;
    }): Promise<Array<Record<string, unknown> & { _id: Types.ObjectId }>> {
      return (await Ticket.find(filterOf(options.after, options.organisationIds), PROJECTION)
        .sort({ _id: 1 })
        .limit(options.limit)
        .lean()) as unknown as Array<Record<string, unknown> & { _id: Types.ObjectId }>;
    },
  };
}
