import { Injectable } from '@nestjs/common';
import { createHmac, randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { sql } from '../database/sql';

/**
 * Keyed hashes of email addresses (lower-cased), with a key the installation makes once and keeps
 * in its database: a reader's id and rate limit come from their address without the address
 * being kept, and without a list of addresses that could be hashed to find who is a reader.
 */
@Injectable()
export class AddressDigests {
  private key?: Promise<Buffer>;

  constructor(private readonly dataSource: DataSource) {}

  /** The same for an address however it is written in case; `scope` keeps one site's digests from matching another's. */
  async of(address: string, scope = ''): Promise<string> {
    return createHmac('sha256', await this.secret())
      .update(`${scope}\n${address.trim().toLowerCase()}`)
      .digest('base64url');
  }

  private secret(): Promise<Buffer> {
    this.key ??= this.readOrMake();
    this.key.catch(() => (this.key = undefined));
    return this.key;
  }

  private async readOrMake(): Promise<Buffer> {
    const { rows } = await sql<{ secret: Buffer }>(
      this.dataSource,
      `WITH made AS (
         INSERT INTO installation_keys (name, secret) VALUES ('email-addresses', $1) ON CONFLICT (name) DO NOTHING RETURNING secret)
       SELECT secret FROM made UNION ALL SELECT secret FROM installation_keys WHERE name = 'email-addresses'`,
      [randomBytes(32)],
    );
    // (Empty when another instance's insert committed after this statement's snapshot: read it now.)
    if (!rows[0]) return this.readOrMake();
    return rows[0].secret;
  }
}
