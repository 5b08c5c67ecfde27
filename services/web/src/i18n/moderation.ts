// Messages of the desk's moderation queue, merged into es.ts and en.ts.
// Keys start with 'moderation.'; en must have exactly the keys of es (its type says so).
export const moderationEs = {
  'moderation.placeholder': '—',
} as const;

export const moderationEn: Record<keyof typeof moderationEs, string> = {
  'moderation.placeholder': '—',
};
