// Messages of the quality report viewer (/informes/:id), merged into es.ts and en.ts.
// Keys start with 'report.'; en must have exactly the keys of es (its type says so).
export const reportEs = {
  'report.placeholder': '—',
} as const;

export const reportEn: Record<keyof typeof reportEs, string> = {
  'report.placeholder': '—',
};
