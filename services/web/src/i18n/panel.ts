// Messages of the dashboard additions (teams, breaches list, filters), merged into es.ts and en.ts.
// Keys start with 'panel.'; en must have exactly the keys of es (its type says so).
export const panelEs = {
  'panel.placeholder': '—',
} as const;

export const panelEn: Record<keyof typeof panelEs, string> = {
  'panel.placeholder': '—',
};
