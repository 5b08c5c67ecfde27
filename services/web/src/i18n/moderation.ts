// Messages of the desk's moderation queue (/mesa/moderacion), merged into es.ts and en.ts.
// Keys start with 'moderation.'; en must have exactly the keys of es (its type says so).
export const moderationEs = {
  'moderation.title': 'Moderación',
  'moderation.lead':
    'Casos retenidos antes de publicarse: los sospechosos de spam al ingresar y los ocultados por las denuncias de los lectores. Publíquelos o manténgalos ocultos; el caso sigue su curso en la bandeja en ambos casos.',
  'moderation.empty': 'No hay casos por moderar.',
  'moderation.count': '{count} por moderar',
  'moderation.reason': 'Motivo',
  'moderation.reason.spam': 'Palabras sospechosas: {words}',
  'moderation.reason.flags': 'Ocultado tras {count} denuncias',
  'moderation.reporter': 'Correo del remitente',
  'moderation.verified': 'verificado',
  'moderation.unverified': 'sin verificar',
  'moderation.publish': 'Publicar',
  'moderation.hide': 'Mantener oculto',
  'moderation.decision': 'Decisión sobre {ref}',
  'moderation.done.public': 'El caso {ref} ya es público.',
  'moderation.done.pending':
    'El caso {ref} quedó aprobado; se publicará cuando el remitente confirme su correo (o no se publica si trata datos personales).',
  'moderation.done.hidden': 'El caso {ref} se mantiene oculto.',
  'moderation.badDecision': 'Elija publicar o mantener oculto.',
  'moderation.reason.comments': '{count} comentario(s) ocultados por denuncias',
  'moderation.reason.commentFlags': 'oculto tras {count} denuncias',
  'moderation.comment': 'Comentario retenido',
  'moderation.commentDecision': 'Decisión sobre un comentario de {ref}',
  'moderation.done.commentShown': 'El comentario en {ref} vuelve a mostrarse.',
  'moderation.done.commentHidden': 'El comentario en {ref} se mantiene oculto.',
} as const;

export const moderationEn: Record<keyof typeof moderationEs, string> = {
  'moderation.title': 'Moderation',
  'moderation.lead':
    'Cases held back from publication: those suspected of spam at intake and those hidden by readers’ flags. Publish them or keep them hidden; either way the case goes on in the inbox.',
  'moderation.empty': 'Nothing to moderate.',
  'moderation.count': '{count} to moderate',
  'moderation.reason': 'Reason',
  'moderation.reason.spam': 'Suspicious words: {words}',
  'moderation.reason.flags': 'Hidden after {count} flags',
  'moderation.reporter': 'Sender’s e-mail',
  'moderation.verified': 'verified',
  'moderation.unverified': 'not verified',
  'moderation.publish': 'Publish',
  'moderation.hide': 'Keep hidden',
  'moderation.decision': 'Decision on {ref}',
  'moderation.done.public': 'Case {ref} is now public.',
  'moderation.done.pending':
    'Case {ref} is approved; it will be published once the sender confirms their e-mail (or not at all if it concerns personal data).',
  'moderation.done.hidden': 'Case {ref} stays hidden.',
  'moderation.badDecision': 'Choose publish or keep hidden.',
  'moderation.reason.comments': '{count} comment(s) hidden by flags',
  'moderation.reason.commentFlags': 'hidden after {count} flags',
  'moderation.comment': 'Held comment',
  'moderation.commentDecision': 'Decision on a comment of {ref}',
  'moderation.done.commentShown': 'The comment on {ref} is shown again.',
  'moderation.done.commentHidden': 'The comment on {ref} stays hidden.',
};
