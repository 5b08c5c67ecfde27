export { createRedis, pingRedis } from './connection.ts';
export {
  addJobs,
  isJobOf,
  isQueueName,
  JOBS,
  type JobCatalogue,
  type JobData,
  type JobName,
  type JobRequest,
  type JobType,
  QUEUE_NAMES,
  type QueueName,
  type Repeat,
} from './jobs.ts';
export { createQueues, DEFAULT_JOB_OPTIONS, type QueueOf, type QueueRegistry } from './queues.ts';
export { type RelayResult, relayOutbox } from './relay.ts';
