import type { Calendar } from '../time/index.ts';
import type { SlaResult, TargetResult } from './clock.ts';
import type { SlaPolicy, TargetName } from './policy.ts';
import { advance, budgetOf } from './units.ts';

/** Kind of a deadline job: the warning before a breach, or the breach itself. */
export type DeadlineKind = 'warn' | 'breach';

/**
 * Deterministic BullMQ job id of a deadline: `sla-<ticket>-<target>-<kind>-<due epoch ms>`
 * (BullMQ refuses custom ids with ':' unless they have exactly three parts). The due
 * instant (the breach deadline, also for the warning) is part of the id, so a recomputed deadline
 * yields a new job and a stale one is recognised by the processor as no longer due.
 */
export function deadlineJobId(
  ticketId: string,
  target: TargetName,
  kind: DeadlineKind,
  due: Date | string,
): string {
  const ms = (typeof due === 'string' ? new Date(due) : due).getTime();
  return `sla-${ticketId}-${target}-${kind}-${ms}`;
}

/** A delayed job the SLA worker should have scheduled. */
export interface DeadlineJob {
  jobId: string;
  target: TargetName;
  kind: DeadlineKind;
  /** When the job should run. */
  runAt: Date;
  due: Date;
}

/**
 * The warn and breach jobs a ticket needs now: for each running target, its warning (if still
 * ahead) and its breach (if not yet breached). Paused, decided and breached targets need none.
 */
export function deadlineJobs(ticketId: string, sla: SlaResult): DeadlineJob[] {
  const jobs: DeadlineJob[] = [];
  for (const t of Object.values(sla.targets) as TargetResult[]) {
    if (t.state !== 'running' || !t.due) continue;
    if (t.warnAt && t.warnAt.getTime() > sla.now.getTime())
      jobs.push({
        jobId: deadlineJobId(ticketId, t.target, 'warn', t.due),
        target: t.target,
        kind: 'warn',
        runAt: t.warnAt,
        due: t.due,
      });
    jobs.push({
      jobId: deadlineJobId(ticketId, t.target, 'breach', t.due),
      target: t.target,
      kind: 'breach',
      runAt: t.due,
      due: t.due,
    });
  }
  return jobs;
}

/** One planned escalation. */
export interface EscalationPlan {
  /** 1-based level in the policy's chain. */
  level: number;
  to: string;
  /** When it is due; in the past means it should have happened already. */
  at: Date;
}

/**
 * The escalation chain of `policy` for one target, with instants: each step's delay counted on
 * `calendar` from the target's warning or breach. Empty while the target is paused, met or
 * stopped before breaching; steps counting from a breach appear once the due is known.
 */
export function escalationSchedule(
  policy: SlaPolicy,
  calendar: Calendar,
  target: TargetResult,
): EscalationPlan[] {
  const steps = policy.escalation ?? [];
  const live = target.state === 'running' || target.state === 'breached';
  if (!live) return [];
  const out: EscalationPlan[] = [];
  steps.forEach((s, i) => {
    const from = (s.from ?? 'breach') === 'warn' ? target.warnAt : (target.breachedAt ?? target.due);
    if (!from) return;
    const at = s.after.amount === 0 ? from : advance(s.after.unit, calendar, from, budgetOf(s.after), false);
    out.push({ level: i + 1, to: s.to, at });
  });
  return out;
}
