export {
  defineProcessor,
  type Processor,
  type QueueProcessor,
  type Schedule,
  schedule,
} from './processor.ts';
export { PROCESSOR_GROUPS, PROCESSORS, runDeclared, startWorkers, type WorkerHost } from './runner.ts';
export { type Runtime, workerCommands } from './runtime.ts';
export { reconcileCommand } from './sla/processor.ts';
