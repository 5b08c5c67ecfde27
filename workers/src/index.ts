// One job's work run in-line (the scenarios in test/ drive a job without a queue between).
export { type HarvestRunResult, runHarvest } from './harvest/processor.ts';
export {
  defineProcessor,
  type Processor,
  type QueueProcessor,
  type Schedule,
  schedule,
} from './processor.ts';
export { type QualityRunResult, runQualityCheck } from './quality/processor.ts';
export { PROCESSOR_GROUPS, PROCESSORS, runDeclared, startWorkers, type WorkerHost } from './runner.ts';
export { type Runtime, workerCommands } from './runtime.ts';
export { reconcileCommand, runSlaJob } from './sla/processor.ts';
