import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';

/** The first site, made from what an installation held before it had sites. */
export const DEFAULT_SITE_ID = 1;
export const SITE_KEY_PATTERN = /^[a-z0-9][a-z0-9-]{0,39}$/;

/** A publication: its own origins, login, settings, articles, readers and desk. */
@Entity('sites')
@Unique('UQ_sites_key', ['key'])
@Check('CHK_sites_key', `"key" ~ '^[a-z0-9][a-z0-9-]{0,39}$'`)
@Check('CHK_sites_name', `length("name") BETWEEN 1 AND 100`)
@Check('CHK_sites_identity', `jsonb_typeof("identity") = 'object'`)
export class Site {
  @PrimaryGeneratedColumn('identity', { type: 'smallint', generatedIdentity: 'BY DEFAULT' })
  id: number;

  /** Names the site in URLs and in the embed's `site` attribute; never changes. */
  @Column({ type: 'text' })
  key: string;

  @Column({ type: 'text' })
  name: string;

  /** The origins (scheme://host[:port]) whose pages may embed the site's threads. */
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  origins: string[];

  /** How the site's tokens are verified (SiteIdentity); holds secrets, never sent back whole. */
  @Column({ type: 'jsonb', default: () => "'{}'" })
  identity: object;

  /** Bumped on every change, so that what is built from the site can be rebuilt. */
  @Column({ type: 'int', default: 1 })
  version: number;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz', precision: 3 })
  createdAt: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz', precision: 3 })
  updatedAt: Date;
}
