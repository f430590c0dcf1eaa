import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';

/** Bounded by size, not count: a page of long comments weighs a hundred short ones. */
const MAX_CHARS = 16 * 1024 * 1024;

/**
 * Thread and reply pages by a key that names everything they depend on, the article's
 * thread_version first. Every change to an article's comments bumps that version in the same
 * transaction (ArticlesService.lock), so an entry is never served after its data changed, on any
 * instance: stale keys are simply never asked for again, and fall out of this LRU.
 */
@Injectable()
export class ThreadCache {
  private readonly entries = new Map<string, string>();
  private chars = 0;

  get(key: string): string | undefined {
    const value = this.entries.get(key);
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, json: string): void {
    if (this.entries.has(key)) return;
    this.entries.set(key, json);
    this.chars += json.length;
    for (const [oldest, value] of this.entries) {
      if (this.chars <= MAX_CHARS) break;
      this.entries.delete(oldest);
      this.chars -= value.length;
    }
  }

  /** A weak validator for the page with this key. */
  static etag(key: string): string {
    return `W/"${createHash('sha1').update(key).digest('base64url').slice(0, 22)}"`;
  }
}

/** Whether an If-None-Match header names this ETag (or is *). */
export function matchesEtag(ifNoneMatch: string | undefined, etag: string): boolean {
  if (!ifNoneMatch) return false;
  return ifNoneMatch.split(',').some((tag) => {
    const t = tag.trim();
    return t === '*' || t === etag || `W/${t}` === etag;
  });
}
