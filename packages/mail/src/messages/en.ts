import type { MessageKey } from './es.ts';

// Typed against the Spanish keys so a missing or extra key fails the typecheck.
export const en: Record<MessageKey, string> = {
  'layout.greeting.named': 'Hello {name},',
  'layout.greeting.anonymous': 'Hello,',
  'layout.footer.automatic': 'This message was sent automatically by {portalName}.',
  'layout.footer.unsubscribe': 'Stop receiving these e-mails',
  'layout.footer.visit': 'Go to {portalName}',
  'layout.linkFallback': 'If the button does not work, copy this link into your browser:',
  'layout.more': 'and {n} more',

  'label.ref': 'Reference',
  'label.title': 'Title',
  'label.kind': 'Type',
  'label.category': 'Category',
  'label.priority': 'Priority',
  'label.organisation': 'Organisation',
  'label.dataset': 'Dataset',
  'label.resource': 'Resource',
  'label.check': 'Check',
  'label.result': 'Result',
  'label.errors': 'Errors found',
  'label.checkedAt': 'Checked on',
  'label.dueAt': 'Due',
  'label.previousDueAt': 'Previous due date',
  'label.newDueAt': 'New due date',
  'label.target': 'Target',
  'label.remaining': 'Time left',
  'label.breachedAt': 'Breached on',
  'label.escalationStep': 'Escalation level',
  'label.assignee': 'Assignee',
  'label.assignedBy': 'Assigned by',
  'label.reporter': 'Reporter',
  'label.statusFrom': 'Previous status',
  'label.statusTo': 'Current status',
  'label.resolution': 'Answer from the institution:',
  'label.reason': 'Reason',

  'fallback.user': 'A portal user',
  'fallback.reporter': 'The reporter',
  'fallback.unassigned': 'Unassigned',

  'slaTarget.first_response': 'First response',
  'slaTarget.resolution': 'Resolution',

  'escalationRole.team_lead': 'Team lead',
  'escalationRole.manager': 'Management',
  'escalationRole.parent_organisation': 'Parent organisation',

  'duration.days.one': '{n} day',
  'duration.days.other': '{n} days',
  'duration.hours.one': '{n} hour',
  'duration.hours.other': '{n} hours',
  'duration.minutes.one': '{n} minute',
  'duration.minutes.other': '{n} minutes',
  'duration.lessThanMinute': 'less than a minute',
  'duration.overdue': 'overdue',

  'reporterAck.subject': 'We received your report {ref}',
  'reporterAck.preheader': 'Your report “{title}” was registered as {ref}.',
  'reporterAck.intro':
    'Thank you for writing to us. We registered your report and passed it to the responsible organisation.',
  'reporterAck.verifyPrompt':
    'Please confirm your e-mail address so that we can publish your report and keep you informed.',
  'reporterAck.verifyButton': 'Confirm my e-mail address',
  'reporterAck.due': 'The organisation must answer by {date}.',
  'reporterAck.trackButton': 'Track my report',
  'reporterAck.privacy': 'Your name and e-mail address are never published.',
  'reporterAck.why': 'You are receiving this e-mail because you sent a report on {portalName}.',

  'emailVerification.subject': 'Confirm your e-mail address',
  'emailVerification.preheader': 'One more step to activate your report on {portalName}.',
  'emailVerification.intro': 'You asked to confirm your e-mail address on {portalName}.',
  'emailVerification.introTicket': 'You asked to confirm your e-mail address for report {ref} “{title}”.',
  'emailVerification.button': 'Confirm my e-mail address',
  'emailVerification.expires': 'The link expires on {date}.',
  'emailVerification.ignore':
    'If this was not you, ignore this message: nothing happens without your confirmation.',
  'emailVerification.why': 'You are receiving this e-mail because this address was used on {portalName}.',

  'statusChanged.subject': '{ref} is now “{to}”',
  'statusChanged.preheader': '“{title}” moved from “{from}” to “{to}”.',
  'statusChanged.intro': 'The status of “{title}” changed.',
  'statusChanged.button': 'View the ticket',
  'statusChanged.whyReporter': 'You are receiving this e-mail because you sent this report on {portalName}.',
  'statusChanged.whyFollower':
    'You are receiving this e-mail because you follow this ticket on {portalName}.',

  'publicReply.subject': '{ref}: new reply',
  'publicReply.preheader': '{author} replied on “{title}”.',
  'publicReply.intro': '{author} posted a reply on “{title}”:',
  'publicReply.button': 'Read the whole reply',
  'publicReply.whyReporter': 'You are receiving this e-mail because you sent this report on {portalName}.',
  'publicReply.whyFollower': 'You are receiving this e-mail because you follow this ticket on {portalName}.',

  'resolutionQuestion.subject': '{ref}: was your report solved?',
  'resolutionQuestion.preheader': 'Tell us whether the answer to “{title}” solved the problem.',
  'resolutionQuestion.intro':
    'The organisation marked your report “{title}” as resolved. Was the problem solved?',
  'resolutionQuestion.yes': 'Yes, it was solved',
  'resolutionQuestion.no': 'No, it was not',
  'resolutionQuestion.closesAt': 'If you do not answer, we will close the report on {date}.',
  'resolutionQuestion.why': 'You are receiving this e-mail because you sent this report on {portalName}.',

  'deadlineExtension.subject': '{ref}: the deadline of your request was extended',
  'deadlineExtension.preheader': 'The new deadline for “{title}” is {date}.',
  'deadlineExtension.intro':
    'Under Law No. 27806, the Peruvian Transparency and Access to Public Information Law, the organisation extended the deadline to answer your request “{title}”.',
  'deadlineExtension.newDate': 'The organisation must answer by {date}.',
  'deadlineExtension.button': 'View my request',
  'deadlineExtension.why': 'You are receiving this e-mail because you sent this request on {portalName}.',

  'assignment.subject': 'You were assigned {ref}: {title}',
  'assignment.preheader': 'New ticket assigned to you: “{title}”.',
  'assignment.intro': 'A ticket was assigned to you on {portalName}.',
  'assignment.deadlines': 'Deadlines',
  'assignment.button': 'Open the ticket',
  'assignment.why':
    'You are receiving this e-mail because you are responsible for this ticket on {portalName}.',

  'reporterReplied.subject': '{ref}: the reporter replied',
  'reporterReplied.preheader': '{author} replied on “{title}”.',
  'reporterReplied.intro': '{author} replied on the ticket “{title}”:',
  'reporterReplied.button': 'Reply on the ticket',
  'reporterReplied.why':
    'You are receiving this e-mail because you are responsible for this ticket on {portalName}.',

  'slaWarning.subject': '{ref}: the {target} deadline is close',
  'slaWarning.preheader': '{remaining} left for “{title}”.',
  'slaWarning.intro': 'The {target} deadline of the ticket “{title}” is about to pass.',
  'slaWarning.button': 'Work on the ticket',
  'slaWarning.why':
    'You are receiving this e-mail because you are responsible for this ticket on {portalName}.',

  'slaBreach.subject': '{ref}: the {target} deadline was missed',
  'slaBreach.preheader': 'The ticket “{title}” missed its deadline.',
  'slaBreach.intro': 'The ticket “{title}” missed its {target} deadline.',
  'slaBreach.button': 'Review the ticket',
  'slaBreach.why':
    'You are receiving this e-mail because you are an escalation contact ({role}) for deadlines on {portalName}.',

  'escalation.subject': 'Escalation level {step}: {ref}',
  'escalation.preheader': 'The ticket “{title}” was escalated to {role}.',
  'escalation.intro':
    'The ticket “{title}” is still unattended after missing its deadline and was escalated to your level ({role}).',
  'escalation.button': 'Review the ticket',
  'escalation.why':
    'You are receiving this e-mail because you are an escalation contact ({role}) for deadlines on {portalName}.',

  'dailyDigest.subject': 'Daily summary for {date}',
  'dailyDigest.subjectOrg': 'Daily summary for {date}: {organisation}',
  'dailyDigest.preheader': '{new} new, {dueSoon} due soon, {breached} breached, {unassigned} unassigned.',
  'dailyDigest.intro': 'This is where the tickets stand on {date}.',
  'dailyDigest.new': 'New',
  'dailyDigest.dueSoon': 'Due soon',
  'dailyDigest.breached': 'Breached',
  'dailyDigest.unassigned': 'Unassigned',
  'dailyDigest.none': 'None.',
  'dailyDigest.button': 'Open the dashboard',
  'dailyDigest.why': 'You are receiving this summary because you manage tickets on {portalName}.',

  'followersDigest.subject': 'Updates on {count} tickets you follow',
  'followersDigest.subjectOne': 'Updates on {ref}',
  'followersDigest.preheader': 'A summary of the changes to the tickets you follow.',
  'followersDigest.intro': 'There are updates on the tickets you follow:',
  'followersDigest.status': '{at}: moved from “{from}” to “{to}”',
  'followersDigest.reply': '{at}: {author} replied: {excerpt}',
  'followersDigest.open': 'View the ticket',
  'followersDigest.why': 'You are receiving this e-mail because you follow these tickets on {portalName}.',

  'qualityEvent.subjectFailing': 'Quality problem in “{dataset}”',
  'qualityEvent.subjectRecovered': '“{dataset}” passes its check again',
  'qualityEvent.preheaderFailing': 'The resource “{resource}” failed the check “{check}”.',
  'qualityEvent.preheaderRecovered': 'The resource “{resource}” passes the check “{check}” again.',
  'qualityEvent.introFailing': 'We found a quality problem in a dataset you follow.',
  'qualityEvent.introRecovered': 'A dataset you follow passes its quality check again.',
  'qualityEvent.failing': 'Failing',
  'qualityEvent.recovered': 'Recovered',
  'qualityEvent.button': 'View the quality report',
  'qualityEvent.why': 'You are receiving this e-mail because you subscribed to this dataset on {portalName}.',
};
