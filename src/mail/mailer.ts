import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import nodemailer, { Transporter } from 'nodemailer';
import { DataSource, EntityManager } from 'typeorm';
import { Environment } from '../config/environment';
import { sql } from '../database/sql';
import { DeliveryJob, DeliveryQueue } from '../deliveries/delivery-queue.service';

/** One email, as queued: whole, so that a retry sends what the change meant to send. */
export interface Email {
  siteId: number;
  to: string;
  subject: string;
  text: string;
  html: string;
  /** Such as List-Unsubscribe and List-Unsubscribe-Post. */
  headers?: Record<string, string>;
}

/**
 * Email, delivered at least once through the delivery queue: queued in the transaction of the
 * change that causes it, sent over SMTP (SMTP_URL) or, with MAIL_CATCHER on, kept in the database
 * for admins to read. Each message's Message-ID is its delivery's id, so a retry after a lost
 * answer from the server is one message to mail clients that deduplicate.
 */
@Injectable()
export class Mailer implements OnApplicationBootstrap {
  private readonly logger = new Logger('Mailer');
  private readonly transport?: Transporter;

  constructor(
    private readonly dataSource: DataSource,
    private readonly queue: DeliveryQueue,
    private readonly env: Environment,
  ) {
    if (env.SMTP_URL) this.transport = nodemailer.createTransport(env.SMTP_URL);
  }

  /** Whether this installation sends email at all (a feature that would send one says so when not). */
  get enabled(): boolean {
    return this.transport !== undefined || this.env.MAIL_CATCHER === 'on';
  }

  /** Whether emails are kept for admins to read instead of sent. */
  get catching(): boolean {
    return this.transport === undefined && this.env.MAIL_CATCHER === 'on';
  }

  onApplicationBootstrap(): Promise<void> | void {
    if (this.env.DELIVERIES === 'on' && this.enabled)
      return this.queue.work<Email & { siteId: number }>('email', (job) => this.deliver(job));
  }

  /** Queues emails in `manager`'s transaction; nothing when this installation sends no email. */
  async send(manager: EntityManager, emails: Email[]): Promise<void> {
    if (!this.enabled || emails.length === 0) return;
    await this.queue.send(
      manager,
      emails.map((data) => ({ queue: 'email', data })),
    );
  }

  private async deliver(job: DeliveryJob<Email>): Promise<void> {
    const email = job.data;
    const messageId = `<${job.id}@comment-desk>`;
    if (!this.transport) {
      await sql(
        this.dataSource,
        `INSERT INTO caught_emails (site_id, message_id, "to", subject, text, html, headers)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (message_id) DO NOTHING`,
        [email.siteId, messageId, email.to, email.subject, email.text, email.html, JSON.stringify(email.headers ?? {})],
      );
      return;
    }
    await this.transport.sendMail({
      from: this.env.MAIL_FROM,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      headers: email.headers,
      messageId,
    });
    this.logger.debug(`Sent ${messageId}`);
  }
}
