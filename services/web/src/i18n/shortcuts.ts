// Messages of the inbox keyboard shortcuts, merged into es.ts and en.ts.
// Keys start with 'shortcuts.'; en must have exactly the keys of es (its type says so).
export const shortcutsEs = {
  'shortcuts.title': 'Atajos de teclado',
  'shortcuts.intro':
    'Con JavaScript activado, en la bandeja y en cada caso, siempre que no esté escribiendo en un campo del formulario.',
  'shortcuts.enable': 'Usar los atajos de teclado (se recuerda en este navegador)',
  'shortcuts.then': 'luego',
  'shortcuts.keyEnter': 'Intro',
  'shortcuts.next': 'Seleccionar el caso siguiente de la lista',
  'shortcuts.previous': 'Seleccionar el caso anterior de la lista',
  'shortcuts.open': 'Abrir el caso seleccionado',
  'shortcuts.search': 'Ir al buscador',
  'shortcuts.goInbox': 'Ir a la bandeja',
  'shortcuts.goMine': 'Ir a «Asignados a mí»',
  'shortcuts.goUnassigned': 'Ir a «Sin asignar»',
  'shortcuts.goBreached': 'Ir a «Plazo vencido»',
  'shortcuts.goDashboard': 'Ir al panel',
  'shortcuts.help': 'Mostrar u ocultar esta lista',
  'shortcuts.reply': 'En un caso: escribir la respuesta',
  'shortcuts.back': 'En un caso: volver a la bandeja',
  'shortcuts.close': 'Cerrar',
} as const;

export const shortcutsEn: Record<keyof typeof shortcutsEs, string> = {
  'shortcuts.title': 'Keyboard shortcuts',
  'shortcuts.intro':
    'With JavaScript on, in the inbox and on each ticket, whenever you are not typing in a form field.',
  'shortcuts.enable': 'Use keyboard shortcuts (remembered in this browser)',
  'shortcuts.then': 'then',
  'shortcuts.keyEnter': 'Enter',
  'shortcuts.next': 'Select the next ticket in the list',
  'shortcuts.previous': 'Select the previous ticket in the list',
  'shortcuts.open': 'Open the selected ticket',
  'shortcuts.search': 'Go to the search box',
  'shortcuts.goInbox': 'Go to the inbox',
  'shortcuts.goMine': 'Go to “Assigned to me”',
  'shortcuts.goUnassigned': 'Go to “Unassigned”',
  'shortcuts.goBreached': 'Go to “Deadline missed”',
  'shortcuts.goDashboard': 'Go to the dashboard',
  'shortcuts.help': 'Show or hide this list',
  'shortcuts.reply': 'On a ticket: write the reply',
  'shortcuts.back': 'On a ticket: back to the inbox',
  'shortcuts.close': 'Close',
};
