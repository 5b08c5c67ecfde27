export { createRedis, pingRedis } from './connection.ts';
export { isQueueName, type JobPayloads, QUEUE_NAMES, type QueueName } from './names.ts';
export { createQueues, DEFAULT_JOB_OPTIONS, type QueueRegistry } from './queues.ts';
export { type RelayResult, relayOutbox } from './relay.ts';
