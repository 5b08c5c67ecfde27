// @quipu/core/routing: which team gets a ticket, which officer in it, and when to re-route.
export * from './assignment.ts';
export * from './reroute.ts';
export * from './rules.ts';
