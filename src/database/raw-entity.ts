import { EntityManager, EntityTarget, ObjectLiteral } from 'typeorm';

/** An entity from a raw row (RETURNING * or a prepared read), by the entity's column names. */
export function rawToEntity<T extends ObjectLiteral>(
  manager: EntityManager,
  target: EntityTarget<T>,
  raw: Record<string, unknown>,
): T {
  const values: Record<string, unknown> = {};
  for (const column of manager.connection.getMetadata(target).columns)
    values[column.propertyName] = raw[column.databaseName];
  return manager.create(target, values as T);
}
