import type { Logger } from 'pino';

const EVERY_MS = 60_000;
/** Origins remembered at once: a flood of made-up Origin headers costs bounded memory and log lines. */
const MAX_REMEMBERED = 1000;

/**
 * Says in the log which page origins CORS refuses, as no site lists them (the browser alone sees
 * the refusal): once per origin per minute, at warn level, naming the setting to change. A
 * request whose Origin is the service's own host is not refused.
 */
export function refusedOriginLog(allowed: readonly string[], logger: Logger, now: () => number = Date.now) {
  const allow = new Set(allowed);
  const lastSaid = new Map<string, number>();
  return (origin: string | undefined, host: string | undefined): void => {
    if (!origin || allow.has(origin) || sameHost(origin, host)) return;
    const at = now();
    const said = lastSaid.get(origin);
    if (said !== undefined && at - said < EVERY_MS) return;
    if (said === undefined && lastSaid.size >= MAX_REMEMBERED) {
      for (const [known, when] of lastSaid) if (at - when >= EVERY_MS) lastSaid.delete(known);
      if (lastSaid.size >= MAX_REMEMBERED) return;
    }
    lastSaid.set(origin, at);
    logger.warn(
      { origin },
      `Refused a cross-origin request from ${origin}: no site lists it; add it to the origins of the site whose embed the page shows (CORS_ORIGINS for the first site) for the embed to work`,
    );
  };
}

function sameHost(origin: string, host: string | undefined): boolean {
  try {
    return !!host && new URL(origin).host === host;
  } catch {
    return false;
  }
}
