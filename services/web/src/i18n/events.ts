// Timeline words for system events (why a ticket changed), merged into es.ts and en.ts.
// Keys start with 'events.'; en must have exactly the keys of es (its type says so).
// Made from the data the event keeps (services/web/src/event-words.ts); `{report}` is the report's address.
export const eventsEs = {
  'events.moderation.spamWords':
    'Retenido para revisión: el texto contiene palabras asociadas a correo no deseado ({words}).',
  'events.moderation.ticketHidden': 'Ocultado al público por denuncias de lectores (total: {flags}).',
  'events.moderation.commentHidden':
    'Comentario ocultado al público por denuncias de lectores (total: {flags}).',
  'events.retention.anonymised':
    'Datos personales del solicitante eliminados: el caso se cerró hace más de {months} meses.',
  'events.quality.failed.availability': 'No se pudo descargar el recurso. Informe: {report}',
  'events.quality.failed.validity': 'El archivo tiene errores de validación. Informe: {report}',
  'events.quality.failed.validityCount': 'El archivo tiene {count} errores de validación. Informe: {report}',
  'events.quality.failed.metadata': 'Faltan metadatos obligatorios del conjunto de datos. Informe: {report}',
  'events.quality.failed.freshness':
    'Los datos no se actualizan con la frecuencia declarada. Informe: {report}',
  'events.quality.passed': 'La comprobación de calidad pasó. Informe: {report}',
  'events.quality.failedAgain': 'La comprobación de calidad volvió a fallar. Informe: {report}',
  'events.sla.warning': 'El plazo de {target} está por vencer: vence el {due}.',
  'events.sla.breached': 'Venció el plazo de {target} ({due}).',
  'events.sla.escalated': 'Plazo de {target} vencido ({due}): escalado al nivel {level}.',
  'events.sla.target.firstResponse': 'primera respuesta',
  'events.sla.target.resolution': 'solución',
} as const;

export const eventsEn: Record<keyof typeof eventsEs, string> = {
  'events.moderation.spamWords': 'Held for review: the text contains words associated with spam ({words}).',
  'events.moderation.ticketHidden': 'Hidden from the public after readers’ reports (total: {flags}).',
  'events.moderation.commentHidden':
    'Comment hidden from the public after readers’ reports (total: {flags}).',
  'events.retention.anonymised':
    'The requester’s personal data was removed: the case was closed more than {months} months ago.',
  'events.quality.failed.availability': 'The resource could not be downloaded. Report: {report}',
  'events.quality.failed.validity': 'The file has validation errors. Report: {report}',
  'events.quality.failed.validityCount': 'The file has {count} validation errors. Report: {report}',
  'events.quality.failed.metadata': 'Required metadata of the dataset is missing. Report: {report}',
  'events.quality.failed.freshness': 'The data is not updated as often as declared. Report: {report}',
  'events.quality.passed': 'The quality check passed. Report: {report}',
  'events.quality.failedAgain': 'The quality check failed again. Report: {report}',
  'events.sla.warning': 'The {target} deadline is near: it is due on {due}.',
  'events.sla.breached': 'The {target} deadline was missed ({due}).',
  'events.sla.escalated': 'The {target} deadline was missed ({due}): escalated to level {level}.',
  'events.sla.target.firstResponse': 'first response',
  'events.sla.target.resolution': 'resolution',
};
