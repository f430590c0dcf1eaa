/** The roles a user may hold on a site, lowest first. */
export const ROLES = ['commenter', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];
