import type { DateInput } from './format.ts';

/** A ticket as a mail shows it: its public reference, title and the page to open. */
export interface TicketLink {
  ref: string;
  title: string;
  /** Absolute URL, or a path resolved against `publicBaseUrl`. */
  url: string;
}

/** Ticket states and SLA targets are owned by @quipu/core; unknown codes are shown as they are. */
export type TicketStatus = string;
export type SlaTarget = 'first_response' | 'resolution' | (string & {});
export type EscalationRole = 'team_lead' | 'manager' | 'parent_organisation' | (string & {});

export interface ReporterAcknowledgementData {
  reporterName?: string;
  ref: string;
  title: string;
  trackingUrl: string;
  /** Present while the reporter's address is unverified. */
  verificationUrl?: string;
  dueAt?: DateInput;
}

export interface EmailVerificationData {
  reporterName?: string;
  verificationUrl: string;
  expiresAt?: DateInput;
  /** The report waiting for the confirmation, when there is one. */
  ticket?: Pick<TicketLink, 'ref' | 'title'>;
}

export interface StatusChangedData {
  audience: 'reporter' | 'follower';
  recipientName?: string;
  ticket: TicketLink;
  from: TicketStatus;
  to: TicketStatus;
  reason?: string;
  /** What the officer answered when resolving: the outcome the reader is told about. */
  resolution?: string;
}

export interface PublicReplyData {
  audience: 'reporter' | 'follower';
  recipientName?: string;
  ticket: TicketLink;
  /** Public display name of the author; an e-mail address here is replaced, never shown. */
  authorName?: string;
  excerpt: string;
}

export interface ResolutionQuestionData {
  reporterName?: string;
  ticket: TicketLink;
  yesUrl: string;
  noUrl: string;
  /** What the officer answered: the reporter is asked whether this solved the problem. */
  resolution?: string;
  /** When the ticket closes by itself without an answer. */
  closesAt?: DateInput;
}

export interface DeadlineExtensionData {
  reporterName?: string;
  ticket: TicketLink;
  previousDueAt?: DateInput;
  newDueAt: DateInput;
  reason: string;
}

export interface SlaDue {
  target: SlaTarget;
  dueAt: DateInput;
}

export interface AssignmentData {
  assigneeName?: string;
  /** Staff URL of the ticket. */
  ticket: TicketLink;
  kind?: string;
  category?: string;
  priority?: string;
  organisationName?: string;
  datasetTitle?: string;
  assignedBy?: string;
  due: SlaDue[];
}

export interface ReporterRepliedData {
  assigneeName?: string;
  ticket: TicketLink;
  /** Shown as given unless it looks like an e-mail address. */
  reporterName?: string;
  excerpt: string;
}

export interface SlaWarningData {
  assigneeName?: string;
  ticket: TicketLink;
  target: SlaTarget;
  dueAt: DateInput;
  /** Business minutes left, as @quipu/core counts them. */
  remainingMinutes: number;
}

export interface SlaBreachData {
  recipientName?: string;
  ticket: TicketLink;
  target: SlaTarget;
  dueAt: DateInput;
  breachedAt: DateInput;
  /** Position in the escalation chain, 1 for the first contact. */
  step: number;
  role: EscalationRole;
  assigneeName?: string;
  organisationName?: string;
}

export type EscalationData = SlaBreachData;

export interface DigestTicket {
  ref: string;
  title: string;
  url: string;
  dueAt?: DateInput;
  assigneeName?: string;
}

export interface DailyDigestData {
  recipientName?: string;
  date: DateInput;
  organisationName?: string;
  dashboardUrl: string;
  /** Totals; the lists below may be shorter (the worker caps them), the rest is summarised. */
  counts: { new: number; dueSoon: number; breached: number; unassigned: number };
  lists: {
    new: DigestTicket[];
    dueSoon: DigestTicket[];
    breached: DigestTicket[];
    unassigned: DigestTicket[];
  };
}

export type FollowerChange =
  | { type: 'status'; at: DateInput; from: TicketStatus; to: TicketStatus }
  | { type: 'reply'; at: DateInput; authorName?: string; excerpt: string };

export interface FollowersDigestData {
  recipientName?: string;
  updates: Array<{ ticket: TicketLink; changes: FollowerChange[] }>;
}

export interface QualityEventData {
  recipientName?: string;
  dataset: { title: string; url: string };
  resource: { name: string; url?: string };
  /** Name of the check, e.g. the schema or rule that ran. */
  check: string;
  state: 'failing' | 'recovered';
  reportUrl: string;
  errorCount?: number;
  checkedAt?: DateInput;
}

export interface NotificationDataMap {
  reporter_acknowledgement: ReporterAcknowledgementData;
  email_verification: EmailVerificationData;
  status_changed: StatusChangedData;
  public_reply: PublicReplyData;
  resolution_question: ResolutionQuestionData;
  deadline_extension: DeadlineExtensionData;
  assignment: AssignmentData;
  reporter_replied: ReporterRepliedData;
  sla_warning: SlaWarningData;
  sla_breach: SlaBreachData;
  escalation: EscalationData;
  daily_digest: DailyDigestData;
  followers_digest: FollowersDigestData;
  quality_event: QualityEventData;
}

export type NotificationKind = keyof NotificationDataMap;

/** The discriminated union a queue payload can carry: `{ kind, data }`. */
export type Notification = {
  [K in NotificationKind]: { kind: K; data: NotificationDataMap[K] };
}[NotificationKind];
