import { describe, expect, it } from 'vitest';

// Through the package name, as the worker and `quipu start` import it, so the exports map is checked too.
describe('package exports', () => {
  it('exposes the templates and the transport at @quipu/mail', async () => {
    const mail = await import('@quipu/mail');
    expect(typeof mail.renderNotification).toBe('function');
    expect(typeof mail.createMailer).toBe('function');
    expect(typeof mail.isTransientMailError).toBe('function');
    expect(mail.NOTIFICATION_KINDS).toContain('quality_event');
  });

  it('exposes the SMTP peer at @quipu/mail/smtp-peer', async () => {
    const { startSmtpPeer } = await import('@quipu/mail/smtp-peer');
    const peer = await startSmtpPeer();
    try {
      expect(peer.url).toMatch(/^smtp:\/\/127\.0\.0\.1:\d+$/);
    } finally {
      await peer.close();
    }
  });
});
