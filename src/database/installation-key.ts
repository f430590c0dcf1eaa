import { randomBytes } from 'node:crypto';
import { DataSource } from 'typeorm';
import { sql } from './sql';

/**
 * A secret of this installation, kept in installation_keys under `name`: made by whichever
 * instance asks first (the others then read it), read once per instance.
 */
export class InstallationKey {
  private key?: Promise<Buffer>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly name: string,
  ) {}

  get(): Promise<Buffer> {
    this.key ??= this.readOrMake();
    this.key.catch(() => (this.key = undefined));
    return this.key;
  }

  private async readOrMake(): Promise<Buffer> {
    const { rows } = await sql<{ secret: Buffer }>(
      this.dataSource,
      `WITH made AS (
         INSERT INTO installation_keys (name, secret) VALUES ($2, $1) ON CONFLICT (name) DO NOTHING RETURNING secret)
       SELECT secret FROM made UNION ALL SELECT secret FROM installation_keys WHERE name = $2`,
      [randomBytes(32), this.name],
    );
    // (Empty when another instance's insert committed after this statement's snapshot: read it now.)
    if (!rows[0]) return this.readOrMake();
    return rows[0].secret;
  }
}
