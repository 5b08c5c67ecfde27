import { attr, html, type SafeHtml } from './html.ts';
import type { Translate } from './i18n/index.ts';

/** Field name → the message to show next to it. */
export type FieldErrors = Record<string, string>;

function describedBy(name: string, hint: unknown, error: unknown): SafeHtml {
  const ids = [hint ? `${name}-hint` : '', error ? `${name}-error` : ''].filter(Boolean).join(' ');
  return ids ? html` aria-describedby="${ids}"` : html``;
}

function labelOf(label: string, required: boolean | undefined, t: Translate) {
  return html`${label}${required ? '' : html` <span class="hint-inline">(${t('common.optional')})</span>`}`;
}

interface FieldProps {
  name: string;
  label: string;
  t: Translate;
  value?: string | undefined;
  error?: string | undefined;
  hint?: string | undefined;
  required?: boolean;
  type?: 'text' | 'email' | 'url' | 'password' | 'search' | 'date';
  autocomplete?: string;
  maxlength?: number;
  id?: string;
}

function messages(id: string, hint: string | undefined, error: string | undefined) {
  return html`${hint ? html`<span class="hint" id="${id}-hint">${hint}</span>` : ''}${
    error ? html`<span class="field-error" id="${id}-error">${error}</span>` : ''
  }`;
}

export function input(props: FieldProps): SafeHtml {
  const id = props.id ?? props.name;
  return html`<div class="field">
<label for="${id}">${labelOf(props.label, props.required, props.t)}</label>
${messages(id, props.hint, props.error)}
<input type="${props.type ?? 'text'}" id="${id}" name="${props.name}" value="${props.value ?? ''}"${attr('required', Boolean(props.required))}${
    props.autocomplete ? html` autocomplete="${props.autocomplete}"` : ''
  }${props.maxlength ? html` maxlength="${props.maxlength}"` : ''}${props.error ? html` aria-invalid="true"` : ''}${describedBy(
    id,
    props.hint,
    props.error,
  )}>
</div>`;
}

export function textarea(props: Omit<FieldProps, 'type'> & { rows?: number }): SafeHtml {
  const id = props.id ?? props.name;
  return html`<div class="field">
<label for="${id}">${labelOf(props.label, props.required, props.t)}</label>
${messages(id, props.hint, props.error)}
<textarea id="${id}" name="${props.name}" rows="${props.rows ?? 6}"${attr('required', Boolean(props.required))}${
    props.maxlength ? html` maxlength="${props.maxlength}"` : ''
  }${props.error ? html` aria-invalid="true"` : ''}${describedBy(id, props.hint, props.error)}>${props.value ?? ''}</textarea>
</div>`;
}

export function select(
  props: Omit<FieldProps, 'type'> & {
    options: Array<{ value: string; label: string }>;
    placeholder?: string;
  },
): SafeHtml {
  const id = props.id ?? props.name;
  return html`<div class="field">
<label for="${id}">${labelOf(props.label, props.required, props.t)}</label>
${messages(id, props.hint, props.error)}
<select id="${id}" name="${props.name}"${attr('required', Boolean(props.required))}${props.error ? html` aria-invalid="true"` : ''}${describedBy(
    id,
    props.hint,
    props.error,
  )}>
${props.placeholder !== undefined ? html`<option value="">${props.placeholder}</option>` : ''}
${props.options.map((o) => html`<option value="${o.value}"${attr('selected', o.value === props.value)}>${o.label}</option>`)}
</select>
</div>`;
}

export function checkbox(props: {
  name: string;
  label: string;
  checked: boolean;
  error?: string | undefined;
  required?: boolean;
  value?: string;
}): SafeHtml {
  return html`<div class="field">
${props.error ? html`<span class="field-error" id="${props.name}-error">${props.error}</span>` : ''}
<div class="check">
<input type="checkbox" id="${props.name}" name="${props.name}" value="${props.value ?? 'si'}"${attr('checked', props.checked)}${attr(
    'required',
    Boolean(props.required),
  )}${props.error ? html` aria-invalid="true" aria-describedby="${props.name}-error"` : ''}>
<label for="${props.name}">${props.label}</label>
</div>
</div>`;
}

/** The list of problems at the top of a form: announced as it appears, and focused (`autofocus`, no script needed). */
export function errorSummary(errors: FieldErrors, t: Translate): SafeHtml {
  const entries = Object.entries(errors);
  if (!entries.length) return html``;
  return html`<div class="error-summary" role="alert" tabindex="-1" id="error-summary" autofocus>
<h2>${t('common.errorsTitle')}</h2>
<ul>${entries.map(([field, message]) => html`<li><a href="#${field}">${message}</a></li>`)}</ul>
</div>`;
}

export function csrfField(token: string | undefined): SafeHtml {
  return html`<input type="hidden" name="_csrf" value="${token ?? ''}">`;
}

/** A form body as flat strings (koa-bodyparser gives strings or string arrays for urlencoded forms). */
export function formBody(ctx: { request: unknown }): Record<string, string> {
  const body = (ctx.request as { body?: unknown }).body;
  const out: Record<string, string> = {};
  if (!body || typeof body !== 'object') return out;
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    if (typeof value === 'string') out[key] = value;
    else if (Array.isArray(value) && typeof value[0] === 'string') out[key] = value[0];
  }
  return out;
}
