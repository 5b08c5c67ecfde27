// Descriptors (Table Schema, CSV Dialect, Data Package) and the v5 report, camelCase like
// frictionless-py's to_descriptor().

export interface Constraints {
  required?: boolean;
  unique?: boolean;
  minLength?: number;
  maxLength?: number;
  minimum?: unknown;
  maximum?: unknown;
  exclusiveMinimum?: unknown;
  exclusiveMaximum?: unknown;
  pattern?: string;
  enum?: unknown[];
  [key: string]: unknown;
}

export type MissingValues = Array<string | { value: string; label?: string }>;

export interface FieldDescriptor {
  name: string;
  type?: string;
  format?: string;
  title?: string;
  description?: string;
  missingValues?: MissingValues;
  constraints?: Constraints;
  // number / integer
  bareNumber?: boolean;
  floatNumber?: boolean;
  decimalChar?: string;
  groupChar?: string;
  // boolean
  trueValues?: string[];
  falseValues?: string[];
  // array / list
  arrayItem?: FieldDescriptor | Record<string, unknown>;
  delimiter?: string;
  itemType?: string;
  // Data Package v2
  categories?: Array<string | number | { value: string | number; label?: string }>;
  categoriesOrdered?: boolean;
  [key: string]: unknown;
}

export interface ForeignKey {
  fields: string | string[];
  reference: { resource?: string; fields: string | string[] };
}

export interface TableSchema {
  fields: FieldDescriptor[];
  missingValues?: MissingValues;
  primaryKey?: string | string[];
  foreignKeys?: ForeignKey[];
  uniqueKeys?: Array<string[]>;
  fieldsMatch?: 'exact' | 'equal' | 'subset' | 'superset' | 'partial';
  [key: string]: unknown;
}

export interface Dialect {
  header?: boolean;
  headerRows?: number[];
  headerJoin?: string;
  headerCase?: boolean;
  commentChar?: string;
  commentRows?: number[];
  skipBlankRows?: boolean;
  delimiter?: string;
  lineTerminator?: string;
  quoteChar?: string;
  doubleQuote?: boolean;
  escapeChar?: string;
  nullSequence?: string;
  skipInitialSpace?: boolean;
  csv?: {
    delimiter?: string;
    quoteChar?: string;
    doubleQuote?: boolean;
    escapeChar?: string;
    skipInitialSpace?: boolean;
    lineTerminator?: string;
    nullSequence?: string;
  };
  [key: string]: unknown;
}

export interface ResourceDescriptor {
  name?: string;
  path?: string | string[];
  data?: unknown;
  type?: string;
  format?: string;
  encoding?: string;
  compression?: string;
  mediatype?: string;
  hash?: string;
  bytes?: number;
  schema?: TableSchema | string;
  dialect?: Dialect | string;
  [key: string]: unknown;
}

export interface DataPackage {
  name?: string;
  resources: ResourceDescriptor[];
  [key: string]: unknown;
}

export type CheckDescriptor =
  | { type: 'duplicate-row' }
  | { type: 'deviated-value'; fieldName: string; interval?: number; average?: 'mean' | 'median' | 'mode' }
  | { type: 'deviated-cell'; interval?: number; ignoreFields?: string[] }
  | { type: 'truncated-value' }
  | { type: 'forbidden-value'; fieldName: string; values: unknown[] }
  | { type: 'sequential-value'; fieldName: string }
  | { type: 'required-value'; fieldName: string; values: unknown[] }
  | { type: 'row-constraint'; formula: string }
  | {
      type: 'table-dimensions';
      numRows?: number;
      minRows?: number;
      maxRows?: number;
      numFields?: number;
      minFields?: number;
      maxFields?: number;
    }
  | { type: 'ascii-value' }
  | { type: string; [key: string]: unknown };

export interface ReportError {
  type: string;
  title: string;
  description: string;
  message: string;
  tags: string[];
  note: string;
  labels?: string[];
  rowNumbers?: number[];
  label?: string;
  cells?: string[];
  rowNumber?: number;
  cell?: string;
  fieldName?: string;
  fieldNumber?: number;
  fieldNames?: string[];
  fieldCells?: string[];
  referenceName?: string;
  referenceFieldNames?: string[];
}

export interface ReportTaskStats {
  errors: number;
  warnings: number;
  seconds: number;
  md5?: string;
  sha256?: string;
  bytes?: number;
  fields?: number;
  rows?: number;
}

export interface FieldSummary {
  name: string;
  type: string;
  nulls: number;
  /** Approximate count of distinct non-null values (HyperLogLog, ~1.6 % error). */
  distinct: number;
  min?: string;
  max?: string;
  typeErrors: number;
  /** Most frequent cells that failed the type reader, with counts. */
  topTypeErrors: Array<{ cell: string; count: number }>;
}

export interface TaskSummary {
  encoding?: string;
  dialect?: {
    delimiter: string;
    quoteChar: string;
    header: boolean;
    headerRows: number[];
    skipInitialSpace?: boolean;
    /** How the delimiter was found: declared, Python's sniffer, or the consistency rule over it. */
    detectedBy?: 'declared' | 'sniffer' | 'consistency';
    /** Why this delimiter, in words. */
    note?: string;
    /** The candidates measured by the consistency rule (two columns or more). */
    candidates?: Array<{ delimiter: string; columns: number; consistency: number; cleanCells: number }>;
  };
  fields: FieldSummary[];
  errorCounts: Record<string, number>;
}

export interface ReportTask {
  name: string;
  type: string;
  valid: boolean;
  place: string;
  labels: string[];
  stats: ReportTaskStats;
  warnings: string[];
  errors: ReportError[];
  /** Not in frictionless-py: what Quipu detected and measured. Conformance comparisons ignore it. */
  summary?: TaskSummary;
}

export interface Report {
  valid: boolean;
  stats: { tasks: number; errors: number; warnings: number; seconds: number };
  warnings: string[];
  errors: ReportError[];
  tasks: ReportTask[];
}

export interface FieldSuggestion {
  name: string;
  /** The frictionless-style inferred type (what frictionless-py would infer). */
  type: string;
  /** A richer descriptor suggested for Latin-American portals, when one fits better. */
  suggested: FieldDescriptor;
  /** Share of non-missing sample cells the suggestion reads, 0..1. */
  confidence: number;
  reason?: string;
}

export interface InferResult {
  /** Frictionless-compatible inferred schema (same as frictionless-py's describe). */
  schema: TableSchema;
  /** The schema with every suggestion applied: exportable as a Table Schema. */
  suggestedSchema: TableSchema;
  fields: FieldSuggestion[];
  encoding: string;
  dialect: { delimiter: string; quoteChar: string; header: boolean; headerRows: number[] };
  sampledRows: number;
}
