/** A dead letter's receiver and summary, read from what its delivery carried. */
export interface Description {
  receiver: string;
  summary: string;
}

type Data = Record<string, unknown>;

const text = (value: unknown): string | undefined => (typeof value === 'string' && value !== '' ? value : undefined);

const line = (value: string, max = 160) => {
  const one = value.replace(/\s+/g, ' ').trim();
  return one.length <= max ? one : `${one.slice(0, max - 1)}…`;
};

/** Slack's mrkdwn escapes, read back as the characters they stand for. */
const unescapeMrkdwn = (value: string) => value.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

/** `ada@example.com` → `a***@example.com`: enough for an admin to recognise, not to harvest. */
export function maskedEmail(address: string): string {
  const at = address.lastIndexOf('@');
  if (at < 1) return '***';
  return `${address[0]}***${address.slice(at)}`;
}

/** A URL by its origin only (a webhook's path may hold its secret). */
const urlHost = (url: string | undefined): string | undefined => {
  if (!url) return undefined;
  try {
    return new URL(url).host;
  } catch {
    return undefined;
  }
};

/** What each queue's deliveries carry: Slack alerts their message, emails their header, webhooks their endpoint and event. */
export function describe(queue: string, data: Data): Description {
  switch (queue) {
    case 'slack': {
      const message = (data.message ?? {}) as Data;
      return {
        receiver: "The site's Slack channel",
        summary: line(unescapeMrkdwn(text(message.text) ?? 'A Slack alert')),
      };
    }
    case 'email': {
      const to = text(data.to);
      return { receiver: to ? maskedEmail(to) : 'An email', summary: line(text(data.subject) ?? 'An email') };
    }
    default: {
      const endpoint = (typeof data.endpoint === 'object' && data.endpoint ? data.endpoint : {}) as Data;
      const payload = (typeof data.payload === 'object' && data.payload ? data.payload : {}) as Data;
      const host = urlHost(text(data.url) ?? text(endpoint.url));
      // (A webhook's delivery names its endpoint by id: its URL is the endpoint's, and may change.)
      const endpointId = text(data.endpointId);
      const event = text(data.type) ?? text(data.eventType) ?? text(payload.type);
      return {
        receiver: host ?? (endpointId ? `Webhook endpoint ${endpointId}` : `A ${queue}`),
        summary: line(event ? `${event}` : `A ${queue} delivery`),
      };
    }
  }
}
