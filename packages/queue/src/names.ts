/**
 * Queue names and typed job payloads, in one place. Payloads carry ids, never documents
 * (ARCHITECTURE.md "Jobs"): a processor reloads what it needs and checks the work is still due.
 */
export const QUEUE_NAMES = [
  'maintenance',
  'notify',
  'sla',
  'quality',
  'harvest',
  'webhooks',
  'digest',
] as const;
export type QueueName = (typeof QUEUE_NAMES)[number];

export interface JobPayloads {
  maintenance: { task: 'outbox-sweep' | 'sla-reconcile' | 'retention' | 'digest'; documentId?: string };
  notify: { ticketId?: string; notificationId?: string; eventId?: string; kind?: string };
  sla: { ticketId: string; target: string; kind: 'warn' | 'breach'; due: string };
  quality: { datasetId?: string; resourceId?: string; runId?: string; subscriptionId?: string };
  harvest: { sourceId: string };
  webhooks: { ticketId?: string; eventId?: string; webhookId?: string };
  digest: { organisationId?: string; task?: string };
}

export function isQueueName(name: string): name is QueueName {
  return (QUEUE_NAMES as readonly string[]).includes(name);
}
