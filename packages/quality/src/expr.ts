// A safe evaluator for row-constraint formulas: the subset of Python that simpleeval
// (EvalWithCompoundTypes) evaluates for frictionless-py. Hand-written tokenizer and
// precedence-climbing parser; no eval, no Function, no property access on host objects.

export class ExprError extends Error {}

type Node =
  | { k: 'lit'; v: PyValue }
  | { k: 'name'; id: string }
  | { k: 'un'; op: string; a: Node }
  | { k: 'bin'; op: string; a: Node; b: Node }
  | { k: 'cmp'; ops: string[]; items: Node[] }
  | { k: 'bool'; op: 'and' | 'or'; a: Node; b: Node }
  | { k: 'if'; test: Node; a: Node; b: Node }
  | { k: 'call'; fn: string; args: Node[] }
  | { k: 'list'; items: Node[]; tuple: boolean }
  | { k: 'index'; a: Node; i: Node };

/** Python values the evaluator handles. Decimal and float are kept apart (mixing raises). */
export class Dec {
  readonly v: number;
  constructor(v: number) {
    this.v = v;
  }
}
export class Flt {
  readonly v: number;
  constructor(v: number) {
    this.v = v;
  }
}
export type PyValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | Dec
  | Flt
  | PyValue[]
  | { kind: string; [k: string]: unknown };

interface Token {
  t: 'num' | 'str' | 'name' | 'op' | 'end';
  v: string;
}

const OPS = [
  '**',
  '//',
  '==',
  '!=',
  '<=',
  '>=',
  '<<',
  '>>',
  '+',
  '-',
  '*',
  '/',
  '%',
  '<',
  '>',
  '(',
  ')',
  '[',
  ']',
  ',',
  '&',
  '|',
  '^',
  '~',
];

function tokenize(src: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < src.length) {
    const c = src[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    const num = /^(?:\d[\d_]*\.?[\d_]*(?:[eE][+-]?\d+)?|\.\d[\d_]*(?:[eE][+-]?\d+)?)/.exec(src.slice(i));
    if (num) {
      out.push({ t: 'num', v: num[0] });
      i += num[0].length;
      continue;
    }
    if (c === '"' || c === "'") {
      let j = i + 1;
      let s = '';
      while (j < src.length && src[j] !== c) {
        if (src[j] === '\\') {
          const n = src[j + 1] ?? '';
          s += n === 'n' ? '\n' : n === 't' ? '\t' : n === 'r' ? '\r' : n;
          j += 2;
        } else s += src[j++];
      }
      if (j >= src.length) throw new ExprError('unterminated string');
      out.push({ t: 'str', v: s });
      i = j + 1;
      continue;
    }
    const name = /^[\p{L}_][\p{L}\p{N}_]*/u.exec(src.slice(i));
    if (name) {
      out.push({ t: 'name', v: name[0] });
      i += name[0].length;
      continue;
    }
    const op = OPS.find((o) => src.startsWith(o, i));
    if (!op) throw new ExprError(`unexpected character ${c}`);
    out.push({ t: 'op', v: op });
    i += op.length;
  }
  out.push({ t: 'end', v: '' });
  return out;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'is', 'if', 'else', 'True', 'False', 'None']);

