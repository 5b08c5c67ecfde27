// Spam and abuse rules for public submissions. Words are matched on whole words after
// normalisation, so "Essex" does not match "sex" and "PRÉSTAMO" matches "prestamo".

/** Lower case, accents removed, everything but letters and digits turned into single spaces. */
export function normaliseText(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** The configured words or phrases found in `text` (as configured, without repeats). */
export function findSpamWords(text: string, words: readonly string[]): string[] {
  const haystack = ` ${normaliseText(text)} `;
  const found: string[] = [];
  for (const word of words) {
    const needle = normaliseText(word);
    if (needle === '' || found.includes(word)) continue;
    if (haystack.includes(` ${needle} `)) found.push(word);
  }
  return found;
}

export function containsSpamWords(text: string, words: readonly string[]): boolean {
  return findSpamWords(text, words).length > 0;
}

/**
 * Whether enough people flagged a public item to hide it until a moderator looks.
 * A threshold below 1 (or not a number) disables hiding rather than hiding everything.
 */
export function shouldHide(flagCount: number, threshold: number): boolean {
  if (!Number.isFinite(threshold) || threshold < 1) return false;
  return flagCount >= threshold;
}
