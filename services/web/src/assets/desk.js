// Keyboard shortcuts for the officers' desk (issue #7). Progressive enhancement: pages work
// without this file, and the inbox lists the shortcuts (<details id="shortcuts">) for everyone.
// Single-key shortcuts can be switched off there (WCAG 2.1.4), remembered in localStorage.
// biome-ignore lint/suspicious/noRedundantUseStrict: a classic <script defer>, not a module
'use strict';

(() => {
  const STORE = 'quipu.shortcuts';
  const dialog = document.getElementById('shortcuts-dialog');
  const toggle = document.getElementById('shortcuts-on');
  let selected = -1; // the inbox row chosen with j/k
  let pendingG = 0; // when `g` was pressed: the next key says where to go
  let opener = null;

  const enabled = () => {
    try {
      return localStorage.getItem(STORE) !== 'off';
    } catch {
      return true; // storage blocked: shortcuts stay on
    }
  };
  if (toggle) {
    toggle.checked = enabled();
    toggle.parentElement.hidden = false; // the switch means something only with this script
    toggle.addEventListener('change', () => {
      try {
        localStorage.setItem(STORE, toggle.checked ? 'on' : 'off');
      } catch {}
    });
  }

  const go = (url) => () => {
    location.assign(url);
    return true;
  };
  const focus = (element) => {
    element?.focus();
    return Boolean(element);
  };
  const rows = () => [...document.querySelectorAll('table[data-shortcuts="inbox"] tbody tr')];
  // The row holding focus (someone may have tabbed there), else the one chosen with j/k.
  const current = () => {
    const at = rows().indexOf(document.activeElement.closest('tr'));
    return at >= 0 ? at : selected;
  };

  function move(step) {
    const all = rows();
    if (!all.length) return false;
    const from = current();
    selected = from < 0 ? 0 : Math.max(0, Math.min(all.length - 1, from + step));
    for (const row of all) row.removeAttribute('aria-current');
    all[selected].setAttribute('aria-current', 'true'); // also the styling hook
    // Focusing the ticket's link scrolls it into view and has screen readers announce it.
    return focus(all[selected].querySelector('a[href]'));
  }

  function open() {
    const link = rows()[current()]?.querySelector('a[href]');
    link?.click();
    return Boolean(link);
  }

  function toggleHelp() {
    if (!dialog) return false;
    if (dialog.open) dialog.close();
    else {
      opener = document.activeElement;
      dialog.showModal();
    }
    return true;
  }
  // Escape, the close button and `?` all close it; focus goes back where it was.
  dialog?.addEventListener('close', () => opener?.focus());

  const afterG = {
    i: go('/mesa'),
    m: go('/mesa?vista=mine'),
    u: go('/mesa?vista=unassigned'),
    b: go('/mesa?vista=breached'),
    p: go('/mesa/panel'),
  };
  const actions = {
    j: () => move(1),
    k: () => move(-1),
    o: open,
    Enter: open,
    '/': () => focus(document.querySelector('form[role="search"] input[type="search"]')),
    '?': toggleHelp,
    g: () => {
      pendingG = Date.now();
      return true;
    },
  };
  if (location.pathname.startsWith('/mesa/tickets/')) {
    actions.r = () => focus(document.querySelector('form[action$="/comentarios"] textarea'));
    actions.u = go('/mesa');
  }

  document.addEventListener('keydown', (event) => {
    const { key, target } = event;
    if (event.defaultPrevented || event.ctrlKey || event.altKey || event.metaKey || event.isComposing) return;
    // Never take keys from someone typing, nor from assistive tech working in a form field.
    if (target.closest('input, textarea, select, [contenteditable]:not([contenteditable="false"])')) return;
    if (!enabled() || (dialog?.open && key !== '?')) return; // a modal dialog owns the keyboard
    if (key === 'Enter' && target.closest('a[href], button, summary')) return; // already does its job
    const table = Date.now() - pendingG < 1500 ? afterG : actions;
    pendingG = 0;
    if (Object.hasOwn(table, key) && table[key]()) event.preventDefault();
  });
})();
