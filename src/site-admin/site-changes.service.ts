import { Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';
import { AuthUser } from '../auth/access.decorator';
import { rawToEntity } from '../database/raw-entity';
import { sql } from '../database/sql';
import { Transactions } from '../database/transactions';
import { AppError } from '../errors/app-error';
import { ModerationLog } from '../journal/moderation-log.service';
import { DEFAULT_SITE_ID, Site } from '../sites/site.entity';
import { SitesDirectory } from '../sites/sites.directory';
import { Mailer } from '../mail/mailer';
import { CreateSiteDto, UpdateSiteDto } from './dto/site.dto';
import { SiteIdentityDto, siteIdentityProblems } from '../identity/site-identity.dto';

type StoredIdentity = Record<string, unknown> & {
  secrets?: string[];
  signIn?: { clientId: string; clientSecret?: string };
};

/** Makes and changes sites; each change bumps the site's version and is in the moderation log. */
@Injectable()
export class SiteChanges {
  constructor(
    private readonly dataSource: DataSource,
    private readonly transactions: Transactions,
    private readonly log: ModerationLog,
    private readonly sites: SitesDirectory,
    private readonly mailer: Mailer,
  ) {}

  /** A new site, with its moderation settings: the defaults, and the first site's rate limits. */
  async create(dto: CreateSiteDto, actor: AuthUser): Promise<Site> {
    assertUsable(storable(dto.identity ?? {}), this.mailer.enabled);
    const site = await this.transactions.run(async (manager) => {
      // A key taken, even by a creation still running, is a conflict (it waits for that one's end).
      const { rows } = await sql(
        manager,
        `INSERT INTO sites (key, name, origins, identity) VALUES ($1, $2, $3, $4)
         ON CONFLICT ON CONSTRAINT "UQ_sites_key" DO NOTHING RETURNING *`,
        [dto.key, dto.name, dto.origins ?? [], storable(dto.identity ?? {})],
      );
      if (!rows[0]) throw AppError.conflict(`A site with the key "${dto.key}" already exists`);
      const created = rawToEntity(this.dataSource.manager, Site, rows[0]);
      await sql(
        manager,
        `INSERT INTO moderation_settings (id, rate_limits) SELECT $1, rate_limits FROM moderation_settings WHERE id = $2`,
        [created.id, DEFAULT_SITE_ID],
      );
      await this.log.record(manager, {
        action: 'create_site',
        actor,
        targetType: 'site',
        targetId: String(created.id),
        reason: `created ${created.key}`,
      });
      return created;
    });
    this.sites.forget();
    return site;
  }

  /** Changes the fields given; a change that changes nothing is not one (no new version, no log entry). */
  async update(siteId: number, dto: UpdateSiteDto, actor: AuthUser): Promise<Site> {
    const site = await this.transactions.run(async (manager) => {
      const { rows } = await sql(manager, `SELECT * FROM sites WHERE id = $1 FOR UPDATE`, [siteId]);
      if (!rows[0]) throw AppError.notFound('The site');
      const stored = rawToEntity(this.dataSource.manager, Site, rows[0]);
      const next = {
        name: dto.name ?? stored.name,
        origins: dto.origins ?? stored.origins,
        identity:
          dto.identity === undefined
            ? (stored.identity as StoredIdentity)
            : withKeptSecrets(dto.identity, stored.identity as StoredIdentity),
      };
      // (A site that has it keeps it when the mail server goes: its other fields still save.)
      const emailWasOn = (stored.identity as StoredIdentity).emailLinks === true;
      assertUsable(next.identity, this.mailer.enabled || emailWasOn);
      const changed = (['name', 'origins', 'identity'] as const).filter(
        (field) => !sameJson(next[field], stored[field]),
      );
      if (changed.length === 0) return stored;
      const { rows: updated } = await sql(
        manager,
        `UPDATE sites SET name = $2, origins = $3, identity = $4, version = version + 1, updated_at = now()
         WHERE id = $1 RETURNING *`,
        [siteId, next.name, next.origins, next.identity],
      );
      await this.log.record(manager, {
        action: 'update_site',
        actor,
        targetType: 'site',
        targetId: String(siteId),
        reason: `changed ${changed.join(', ')}`,
      });
      return rawToEntity(this.dataSource.manager, Site, updated[0]);
    });
    this.sites.forget();
    return site;
  }
}

/**
 * An identity is empty (the site has no login yet) or whole: it has keys (or readers sign in by
 * email), and signing in has an issuer. Sign-in by email needs an installation that sends email.
 */
function assertUsable(identity: StoredIdentity, sendsEmail: boolean): void {
  if (identity.emailLinks === true && !sendsEmail) {
    const message = 'emailLinks needs an installation that sends email (SMTP_URL, or MAIL_CATCHER=on)';
    throw AppError.validation(message, [{ field: 'identity.emailLinks', messages: [message] }]);
  }
  if (Object.keys(identity).length === 0) return;
  const problems = siteIdentityProblems(identity).map((p) => ({ ...p, field: `identity.${p.field}` }));
  if (problems.length > 0) throw AppError.validation(problems[0].messages[0], problems);
}

/** The identity as plain JSON, without empty lists of secrets. */
function storable(identity: SiteIdentityDto): StoredIdentity {
  const plain = JSON.parse(JSON.stringify(identity)) as StoredIdentity;
  if (plain.secrets?.length === 0) delete plain.secrets;
  return plain;
}

/** Write-only fields that a change leaves out keep their stored values (a client cannot read them to send them back). */
function withKeptSecrets(given: SiteIdentityDto, stored: StoredIdentity): StoredIdentity {
  const kept = storable(given);
  if (given.secrets === undefined && stored.secrets) kept.secrets = stored.secrets;
  if (kept.signIn && given.signIn?.clientSecret === undefined && stored.signIn?.clientSecret !== undefined)
    kept.signIn = { ...kept.signIn, clientSecret: stored.signIn.clientSecret };
  return kept;
}

/** Equal as JSON, whatever the order of an object's keys (jsonb keeps its own order). */
function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));
}

function sorted(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sorted);
  if (value && typeof value === 'object' && !(value instanceof Date))
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== undefined)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sorted(v)]),
    );
  return value;
}
