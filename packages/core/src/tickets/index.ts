// @quipu/core/tickets: ticket vocabulary, state machines, planners and small rules.
// Pure functions: no I/O, no clock (`now` is always an argument).
export * from './abuse.ts';
export * from './edits.ts';
export * from './events.ts';
export * from './fields.ts';
export * from './merge.ts';
export * from './messages.ts';
export * from './model.ts';
export * from './outcome.ts';
export * from './permissions.ts';
export * from './refs.ts';
export * from './state-machine.ts';
export * from './timing.ts';
export * from './transitions.ts';
export * from './visibility.ts';
