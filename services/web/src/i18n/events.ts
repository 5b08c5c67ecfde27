// Timeline words for system events (why a ticket changed), merged into es.ts and en.ts.
// Keys start with 'events.'; en must have exactly the keys of es (its type says so).
export const eventsEs = {
  'events.placeholder': '—',
} as const;

export const eventsEn: Record<keyof typeof eventsEs, string> = {
  'events.placeholder': '—',
};
