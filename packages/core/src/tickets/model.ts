// The vocabulary of tickets: kinds, categories, statuses, priorities and roles. Everything
// else in tickets/ and routing/ is written against these unions, so a new category or
// status starts here (and in messages.ts, whose types force a label for it).

export const TICKET_KINDS = ['complaint', 'data_request', 'quality_issue'] as const;
export type TicketKind = (typeof TICKET_KINDS)[number];

export const COMPLAINT_CATEGORIES = [
  'broken_link',
  'wrong_data',
  'outdated',
  'metadata',
  'format',
  'licence',
  'personal_data',
  'other',
] as const;
export type ComplaintCategory = (typeof COMPLAINT_CATEGORIES)[number];

// A data request's category is the topic of the dataset asked for; it is optional because a
// reuser often cannot tell which topic their request falls under.
export const DATA_REQUEST_CATEGORIES = [
  'economy',
  'public_finance',
  'procurement',
  'health',
  'education',
  'environment',
  'transport',
  'security',
  'social',
  'government',
  'other',
] as const;
export type DataRequestCategory = (typeof DATA_REQUEST_CATEGORIES)[number];

// Quality issues are opened by the quality worker; the category is the family of the failed check.
export const QUALITY_CATEGORIES = ['availability', 'validity', 'metadata', 'freshness'] as const;
export type QualityCategory = (typeof QUALITY_CATEGORIES)[number];

export type TicketCategory = ComplaintCategory | DataRequestCategory | QualityCategory;

export const CATEGORIES_BY_KIND = {
  complaint: COMPLAINT_CATEGORIES,
  data_request: DATA_REQUEST_CATEGORIES,
  quality_issue: QUALITY_CATEGORIES,
} as const satisfies Record<TicketKind, readonly string[]>;

/** Kinds whose category may be left empty. */
export const CATEGORY_OPTIONAL: Readonly<Record<TicketKind, boolean>> = {
  complaint: false,
  data_request: true,
  quality_issue: false,
};

export const COMPLAINT_STATUSES = [
  'new',
  'triaged',
  'in_progress',
  'waiting_reporter',
  'resolved',
  'closed',
  'rejected',
  'duplicate',
] as const;
export type ComplaintStatus = (typeof COMPLAINT_STATUSES)[number];

export const DATA_REQUEST_STATUSES = [
  'submitted',
  'under_review',
  'planned',
  'published',
  'rejected',
  'duplicate',
] as const;
export type DataRequestStatus = (typeof DATA_REQUEST_STATUSES)[number];

export const QUALITY_STATUSES = [
  'open',
  'acknowledged',
  'in_progress',
  'resolved',
  'closed',
  'duplicate',
] as const;
export type QualityStatus = (typeof QUALITY_STATUSES)[number];

export type TicketStatus = ComplaintStatus | DataRequestStatus | QualityStatus;

export const STATUSES_BY_KIND = {
  complaint: COMPLAINT_STATUSES,
  data_request: DATA_REQUEST_STATUSES,
  quality_issue: QUALITY_STATUSES,
} as const satisfies Record<TicketKind, readonly string[]>;

/** Every status of every kind, without repeats (for labels, filters and schemas). */
export const ALL_STATUSES: readonly TicketStatus[] = [
  ...new Set<TicketStatus>([...COMPLAINT_STATUSES, ...DATA_REQUEST_STATUSES, ...QUALITY_STATUSES]),
];

export const INITIAL_STATUS = {
  complaint: 'new',
  data_request: 'submitted',
  quality_issue: 'open',
} as const satisfies Record<TicketKind, TicketStatus>;

export const PRIORITIES = ['low', 'normal', 'high', 'urgent'] as const;
export type Priority = (typeof PRIORITIES)[number];
export const DEFAULT_PRIORITY: Priority = 'normal';

export const ROLES = ['reporter', 'officer', 'team_lead', 'manager', 'admin', 'system'] as const;
export type Role = (typeof ROLES)[number];

/** The roles held by people who work the desk, as opposed to reporters and workers. */
export const STAFF_ROLES = ['officer', 'team_lead', 'manager', 'admin'] as const satisfies readonly Role[];
export type StaffRole = (typeof STAFF_ROLES)[number];

export function isTicketKind(value: unknown): value is TicketKind {
  return typeof value === 'string' && (TICKET_KINDS as readonly string[]).includes(value);
}

export function isStatusOf(kind: TicketKind, value: unknown): value is TicketStatus {
  return typeof value === 'string' && (STATUSES_BY_KIND[kind] as readonly string[]).includes(value);
}

export function isCategoryOf(kind: TicketKind, value: unknown): value is TicketCategory {
  return typeof value === 'string' && (CATEGORIES_BY_KIND[kind] as readonly string[]).includes(value);
}

/** Whether `category` is acceptable for a ticket of `kind` (null allowed only where optional). */
export function isValidCategory(kind: TicketKind, category: string | null | undefined): boolean {
  if (category === null || category === undefined) return CATEGORY_OPTIONAL[kind];
  return isCategoryOf(kind, category);
}

export function isPriority(value: unknown): value is Priority {
  return typeof value === 'string' && (PRIORITIES as readonly string[]).includes(value);
}
