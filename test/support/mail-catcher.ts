import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { simpleParser } from 'mailparser';
import { eventually } from './wait.js';

export interface CaughtMail {
  /** The envelope's recipients (RCPT TO), lower case. */
  to: string[];
  from: string;
  subject: string;
  text: string;
}

/**
 * A real SMTP server on a free local port that keeps every message it is sent, parsed with mailparser:
 * the API sends through nodemailer exactly as it would to the operator's server (SMTP_URL=smtp://...).
 */
export class MailCatcher {
  private constructor(
    readonly port: number,
    private readonly server: SMTPServer,
    readonly mails: CaughtMail[],
  ) {}

  static async start(): Promise<MailCatcher> {
    const mails: CaughtMail[] = [];
    const server = new SMTPServer({
      // Plain SMTP on loopback: no STARTTLS offered (no certificate), no AUTH asked.
      disabledCommands: ['STARTTLS', 'AUTH'],
      authOptional: true,
      logger: false,
      onData(stream, session, callback) {
        simpleParser(stream).then(
          (parsed) => {
            mails.push({
              to: session.envelope.rcptTo.map((r) => r.address.toLowerCase()),
              from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
              subject: parsed.subject ?? '',
              text: typeof parsed.text === 'string' ? parsed.text : '',
            });
            callback();
          },
          (err: Error) => callback(err),
        );
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.server.address() as AddressInfo).port;
    return new MailCatcher(port, server, mails);
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  /** Every mail sent to `address` so far. */
  to(address: string): CaughtMail[] {
    return this.mails.filter((m) => m.to.includes(address.toLowerCase()));
  }

  /** Waits for the `n`-th mail (1-based) to `address` and returns it. */
  async nth(address: string, n = 1): Promise<CaughtMail> {
    await eventually(() => this.to(address).length).toBeGreaterThanOrEqual(n);
    return this.to(address)[n - 1];
  }

  /** The first https?:// link in a mail's text. */
  static linkIn(mail: CaughtMail): string {
    const m = /https?:\/\/\S+/.exec(mail.text);
    if (!m) throw new Error(`no link in the mail: ${mail.text}`);
    return m[0];
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
