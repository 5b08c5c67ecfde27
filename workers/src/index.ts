export type { Processor, Schedule } from './processor.ts';
export { PROCESSOR_GROUPS, PROCESSORS, startWorkers, type WorkerHost } from './runner.ts';
export type { Runtime } from './runtime.ts';
export { reconcileCommand } from './sla/index.ts';
