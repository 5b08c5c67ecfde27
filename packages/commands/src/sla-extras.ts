/** SLA runtime, calendars admin and notification extras (issue 6), exported as one block. */
export * from './calendar-admin.ts';
export * from './sla-deadlines.ts';
export * from './sla-digest.ts';
export * from './sla-extension.ts';
export * from './sla-reconcile.ts';
export * from './webhooks.ts';