class ParserImpl {
  private pos = 0;
  private tokens: Token[];
  constructor(tokens: Token[]) {
    this.tokens = tokens;
  }
  private peek(): Token {
    return this.tokens[this.pos] as Token;
  }
  private next(): Token {
    return this.tokens[this.pos++] as Token;
  }
  private isOp(v: string): boolean {
    const t = this.peek();
    return t.t === 'op' && t.v === v;
  }
  private isKw(v: string): boolean {
    const t = this.peek();
    return t.t === 'name' && t.v === v;
  }
  private expect(v: string): void {
    const t = this.next();
    if (t.v !== v) throw new ExprError(`expected ${v}`);
  }
  parse(): Node {
    const n = this.ternary();
    if (this.peek().t !== 'end') throw new ExprError('unexpected token');
    return n;
  }
  private ternary(): Node {
    const a = this.or();
    if (this.isKw('if')) {
      this.next();
      const test = this.or();
      if (!this.isKw('else')) throw new ExprError('expected else');
      this.next();
      const b = this.ternary();
      return { k: 'if', test, a, b };
    }
    return a;
  }
  private or(): Node {
    let a = this.and();
    while (this.isKw('or')) {
      this.next();
      a = { k: 'bool', op: 'or', a, b: this.and() };
    }
    return a;
  }
  private and(): Node {
    let a = this.not();
    while (this.isKw('and')) {
      this.next();
      a = { k: 'bool', op: 'and', a, b: this.not() };
    }
    return a;
  }
  private not(): Node {
    if (this.isKw('not')) {
      this.next();
      return { k: 'un', op: 'not', a: this.not() };
    }
    return this.comparison();
  }
  private comparison(): Node {
    const first = this.bitor();
    const ops: string[] = [];
    const items: Node[] = [first];
    for (;;) {
      const t = this.peek();
      let op: string | undefined;
      if (t.t === 'op' && ['<', '>', '==', '!=', '<=', '>='].includes(t.v)) op = this.next().v;
      else if (this.isKw('in')) {
        this.next();
        op = 'in';
      } else if (this.isKw('not') && this.tokens[this.pos + 1]?.v === 'in') {
        this.pos += 2;
        op = 'not in';
      } else if (this.isKw('is')) {
        this.next();
        if (this.isKw('not')) {
          this.next();
          op = 'is not';
        } else op = 'is';
      }
      if (!op) break;
      ops.push(op);
      items.push(this.bitor());
    }
    return ops.length ? { k: 'cmp', ops, items } : first;
  }
  private binary(level: string[][], index: number): Node {
    if (index >= level.length) return this.unary();
    let a = this.binary(level, index + 1);
    for (;;) {
      const t = this.peek();
      if (t.t === 'op' && (level[index] as string[]).includes(t.v)) {
        this.next();
        a = { k: 'bin', op: t.v, a, b: this.binary(level, index + 1) };
      } else return a;
    }
  }
  private bitor(): Node {
    return this.binary([['|'], ['^'], ['&'], ['<<', '>>'], ['+', '-'], ['*', '/', '//', '%']], 0);
  }
  private unary(): Node {
    const t = this.peek();
    if (t.t === 'op' && (t.v === '-' || t.v === '+' || t.v === '~')) {
      this.next();
      return { k: 'un', op: t.v, a: this.unary() };
    }
    return this.power();
  }
  private power(): Node {
    const a = this.postfix();
    if (this.isOp('**')) {
      this.next();
      return { k: 'bin', op: '**', a, b: this.unary() };
    }
    return a;
  }
  private postfix(): Node {
    let a = this.atom();
    while (this.isOp('[')) {
      this.next();
      const i = this.ternary();
      this.expect(']');
      a = { k: 'index', a, i };
    }
    return a;
  }
  private atom(): Node {
    const t = this.next();
    if (t.t === 'num') {
      const clean = t.v.replace(/_/g, '');
      if (/[.eE]/.test(clean)) return { k: 'lit', v: new Flt(Number(clean)) };
      return { k: 'lit', v: Number(clean) };
    }
    if (t.t === 'str') {
      let s = t.v;
      while (this.peek().t === 'str') s += this.next().v;
      return { k: 'lit', v: s };
    }
    if (t.t === 'name') {
      if (t.v === 'True') return { k: 'lit', v: true };
      if (t.v === 'False') return { k: 'lit', v: false };
      if (t.v === 'None') return { k: 'lit', v: null };
      if (KEYWORDS.has(t.v)) throw new ExprError(`unexpected ${t.v}`);
      if (this.isOp('(')) {
        this.next();
        const args: Node[] = [];
        while (!this.isOp(')')) {
          args.push(this.ternary());
          if (this.isOp(',')) this.next();
          else break;
        }
        this.expect(')');
        return { k: 'call', fn: t.v, args };
      }
      return { k: 'name', id: t.v };
    }
    if (t.t === 'op' && (t.v === '(' || t.v === '[')) {
      const close = t.v === '(' ? ')' : ']';
      const items: Node[] = [];
      let comma = false;
      while (!this.isOp(close)) {
        items.push(this.ternary());
        if (this.isOp(',')) {
          this.next();
          comma = true;
        } else break;
      }
      this.expect(close);
      if (t.v === '(' && items.length === 1 && !comma) return items[0] as Node;
      return { k: 'list', items, tuple: t.v === '(' };
    }
    throw new ExprError('unexpected token');
  }
}

export function parseFormula(src: string): Node {
  if (src.length > 10_000) throw new ExprError('formula too long');
  return new ParserImpl(tokenize(src)).parse();
}

// ---- evaluation ----------------------------------------------------------------------

function num(v: PyValue): { n: number; kind: 'int' | 'dec' | 'flt' } | undefined {
  if (typeof v === 'number') return { n: v, kind: 'int' };
  if (typeof v === 'boolean') return { n: v ? 1 : 0, kind: 'int' };
  if (typeof v === 'bigint') return { n: Number(v), kind: 'int' };
  if (v instanceof Dec) return { n: v.v, kind: 'dec' };
  if (v instanceof Flt) return { n: v.v, kind: 'flt' };
  return undefined;
}

