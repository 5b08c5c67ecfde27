// Labels of the ticket vocabulary in Spanish (first: Peru's officers and citizens) and
// English, for the UI and the e-mail templates. The types require a label for every key,
// so adding a status or category without its labels does not compile.
import type { PlanErrorCode, TicketEvent } from './events.ts';
import type {
  ComplaintCategory,
  DataRequestCategory,
  Priority,
  QualityCategory,
  Role,
  TicketKind,
  TicketStatus,
} from './model.ts';
import type { RequiredField, TicketAction } from './state-machine.ts';
import type { VisibilityReason } from './visibility.ts';

export const LOCALES = ['es', 'en'] as const;
export type Locale = (typeof LOCALES)[number];
export const DEFAULT_LOCALE: Locale = 'es';

export interface TicketMessages {
  kind: Record<TicketKind, string>;
  category: {
    complaint: Record<ComplaintCategory, string>;
    data_request: Record<DataRequestCategory, string>;
    quality_issue: Record<QualityCategory, string>;
  };
  status: Record<TicketStatus, string>;
  action: Record<TicketAction, string>;
  priority: Record<Priority, string>;
  role: Record<Role, string>;
  field: Record<RequiredField, string>;
  error: Record<PlanErrorCode, string>;
  /** Headings of the audit trail entries (status changes use the action's label). */
  event: Record<TicketEvent['type'], string>;
  visibility: Record<VisibilityReason, string>;
}

const es: TicketMessages = {
  kind: {
    complaint: 'Reclamo',
    data_request: 'Solicitud de datos',
    quality_issue: 'Problema de calidad',
  },
  category: {
    complaint: {
      broken_link: 'Enlace roto',
      wrong_data: 'Datos erróneos o inconsistentes',
      outdated: 'Datos desactualizados',
      metadata: 'Metadatos faltantes o poco claros',
      format: 'Formato no reutilizable',
      licence: 'Problema de licencia',
      personal_data: 'Datos personales expuestos',
      other: 'Otro',
    },
    data_request: {
      economy: 'Economía',
      public_finance: 'Finanzas públicas',
      procurement: 'Contrataciones públicas',
      health: 'Salud',
      education: 'Educación',
      environment: 'Medio ambiente',
      transport: 'Transporte',
      security: 'Seguridad ciudadana',
      social: 'Desarrollo social',
      government: 'Gobierno y transparencia',
      other: 'Otro',
    },
    quality_issue: {
      availability: 'Disponibilidad',
      validity: 'Validez',
      metadata: 'Metadatos',
      freshness: 'Actualización',
    },
  },
  status: {
    new: 'Nuevo',
    triaged: 'Clasificado',
    in_progress: 'En atención',
    waiting_reporter: 'Esperando respuesta del solicitante',
    resolved: 'Resuelto',
    closed: 'Cerrado',
    rejected: 'Rechazado',
    duplicate: 'Duplicado',
    submitted: 'Recibida',
    under_review: 'En evaluación',
    planned: 'Publicación programada',
    published: 'Publicado',
    open: 'Abierto',
    acknowledged: 'Reconocido',
  },
  action: {
    triage: 'Clasificar',
    start: 'Iniciar atención',
    ask_reporter: 'Pedir información al solicitante',
    reporter_replied: 'El solicitante respondió',
    resume: 'Retomar atención',
    resolve: 'Marcar como resuelto',
    confirm_resolution: 'Sí, está resuelto',
    dispute_resolution: 'No, sigue sin resolverse',
    reopen: 'Reabrir',
    auto_close: 'Cierre automático',
    close_unanswered: 'Cerrar por falta de respuesta',
    reject: 'Rechazar',
    mark_duplicate: 'Marcar como duplicado',
    withdraw: 'Retirar',
    review: 'Evaluar',
    plan: 'Programar publicación',
    reschedule: 'Reprogramar publicación',
    publish: 'Marcar como publicado',
    acknowledge: 'Reconocer',
    auto_resolve: 'Resolución automática',
    regress: 'Reapertura automática',
    close: 'Cerrar',
    dismiss: 'Descartar',
  },
  priority: { low: 'Baja', normal: 'Normal', high: 'Alta', urgent: 'Urgente' },
  role: {
    reporter: 'Solicitante',
    officer: 'Funcionario',
    team_lead: 'Coordinador de equipo',
    manager: 'Responsable de la entidad',
    admin: 'Administrador',
    system: 'Sistema',
  },
  field: {
    reason: 'Motivo',
    duplicateOf: 'Duplicado de',
    expectedDate: 'Fecha prevista de publicación',
    datasetId: 'Conjunto de datos publicado',
    message: 'Mensaje al solicitante',
    resolution: 'Respuesta al solicitante',
  },
  error: {
    invalid_transition: 'Esta acción no es posible en el estado actual del ticket.',
    forbidden: 'No tiene permiso para realizar esta acción.',
    missing_field: 'Falta completar un campo obligatorio.',
    invalid_field: 'Uno de los campos no es válido.',
    invalid_merge: 'Estos tickets no se pueden fusionar.',
    no_change: 'No hay cambios que guardar.',
  },
  event: {
    status_changed: 'Cambio de estado',
    assigned: 'Asignación',
    priority_changed: 'Cambio de prioridad',
    category_changed: 'Cambio de categoría',
    dataset_linked: 'Conjunto de datos vinculado',
    transferred: 'Derivado a otra entidad',
    duplicate_merged: 'Duplicado fusionado',
  },
  visibility: {
    visible: 'Público',
    personal_data: 'No público: trata sobre datos personales',
    unverified_reporter: 'No público: correo del solicitante sin verificar',
    private: 'No público por decisión del equipo',
    hidden: 'Oculto por moderación',
    flagged: 'Oculto por denuncias, pendiente de revisión',
  },
};

