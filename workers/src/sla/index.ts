import { digestProcessor } from '../digest/processor.ts';
import type { Processor } from '../processor.ts';
import { webhooksProcessor } from '../webhooks/processor.ts';
import { slaProcessor } from './processor.ts';

/** The processors of issue 6 (SLA clocks, digests, webhooks), registered together in runner.ts. */
export const SLA_PROCESSORS: Processor[] = [slaProcessor, digestProcessor, webhooksProcessor];

export { reconcileCommand, runSlaJob, slaProcessor } from './processor.ts';
