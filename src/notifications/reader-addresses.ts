import { EntityManager } from 'typeorm';
import { sql } from '../database/sql';

/**
 * Keeps a reader's address for their emails. A site's verified claim replaces an address it gave
 * before, never one the reader confirmed by a link (they chose it); a confirmed link replaces any.
 * The user's row must exist.
 */
export async function keepAddress(
  manager: EntityManager,
  user: { id: string; siteId: number },
  address: string,
  by: 'claim' | 'link',
): Promise<void> {
  await sql(
    manager,
    `INSERT INTO reader_addresses (user_id, site_id, address, verified_by) VALUES ($1, $2, $3, $4)
     ON CONFLICT (user_id) DO UPDATE SET address = EXCLUDED.address, verified_by = EXCLUDED.verified_by, verified_at = now()
       WHERE reader_addresses.address IS DISTINCT FROM EXCLUDED.address
         AND (EXCLUDED.verified_by = 'link' OR reader_addresses.verified_by = 'claim')`,
    [user.id, user.siteId, address, by],
  );
}
