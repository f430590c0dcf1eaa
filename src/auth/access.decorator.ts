import { SetMetadata } from '@nestjs/common';

export const ROLES = ['commenter', 'moderator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who may call a route: anyone, any signed-in user, or a role and those above it. */
export type AccessLevel = 'public' | 'user' | 'moderator' | 'admin';
export const ACCESS_KEY = 'access';

/** Every route declares its access; the global guard refuses routes that do not. */
export const Access = (level: AccessLevel) => SetMetadata(ACCESS_KEY, level);

export interface AuthUser {
  id: string;
  name: string | null;
  role: Role;
}

export const isModerator = (user?: AuthUser | null) => user?.role === 'moderator' || user?.role === 'admin';
