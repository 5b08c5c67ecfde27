// Messages of the inbox keyboard shortcuts, merged into es.ts and en.ts.
// Keys start with 'shortcuts.'; en must have exactly the keys of es (its type says so).
export const shortcutsEs = {
  'shortcuts.placeholder': '—',
} as const;

export const shortcutsEn: Record<keyof typeof shortcutsEs, string> = {
  'shortcuts.placeholder': '—',
};
