import type { MailContext } from '../format.ts';
import type { NotificationDataMap, NotificationKind } from '../notification-types.ts';

/** Text a hostile reporter could type anywhere. */
export const HOSTILE = '<script>alert("x")</script> & <img src=x onerror=alert(1)>';
export const REPORTER_EMAIL = 'ana.reporter@example.org';

export const context: MailContext = {
  portalName: 'Datos Abiertos Perú',
  publicBaseUrl: 'https://datos.example.pe',
};

const ticket = { ref: 'Q-2026-000123', title: `Presupuesto 2026 ${HOSTILE}`, url: '/tickets/Q-2026-000123' };
const staffTicket = { ...ticket, url: 'https://datos.example.pe/staff/tickets/65f0c0ffee' };

export const fixtures: { [K in NotificationKind]: NotificationDataMap[K] } = {
  reporter_acknowledgement: {
    reporterName: 'Ana',
    ref: ticket.ref,
    title: ticket.title,
    trackingUrl: '/seguimiento/tok-123',
    verificationUrl: '/verificar?token=abc&ticket=Q-2026-000123',
    dueAt: '2026-12-10T15:00:00Z',
  },
  email_verification: {
    reporterName: 'Ana',
    verificationUrl: '/verificar?token=def',
    expiresAt: '2026-11-28T15:00:00Z',
    ticket: { ref: ticket.ref, title: ticket.title },
  },
  status_changed: {
    audience: 'follower',
    ticket,
    from: 'triaged',
    to: 'resolved',
    reason: `Se publicó el archivo corregido ${HOSTILE}`,
  },
  public_reply: {
    audience: 'follower',
    ticket,
    authorName: REPORTER_EMAIL,
    excerpt: `Gracias, ya lo revisamos.\n${HOSTILE}`,
  },
  resolution_question: {
    reporterName: 'Ana',
    ticket,
    yesUrl: '/resolver/tok-1?respuesta=si',
    noUrl: '/resolver/tok-1?respuesta=no',
    closesAt: '2026-12-05T15:00:00Z',
  },
  deadline_extension: {
    reporterName: 'Ana',
    ticket,
    previousDueAt: '2026-12-01T15:00:00Z',
    newDueAt: '2026-12-12T15:00:00Z',
    reason: `Volumen de información ${HOSTILE}`,
  },
  assignment: {
    assigneeName: 'Luis Officer',
    ticket: staffTicket,
    kind: 'complaint',
    category: 'outdated',
    priority: 'high',
    organisationName: 'Ministerio de Economía',
    datasetTitle: 'Presupuesto',
    assignedBy: 'Marta Lead',
    due: [
      { target: 'first_response', dueAt: '2026-11-30T15:00:00Z' },
      { target: 'resolution', dueAt: '2026-12-10T15:00:00Z' },
    ],
  },
  reporter_replied: {
    assigneeName: 'Luis Officer',
    ticket: staffTicket,
    reporterName: REPORTER_EMAIL,
    excerpt: `Sigue sin funcionar. ${HOSTILE}`,
  },
  sla_warning: {
    assigneeName: 'Luis Officer',
    ticket: staffTicket,
    target: 'first_response',
    dueAt: '2026-11-30T15:00:00Z',
    remainingMinutes: 150,
  },
  sla_breach: {
    recipientName: 'Marta Lead',
    ticket: staffTicket,
    target: 'resolution',
    dueAt: '2026-12-10T15:00:00Z',
    breachedAt: '2026-12-10T15:00:00Z',
    step: 1,
    role: 'team_lead',
    assigneeName: 'Luis Officer',
    organisationName: 'Ministerio de Economía',
  },
  escalation: {
    recipientName: 'Jorge Manager',
    ticket: staffTicket,
    target: 'resolution',
    dueAt: '2026-12-10T15:00:00Z',
    breachedAt: '2026-12-10T15:00:00Z',
    step: 2,
    role: 'manager',
    organisationName: 'Ministerio de Economía',
  },
  daily_digest: {
    recipientName: 'Jorge Manager',
    date: '2026-11-27T13:00:00Z',
    organisationName: 'Ministerio de Economía',
    dashboardUrl: '/staff/dashboard',
    counts: { new: 3, dueSoon: 1, breached: 1, unassigned: 0 },
    lists: {
      new: [
        { ref: 'Q-2026-000200', title: `Nuevo ${HOSTILE}`, url: '/staff/tickets/200' },
        { ref: 'Q-2026-000201', title: 'Otro', url: '/staff/tickets/201' },
      ],
      dueSoon: [
        {
          ref: 'Q-2026-000150',
          title: 'Por vencer',
          url: '/staff/tickets/150',
          dueAt: '2026-11-28T15:00:00Z',
          assigneeName: 'Luis Officer',
        },
      ],
      breached: [{ ref: 'Q-2026-000100', title: 'Vencido', url: '/staff/tickets/100' }],
      unassigned: [],
    },
  },
  followers_digest: {
    updates: [
      {
        ticket,
        changes: [
          { type: 'status', at: '2026-11-26T15:00:00Z', from: 'new', to: 'in_progress' },
          {
            type: 'reply',
            at: '2026-11-26T16:00:00Z',
            authorName: REPORTER_EMAIL,
            excerpt: `Hola ${HOSTILE}`,
          },
        ],
      },
      {
        ticket: { ref: 'Q-2026-000124', title: 'Segundo', url: '/tickets/Q-2026-000124' },
        changes: [{ type: 'status', at: '2026-11-26T17:00:00Z', from: 'in_progress', to: 'closed' }],
      },
    ],
  },
  quality_event: {
    dataset: { title: `Presupuesto ${HOSTILE}`, url: '/datasets/presupuesto' },
    resource: { name: 'presupuesto-2026.csv', url: '/datasets/presupuesto/resources/r1' },
    check: 'table-schema',
    state: 'failing',
    reportUrl: '/quality/reports/rep-1',
    errorCount: 42,
    checkedAt: '2026-11-27T10:00:00Z',
  },
};

