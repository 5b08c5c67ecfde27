// Messages of the dashboard additions (teams, breaches list, filters), merged into es.ts and en.ts.
// Keys start with 'panel.'; en must have exactly the keys of es (its type says so).
export const panelEs = {
  'panel.filters': 'Filtrar',
  'panel.organisation': 'Institución',
  'panel.team': 'Equipo',
  'panel.officer': 'Persona a cargo',
  'panel.allOrganisations': 'Todas las instituciones a su alcance',
  'panel.allTeams': 'Todos los equipos',
  'panel.allOfficers': 'Todas las personas',
  'panel.active': 'Cifras filtradas por: {filters}. Las descargas CSV llevan los mismos filtros.',
  'panel.invalid.organisation':
    'La institución pedida no existe o no está a su alcance: se muestran todas las que puede ver.',
  'panel.invalid.team': 'El equipo pedido no existe o no está a su alcance: no se filtra por equipo.',
  'panel.invalid.teamOrganisation':
    'El equipo pedido no pertenece a la institución elegida: no se filtra por equipo.',
  'panel.invalid.officer': 'La persona pedida no existe o no está a su alcance: no se filtra por persona.',
  'panel.invalid.date': 'La fecha «{value}» no es válida: se usa el periodo por defecto.',
  'panel.invalid.range': 'La fecha de inicio era posterior a la de fin: se intercambiaron.',
  'panel.sla.measure': 'Indicador',
  'panel.sla.tickets': 'Casos',
  'panel.byTeam': 'Por equipo (casos recibidos en el periodo)',
  'panel.noTeam': 'Sin equipo',
  'panel.unknownTeam': 'Equipo ya no registrado',
  'panel.breaches': 'Plazos vencidos, caso por caso',
  'panel.breaches.lead':
    'Primero los casos abiertos con algún plazo vencido, luego los cerrados cuyo plazo venció en el periodo; en cada grupo, por fecha de vencimiento, la más antigua primero.',
  'panel.breaches.none': 'Ningún plazo vencido que mostrar.',
  'panel.breaches.capped':
    'Se muestran las primeras {shown} filas. Hay {open} casos abiertos con plazo vencido y {closed} cerrados con un plazo vencido en el periodo; el CSV trae hasta {csvCap} filas.',
  'panel.breaches.ticket': 'Caso',
  'panel.breaches.title': 'Asunto',
  'panel.breaches.status': 'Estado',
  'panel.breaches.target': 'Plazo',
  'panel.breaches.due': 'Vencía',
  'panel.breaches.late': 'Retraso (horas hábiles)',
  'panel.breaches.unassigned': 'Sin asignar',
  'panel.target.firstResponse': 'Primera respuesta',
  'panel.target.resolution': 'Solución',
  'panel.target.update': 'Actualización',
  'panel.demandByOrganisation': 'Demanda de datos por institución (solicitudes abiertas)',
  'panel.demand.requests': 'Solicitudes abiertas',
  'panel.demand.supporters': 'Apoyos recibidos',
} as const;

export const panelEn: Record<keyof typeof panelEs, string> = {
  'panel.filters': 'Filter',
  'panel.organisation': 'Institution',
  'panel.team': 'Team',
  'panel.officer': 'Officer',
  'panel.allOrganisations': 'All institutions you can see',
  'panel.allTeams': 'All teams',
  'panel.allOfficers': 'Everyone',
  'panel.active': 'Figures filtered by: {filters}. CSV downloads carry the same filters.',
  'panel.invalid.organisation':
    'The institution asked for does not exist or is outside what you can see: showing all you can see.',
  'panel.invalid.team':
    'The team asked for does not exist or is outside what you can see: not filtering by team.',
  'panel.invalid.teamOrganisation':
    'The team asked for does not belong to the chosen institution: not filtering by team.',
  'panel.invalid.officer':
    'The person asked for does not exist or is outside what you can see: not filtering by person.',
  'panel.invalid.date': 'The date “{value}” is not valid: using the default period.',
  'panel.invalid.range': 'The start date was after the end date: they were swapped.',
  'panel.sla.measure': 'Measure',
  'panel.sla.tickets': 'Tickets',
  'panel.byTeam': 'By team (tickets received in the period)',
  'panel.noTeam': 'No team',
  'panel.unknownTeam': 'Team no longer on record',
  'panel.breaches': 'Missed deadlines, ticket by ticket',
  'panel.breaches.lead':
    'Open tickets with a missed deadline first, then closed ones whose deadline was missed in the period; in each group, by due date, oldest first.',
  'panel.breaches.none': 'No missed deadline to show.',
  'panel.breaches.capped':
    'Showing the first {shown} rows. There are {open} open tickets with a missed deadline and {closed} closed ones with a deadline missed in the period; the CSV holds up to {csvCap} rows.',
  'panel.breaches.ticket': 'Ticket',
  'panel.breaches.title': 'Subject',
  'panel.breaches.status': 'Status',
  'panel.breaches.target': 'Deadline',
  'panel.breaches.due': 'Was due',
  'panel.breaches.late': 'Late by (business hours)',
  'panel.breaches.unassigned': 'Unassigned',
  'panel.target.firstResponse': 'First response',
  'panel.target.resolution': 'Resolution',
  'panel.target.update': 'Update',
  'panel.demandByOrganisation': 'Data demand by institution (open requests)',
  'panel.demand.requests': 'Open requests',
  'panel.demand.supporters': 'Supporters',
};
