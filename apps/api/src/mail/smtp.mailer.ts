import { Inject, Injectable, type OnModuleDestroy } from '@nestjs/common';
import { createTransport, type Transporter } from 'nodemailer';
import { APP_CONFIG, type AppConfig } from '../config/config.js';
import { Mailer, type MailMessage } from './mailer.js';

/**
 * Mail through the operator's SMTP server (SMTP_URL, MAIL_FROM) with nodemailer: one pooled transport
 * per process. Without SMTP_URL it is disabled and send() refuses.
 */
@Injectable()
export class SmtpMailer extends Mailer implements OnModuleDestroy {
  private readonly transport: Transporter | null;
  private readonly from: string;

  constructor(@Inject(APP_CONFIG) config: Pick<AppConfig, 'mail'>) {
    super();
    this.from = config.mail.from;
    // pool: a burst of reset mails reuses a few connections instead of one TLS handshake each.
    this.transport = config.mail.smtpUrl ? createTransport({ url: config.mail.smtpUrl, pool: true }) : null;
  }

  get enabled(): boolean {
    return this.transport !== null;
  }

  async send(message: MailMessage): Promise<void> {
    if (!this.transport) throw new Error('No SMTP server is configured (SMTP_URL).');
    await this.transport.sendMail({ from: this.from, to: message.to, subject: message.subject, text: message.text });
  }

  onModuleDestroy(): void {
    this.transport?.close();
  }
}
