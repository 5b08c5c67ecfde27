// Message-ID's left part must be a dot-atom; keys like `outbox:65f…:status_changed` are not.
// Every other byte becomes `=XX`, which keeps distinct keys distinct.
const ATOM_SAFE = /[A-Za-z0-9!#$%&'*+\-/?^_`{|}~]/;

function atom(key: string): string {
  let local = '';
  for (const byte of Buffer.from(key, 'utf8')) {
    const ch = String.fromCharCode(byte);
    local += byte < 0x80 && ATOM_SAFE.test(ch) ? ch : `=${byte.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return local;
}

/** `<key@quipu>`: a resend of the same notification carries the same Message-ID. */
export function messageIdFor(idempotencyKey: string): string {
  if (idempotencyKey === '') throw new RangeError('An idempotency key cannot be empty');
  return `<${atom(idempotencyKey)}@quipu>`;
}

// Mail clients thread on References; every mail about one ticket points at the same
// made-up id, the way issue trackers do. The dot cannot come out of `atom`, so a thread id
// never equals a Message-ID made from a key.
export function ticketThreadId(ref: string): string {
  return `<ticket.${atom(ref)}@quipu>`;
}