function wrap(n: number, kind: 'int' | 'dec' | 'flt'): PyValue {
  return kind === 'int' ? n : kind === 'dec' ? new Dec(n) : new Flt(n);
}

function arith(op: string, a: PyValue, b: PyValue): PyValue {
  if (op === '+' && typeof a === 'string' && typeof b === 'string') return a + b;
  if (op === '+' && Array.isArray(a) && Array.isArray(b)) return [...a, ...b];
  if (op === '*' && typeof a === 'string' && typeof b === 'number') {
    if (b > 100_000 || a.length * b > 100_000) throw new ExprError('sequence too long');
    return a.repeat(Math.max(0, b));
  }
  if (op === '%' && typeof a === 'string') throw new ExprError('string formatting is not supported');
  const x = num(a);
  const y = num(b);
  if (!x || !y) throw new ExprError(`unsupported operand types for ${op}`);
  if ((x.kind === 'dec' && y.kind === 'flt') || (x.kind === 'flt' && y.kind === 'dec'))
    throw new ExprError('Decimal and float do not mix');
  const kind =
    x.kind === 'dec' || y.kind === 'dec' ? 'dec' : x.kind === 'flt' || y.kind === 'flt' ? 'flt' : 'int';
  switch (op) {
    case '+':
      return wrap(x.n + y.n, kind);
    case '-':
      return wrap(x.n - y.n, kind);
    case '*':
      return wrap(x.n * y.n, kind);
    case '/':
      if (y.n === 0) throw new ExprError('division by zero');
      return wrap(x.n / y.n, kind === 'int' ? 'flt' : kind);
    case '//':
      if (y.n === 0) throw new ExprError('division by zero');
      return wrap(kind === 'dec' ? Math.trunc(x.n / y.n) : Math.floor(x.n / y.n), kind);
    case '%': {
      if (y.n === 0) throw new ExprError('modulo by zero');
      const r = x.n % y.n;
      return wrap(kind === 'dec' ? r : r !== 0 && r < 0 !== y.n < 0 ? r + y.n : r, kind);
    }
    case '**': {
      // simpleeval caps exponents (MAX_POWER = 4000000)
      if (Math.abs(y.n) > 4_000_000) throw new ExprError('power too large');
      return wrap(x.n ** y.n, kind === 'int' && y.n < 0 ? 'flt' : kind);
    }
    case '&':
    case '|':
    case '^':
    case '<<':
    case '>>': {
      if (kind !== 'int') throw new ExprError('bitwise operations need integers');
      const p = BigInt(Math.trunc(x.n));
      const q = BigInt(Math.trunc(y.n));
      const r = op === '&' ? p & q : op === '|' ? p | q : op === '^' ? p ^ q : op === '<<' ? p << q : p >> q;
      return Number(r);
    }
    default:
      throw new ExprError(`unknown operator ${op}`);
  }
}

export function truthy(v: PyValue): boolean {
  if (v === null || v === false) return false;
  if (v === true) return true;
  if (typeof v === 'number') return v !== 0;
  if (typeof v === 'bigint') return v !== 0n;
  if (typeof v === 'string' || Array.isArray(v)) return v.length > 0;
  if (v instanceof Dec || v instanceof Flt) return v.v !== 0;
  return true;
}

function eq(a: PyValue, b: PyValue): boolean {
  const x = num(a);
  const y = num(b);
  if (x && y) return x.n === y.n;
  if (Array.isArray(a) && Array.isArray(b))
    return a.length === b.length && a.every((v, i) => eq(v, b[i] as PyValue));
  if (a && b && typeof a === 'object' && typeof b === 'object' && 'key' in a && 'key' in b)
    return a.key === b.key;
  return a === b;
}

function order(a: PyValue, b: PyValue): number {
  const x = num(a);
  const y = num(b);
  if (x && y) return x.n < y.n ? -1 : x.n > y.n ? 1 : 0;
  if (typeof a === 'string' && typeof b === 'string') return a < b ? -1 : a > b ? 1 : 0;
  if (a && b && typeof a === 'object' && typeof b === 'object' && 'ord' in a && 'ord' in b)
    return (a.ord as number) - (b.ord as number);
  throw new ExprError("'<' not supported between these types");
}

