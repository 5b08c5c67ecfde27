// Messages of the desk's administration pages (/mesa/admin…) and the account page (/mesa/cuenta).
// Keys start with 'admin.' or 'account.'; en must have exactly the keys of es (its type says so).
export const adminEs = {
  'admin.placeholder': '—',
} as const;

export const adminEn: Record<keyof typeof adminEs, string> = {
  'admin.placeholder': '—',
};
