/** One plain-text mail. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
}

/**
 * Sending mail (issue 12: password reset links), behind one port: SmtpMailer in production (SMTP_URL),
 * a recording fake in unit tests, a real SMTP server started by the integration tests.
 */
export abstract class Mailer {
  /** False when the operator configured no SMTP server (SMTP_URL unset): nothing can be sent. */
  abstract readonly enabled: boolean;
  /** Resolves once the SMTP server accepted the message; rejects with its reason. */
  abstract send(message: MailMessage): Promise<void>;
}
