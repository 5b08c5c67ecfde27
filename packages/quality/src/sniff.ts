// Python's csv.Sniffer().sniff(sample, ",\t;|"), which frictionless-py runs over the first
// 100 lines to pick the delimiter, the quote character and skipinitialspace.

export interface Sniffed {
  delimiter: string;
  quoteChar: string;
  skipInitialSpace: boolean;
}

const QUOTE_PATTERNS = [
  { re: /([^\p{L}\p{N}_\n"'])( ?)(["']).*?\3\1/gsu, quote: 3, delim: 1, space: 2 },
  { re: /(?:^|\n)(["']).*?\1([^\p{L}\p{N}_\n"'])( ?)/gmsu, quote: 1, delim: 2, space: 3 },
  { re: /([^\p{L}\p{N}_\n"'])( ?)(["']).*?\3(?:$|\n)/gmsu, quote: 3, delim: 1, space: 2 },
  { re: /(?:^|\n)(["']).*?\1(?:$|\n)/gmsu, quote: 1, delim: 0, space: 0 },
];

function guessQuoteAndDelimiter(
  data: string,
  delimiters: string,
): { quote: string; delim: string | null; skip: boolean } {
  for (const p of QUOTE_PATTERNS) {
    p.re.lastIndex = 0;
    const matches = [...data.matchAll(p.re)];
    if (!matches.length) continue;
    const quotes = new Map<string, number>();
    const delims = new Map<string, number>();
    let spaces = 0;
    for (const m of matches) {
      const q = m[p.quote];
      if (q) quotes.set(q, (quotes.get(q) ?? 0) + 1);
      if (!p.delim) continue;
      const d = m[p.delim];
      if (d && delimiters.includes(d)) delims.set(d, (delims.get(d) ?? 0) + 1);
      if (m[p.space]) spaces++;
    }
    const quote = maxKey(quotes) ?? '';
    if (delims.size) {
      let delim = maxKey(delims) ?? '';
      const skip = delims.get(delim) === spaces;
      if (delim === '\n') delim = '';
      return { quote, delim, skip };
    }
    return { quote, delim: '', skip: false };
  }
  return { quote: '', delim: null, skip: false };
}

function maxKey(map: Map<string, number>): string | undefined {
  let best: string | undefined;
  let max = -Infinity;
  for (const [k, v] of map) {
    if (v > max) {
      max = v;
      best = k;
    }
  }
  return best;
}

function countOf(line: string, ch: string): number {
  let n = 0;
  let i = line.indexOf(ch);
  while (i !== -1) {
    n++;
    i = line.indexOf(ch, i + 1);
  }
  return n;
}

function guessDelimiter(sample: string, delimiters: string): { delim: string; skip: boolean } {
  const data = sample.split('\n').filter((l) => l !== '');
  // Only the candidate characters can win, in ASCII order as Python iterates them.
  const chars = [...delimiters]
    .filter((c) => c.charCodeAt(0) < 127)
    .sort((a, b) => a.charCodeAt(0) - b.charCodeAt(0));
  const chunkLength = Math.min(10, data.length);
  let iteration = 0;
  const charFrequency = new Map<string, Map<number, number>>();
  const modes = new Map<string, [number, number]>();
  let delims = new Map<string, [number, number]>();
  let start = 0;
  let end = chunkLength;
  const skipOf = (d: string) => countOf(data[0] ?? '', d) === countOf(data[0] ?? '', `${d} `);
  while (start < data.length) {
    iteration++;
    for (const line of data.slice(start, end)) {
      for (const ch of chars) {
        const meta = charFrequency.get(ch) ?? new Map<number, number>();
        const freq = countOf(line, ch);
        meta.set(freq, (meta.get(freq) ?? 0) + 1);
        charFrequency.set(ch, meta);
      }
    }
    for (const [ch, meta] of charFrequency) {
      const items = [...meta.entries()];
      if (items.length === 1 && items[0]?.[0] === 0) continue;
      if (items.length > 1) {
        let best = items[0] as [number, number];
        for (const it of items) if (it[1] > best[1]) best = it;
        const rest = items.filter((it) => it !== best).reduce((s, it) => s + it[1], 0);
        modes.set(ch, [best[0], best[1] - rest]);
      } else modes.set(ch, items[0] as [number, number]);
    }
    const total = Math.min(chunkLength * iteration, data.length);
    let consistency = 1.0;
    while (delims.size === 0 && consistency >= 0.9) {
      for (const [k, v] of modes) {
        if (v[0] > 0 && v[1] > 0 && v[1] / total >= consistency && delimiters.includes(k)) delims.set(k, v);
      }
      consistency -= 0.01;
    }
    if (delims.size === 1) {
      const d = [...delims.keys()][0] as string;
      return { delim: d, skip: skipOf(d) };
    }
    start = end;
    end += chunkLength;
  }
  if (!delims.size) return { delim: '', skip: false };
  if (delims.size > 1) {
    for (const d of [',', '\t', ';', ' ', ':']) if (delims.has(d)) return { delim: d, skip: skipOf(d) };
  }
  const items = [...delims.entries()].sort(
    (a, b) => a[1][0] - b[1][0] || a[1][1] - b[1][1] || (a[0] < b[0] ? -1 : 1),
  );
  delims = new Map(items);
  const d = items[items.length - 1]?.[0] ?? '';
  return { delim: d, skip: skipOf(d) };
}

/** Returns undefined when Python's sniffer raises ("Could not determine delimiter"). */
export function sniff(sample: string, delimiters = ',\t;|'): Sniffed | undefined {
  const q = guessQuoteAndDelimiter(sample, delimiters);
  let delim = q.delim;
  let skip = q.skip;
  if (!delim) {
    const g = guessDelimiter(sample, delimiters);
    delim = g.delim;
    skip = g.skip;
  }
  if (!delim) return undefined;
  let quoteChar = q.quote || '"';
  if (quoteChar === "'") quoteChar = '"'; // frictionless-py ignores a sniffed single quote
  return { delimiter: delim, quoteChar, skipInitialSpace: skip };
}

/** The first `count` lines of a text, line endings kept (Python's newline="" iteration). */
export function firstLines(text: string, count: number): string {
  let lines = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 10 || c === 13) {
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      lines++;
      if (lines >= count) return text.slice(0, i + 1);
    }
  }
  return text;
}
