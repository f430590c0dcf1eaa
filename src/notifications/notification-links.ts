import { Injectable } from '@nestjs/common';
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { DataSource } from 'typeorm';
import { Environment, publicUrl } from '../config/environment';
import { InstallationKey } from '../database/installation-key';

const b64 = (data: Buffer | string) => Buffer.from(data).toString('base64url');

/** A random confirmation token, and the hash that is stored of it. */
export function newConfirmationToken(): { token: string; hash: Buffer } {
  const token = randomBytes(32).toString('base64url');
  return { token, hash: hashOf(token) };
}

export const hashOf = (token: string): Buffer => createHash('sha256').update(token).digest();

/**
 * The links in readers' emails. Unsubscribe links carry a signed token (the user id and an HMAC
 * with a key the installation keeps in its database): every email can have one without storing
 * it, and it stays valid as long as the reader may want to stop emails. Confirmation links carry
 * a random token whose hash is stored with its expiry (address_confirmations).
 */
@Injectable()
export class NotificationLinks {
  private readonly key: InstallationKey;

  constructor(
    dataSource: DataSource,
    private readonly env: Environment,
  ) {
    this.key = new InstallationKey(dataSource, 'notifications');
  }

  /** This service as readers reach it from outside. */
  get base(): string {
    return publicUrl(this.env);
  }

  async unsubscribeUrl(userId: string): Promise<string> {
    return `${this.base}/api/notifications/unsubscribe?token=${await this.unsubscribeToken(userId)}`;
  }

  confirmUrl(token: string): string {
    return `${this.base}/api/notifications/confirm?token=${token}`;
  }

  async unsubscribeToken(userId: string): Promise<string> {
    return `${b64(userId)}.${b64(this.sign(await this.secret(), userId))}`;
  }

  /** The user an unsubscribe token names, or null when it does not verify. */
  async userOfUnsubscribeToken(token: string): Promise<string | null> {
    const [id, mac] = token.split('.');
    if (!id || !mac || token.split('.').length !== 2) return null;
    const userId = Buffer.from(id, 'base64url').toString('utf8');
    const given = Buffer.from(mac, 'base64url');
    const wanted = this.sign(await this.secret(), userId);
    return given.length === wanted.length && timingSafeEqual(given, wanted) ? userId : null;
  }

  private sign(key: Buffer, userId: string): Buffer {
    return createHmac('sha256', key).update(`unsubscribe\n${userId}`).digest().subarray(0, 18);
  }

  private secret(): Promise<Buffer> {
    return this.key.get();
  }
}
