import type { MailMessage } from '../../mail/mailer.js';

/** The "choose a new password" mail: plain text, the link on a line of its own. */
export function resetMail({ to, link, ttlMs }: { to: string; link: string; ttlMs: number }): MailMessage {
  const minutes = Math.max(1, Math.round(ttlMs / 60_000));
  return {
    to,
    subject: 'Choose a new Reelroom password',
    text: [
      'Someone (hopefully you) asked to reset the password of your Reelroom account.',
      '',
      `Choose a new password here. The link works once, for ${minutes} minute${minutes === 1 ? '' : 's'}:`,
      link,
      '',
      'Setting a new password signs you out on every device.',
      'If you did not ask for this, ignore this mail: your password stays as it is.',
    ].join('\n'),
  };
}
