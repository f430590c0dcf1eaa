import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';

const MAX_ENTRIES = 2000;

/**
 * Thread and reply pages by a key that names everything they depend on, the article's
 * thread_version first. Every change to an article's comments bumps that version in the same
 * transaction (ArticlesService.lock), so an entry is never served after its data changed, on any
 * instance: stale keys are simply never asked for again, and fall out of this small LRU.
 */
@Injectable()
export class ThreadCache {
  private readonly entries = new Map<string, unknown>();

  get<T>(key: string): T | undefined {
    const value = this.entries.get(key) as T | undefined;
    if (value !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, value);
    }
    return value;
  }

  set(key: string, value: unknown): void {
    this.entries.set(key, value);
    if (this.entries.size > MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
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