function compare(op: string, a: PyValue, b: PyValue): boolean {
  switch (op) {
    case '==':
      return eq(a, b);
    case '!=':
      return !eq(a, b);
    case '<':
      return order(a, b) < 0;
    case '<=':
      return order(a, b) <= 0;
    case '>':
      return order(a, b) > 0;
    case '>=':
      return order(a, b) >= 0;
    case 'is':
      return a === b || (a === null && b === null);
    case 'is not':
      return !(a === b || (a === null && b === null));
    case 'in':
    case 'not in': {
      let found: boolean;
      if (typeof b === 'string') {
        if (typeof a !== 'string') throw new ExprError("'in <string>' requires string as left operand");
        found = b.includes(a);
      } else if (Array.isArray(b)) found = b.some((v) => eq(a, v));
      else throw new ExprError('argument is not iterable');
      return op === 'in' ? found : !found;
    }
    default:
      throw new ExprError(`unknown comparison ${op}`);
  }
}

function pyStrValue(v: PyValue): string {
  if (v === null) return 'None';
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v instanceof Dec) return String(v.v);
  if (v instanceof Flt) return Number.isInteger(v.v) ? `${v.v}.0` : String(v.v);
  if (typeof v === 'object' && !Array.isArray(v) && 'str' in v) return String(v.str);
  return String(v);
}

const FUNCTIONS: Record<string, (args: PyValue[]) => PyValue> = {
  int: ([v]) => {
    if (typeof v === 'string') {
      if (!/^\s*[+-]?\d+\s*$/.test(v)) throw new ExprError('invalid literal for int()');
      return Number.parseInt(v, 10);
    }
    const x = num(v ?? null);
    if (!x) throw new ExprError('int() argument must be a string or a number');
    return Math.trunc(x.n);
  },
  float: ([v]) => {
    if (typeof v === 'string') {
      const n = Number(v.trim());
      if (Number.isNaN(n) && !/^\s*[+-]?nan\s*$/i.test(v))
        throw new ExprError('could not convert string to float');
      return new Flt(n);
    }
    const x = num(v ?? null);
    if (!x) throw new ExprError('float() argument must be a string or a number');
    return new Flt(x.n);
  },
  str: ([v]) => pyStrValue(v ?? null),
};

export function evaluate(node: Node, names: (id: string) => PyValue | undefined): PyValue {
  switch (node.k) {
    case 'lit':
      return node.v;
    case 'name': {
      const v = names(node.id);
      if (v === undefined) throw new ExprError(`'${node.id}' is not defined`);
      return v;
    }
    case 'un': {
      const a = evaluate(node.a, names);
      if (node.op === 'not') return !truthy(a);
      const x = num(a);
      if (!x) throw new ExprError(`bad operand type for unary ${node.op}`);
      if (node.op === '-') return wrap(-x.n, x.kind);
      if (node.op === '+') return wrap(x.n, x.kind);
      if (x.kind !== 'int') throw new ExprError('bad operand type for unary ~');
      return ~x.n;
    }
    case 'bin':
      return arith(node.op, evaluate(node.a, names), evaluate(node.b, names));
    case 'bool': {
      const a = evaluate(node.a, names);
      if (node.op === 'and') return truthy(a) ? evaluate(node.b, names) : a;
      return truthy(a) ? a : evaluate(node.b, names);
    }
    case 'cmp': {
      let left = evaluate(node.items[0] as Node, names);
      for (let i = 0; i < node.ops.length; i++) {
        const right = evaluate(node.items[i + 1] as Node, names);
        if (!compare(node.ops[i] as string, left, right)) return false;
        left = right;
      }
      return true;
    }
    case 'if':
      return truthy(evaluate(node.test, names)) ? evaluate(node.a, names) : evaluate(node.b, names);
    case 'call': {
      const fn = Object.hasOwn(FUNCTIONS, node.fn) ? FUNCTIONS[node.fn] : undefined;
      if (!fn) throw new ExprError(`function ${node.fn} is not defined`);
      return fn(node.args.map((a) => evaluate(a, names)));
    }
    case 'list':
      return node.items.map((a) => evaluate(a, names));
    case 'index': {
      const a = evaluate(node.a, names);
      const i = evaluate(node.i, names);
      if ((typeof a === 'string' || Array.isArray(a)) && typeof i === 'number') {
        const idx = i < 0 ? a.length + i : i;
        if (idx < 0 || idx >= a.length) throw new ExprError('index out of range');
        return (typeof a === 'string' ? a[idx] : a[idx]) as PyValue;
      }
      throw new ExprError('object is not subscriptable');
    }
  }
}

/** Compiles a formula; the returned function throws ExprError where simpleeval would raise. */
export function compileFormula(src: string): (names: (id: string) => PyValue | undefined) => PyValue {
  const node = parseFormula(src);
  return (names) => evaluate(node, names);
}
