import { Injectable } from '@nestjs/common';
import { createHmac } from 'node:crypto';
import { DataSource } from 'typeorm';
import { InstallationKey } from '../database/installation-key';

/**
 * Keyed hashes of email addresses (lower-cased), with a key the installation makes once and keeps
 * in its database: a reader's id and rate limit come from their address without the address
 * being kept, and without a list of addresses that could be hashed to find who is a reader.
 */
@Injectable()
export class AddressDigests {
  private readonly key: InstallationKey;

  constructor(dataSource: DataSource) {
    this.key = new InstallationKey(dataSource, 'email-addresses');
  }

  /** The same for an address however it is written in case; `scope` keeps one site's digests from matching another's. */
  async of(address: string, scope = ''): Promise<string> {
    return createHmac('sha256', await this.secret())
      .update(`${scope}\n${address.trim().toLowerCase()}`)
      .digest('base64url');
  }

  private secret(): Promise<Buffer> {
    return this.key.get();
  }
}