const en: TicketMessages = {
  kind: {
    complaint: 'Complaint',
    data_request: 'Data request',
    quality_issue: 'Quality issue',
  },
  category: {
    complaint: {
      broken_link: 'Broken link',
      wrong_data: 'Wrong or inconsistent data',
      outdated: 'Outdated data',
      metadata: 'Missing or unclear metadata',
      format: 'Format not reusable',
      licence: 'Licence problem',
      personal_data: 'Personal data exposed',
      other: 'Other',
    },
    data_request: {
      economy: 'Economy',
      public_finance: 'Public finance',
      procurement: 'Public procurement',
      health: 'Health',
      education: 'Education',
      environment: 'Environment',
      transport: 'Transport',
      security: 'Public safety',
      social: 'Social development',
      government: 'Government and transparency',
      other: 'Other',
    },
    quality_issue: {
      availability: 'Availability',
      validity: 'Validity',
      metadata: 'Metadata',
      freshness: 'Freshness',
    },
  },
  status: {
    new: 'New',
    triaged: 'Triaged',
    in_progress: 'In progress',
    waiting_reporter: 'Waiting for the reporter',
    resolved: 'Resolved',
    closed: 'Closed',
    rejected: 'Rejected',
    duplicate: 'Duplicate',
    submitted: 'Submitted',
    under_review: 'Under review',
    planned: 'Publication planned',
    published: 'Published',
    open: 'Open',
    acknowledged: 'Acknowledged',
  },
  action: {
    triage: 'Triage',
    start: 'Start work',
    ask_reporter: 'Ask the reporter',
    reporter_replied: 'Reporter replied',
    resume: 'Resume work',
    resolve: 'Mark as resolved',
    confirm_resolution: 'Yes, it is solved',
    dispute_resolution: 'No, it is not solved',
    reopen: 'Reopen',
    auto_close: 'Closed automatically',
    close_unanswered: 'Close for lack of reply',
    reject: 'Reject',
    mark_duplicate: 'Mark as duplicate',
    withdraw: 'Withdraw',
    review: 'Start review',
    plan: 'Plan publication',
    reschedule: 'Reschedule publication',
    publish: 'Mark as published',
    acknowledge: 'Acknowledge',
    auto_resolve: 'Resolved automatically',
    regress: 'Reopened automatically',
    close: 'Close',
    dismiss: 'Dismiss',
  },
  priority: { low: 'Low', normal: 'Normal', high: 'High', urgent: 'Urgent' },
  role: {
    reporter: 'Reporter',
    officer: 'Officer',
    team_lead: 'Team lead',
    manager: 'Manager',
    admin: 'Administrator',
    system: 'System',
  },
  field: {
    reason: 'Reason',
    duplicateOf: 'Duplicate of',
    expectedDate: 'Expected publication date',
    datasetId: 'Published dataset',
    message: 'Message to the reporter',
    resolution: 'Answer to the reporter',
  },
  error: {
    invalid_transition: 'This action is not possible in the ticket’s current status.',
    forbidden: 'You are not allowed to do this.',
    missing_field: 'A required field is missing.',
    invalid_field: 'One of the fields is not valid.',
    invalid_merge: 'These tickets cannot be merged.',
    no_change: 'There is nothing to change.',
  },
  event: {
    status_changed: 'Status changed',
    assigned: 'Assignment',
    priority_changed: 'Priority changed',
    category_changed: 'Category changed',
    dataset_linked: 'Dataset linked',
    transferred: 'Transferred to another organisation',
    duplicate_merged: 'Duplicate merged',
  },
  visibility: {
    visible: 'Public',
    personal_data: 'Not public: it concerns personal data',
    unverified_reporter: 'Not public: reporter e-mail not verified',
    private: 'Kept private by staff',
    hidden: 'Hidden by a moderator',
    flagged: 'Hidden after flags, awaiting review',
  },
};

export const TICKET_MESSAGES: Readonly<Record<Locale, TicketMessages>> = { es, en };

export function isLocale(value: unknown): value is Locale {
  return typeof value === 'string' && (LOCALES as readonly string[]).includes(value);
}

/** The messages of a locale, falling back to Spanish for anything unknown (e.g. `fr`, `es-PE`). */
export function ticketMessages(locale: string): TicketMessages {
  const base = locale.toLowerCase().split(/[-_]/)[0];
  return TICKET_MESSAGES[isLocale(base) ? base : DEFAULT_LOCALE];
}

type FlatGroup = Exclude<keyof TicketMessages, 'category'>;

/** A label by group and key; the key itself when unknown, so a stale value still renders. */
export function ticketLabel(locale: string, group: FlatGroup, key: string): string {
  const table = ticketMessages(locale)[group] as Record<string, string>;
  return table[key] ?? key;
}

export function categoryLabel(locale: string, kind: TicketKind, category: string | null | undefined): string {
  if (category == null) return '';
  const table = ticketMessages(locale).category[kind] as Record<string, string>;
  return table[category] ?? category;
}