/** The links each fixture must show, absolute. */
export const expectedLinks: { [K in NotificationKind]: string[] } = {
  reporter_acknowledgement: [
    'https://datos.example.pe/seguimiento/tok-123',
    'https://datos.example.pe/verificar?token=abc&ticket=Q-2026-000123',
  ],
  email_verification: ['https://datos.example.pe/verificar?token=def'],
  status_changed: ['https://datos.example.pe/tickets/Q-2026-000123'],
  public_reply: ['https://datos.example.pe/tickets/Q-2026-000123'],
  resolution_question: [
    'https://datos.example.pe/resolver/tok-1?respuesta=si',
    'https://datos.example.pe/resolver/tok-1?respuesta=no',
  ],
  deadline_extension: ['https://datos.example.pe/tickets/Q-2026-000123'],
  assignment: ['https://datos.example.pe/staff/tickets/65f0c0ffee'],
  reporter_replied: ['https://datos.example.pe/staff/tickets/65f0c0ffee'],
  sla_warning: ['https://datos.example.pe/staff/tickets/65f0c0ffee'],
  sla_breach: ['https://datos.example.pe/staff/tickets/65f0c0ffee'],
  escalation: ['https://datos.example.pe/staff/tickets/65f0c0ffee'],
  daily_digest: [
    'https://datos.example.pe/staff/dashboard',
    'https://datos.example.pe/staff/tickets/200',
    'https://datos.example.pe/staff/tickets/150',
    'https://datos.example.pe/staff/tickets/100',
  ],
  followers_digest: [
    'https://datos.example.pe/tickets/Q-2026-000123',
    'https://datos.example.pe/tickets/Q-2026-000124',
  ],
  quality_event: [
    'https://datos.example.pe/quality/reports/rep-1',
    'https://datos.example.pe/datasets/presupuesto',
    'https://datos.example.pe/datasets/presupuesto/resources/r1',
  ],
};

/** Mails that go to staff or followers, never to the reporter themself. */
export const notForReporter: NotificationKind[] = [
  'status_changed',
  'public_reply',
  'assignment',
  'reporter_replied',
  'sla_warning',
  'sla_breach',
  'escalation',
  'daily_digest',
  'followers_digest',
  'quality_event',
];
