import type { FastifyReply, FastifyRequest } from 'fastify';
import { createHash } from 'node:crypto';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

type Encoding = 'br' | 'gzip' | 'identity';
const FILES: Record<Encoding, string> = { br: 'embed.js.br', gzip: 'embed.js.gz', identity: 'embed.js' };

interface Loaded {
  /** The three files' identities (inode, size, time) when they were read. */
  stamp: string;
  bodies: Partial<Record<Encoding, Buffer>>;
  etag: string;
  lastModified: string;
}

/**
 * `GET /embed.js`: the built embed (with its .br and .gz), each file read whole into memory and
 * read again once a build beside the running service has replaced it. Read whole, never streamed
 * from a path: a build renames new files over the old ones, and a file streamed by path after its
 * size was taken could be the other one, cutting the answer short.
 */
export class EmbedScript {
  private loaded?: Loaded;

  constructor(private readonly dir: string) {}

  exists(): boolean {
    return existsSync(join(this.dir, FILES.identity));
  }

  serve(request: FastifyRequest, reply: FastifyReply): FastifyReply {
    const loaded = this.current();
    reply
      .header('Content-Type', 'application/javascript; charset=utf-8')
      // Not fingerprinted: caches keep it briefly and revalidate (ETag, Last-Modified) after that.
      .header('Cache-Control', 'public, max-age=300')
      // Helmet says same-origin; a script that other sites load needs cross-origin.
      .header('Cross-Origin-Resource-Policy', 'cross-origin')
      .header('Vary', 'Accept-Encoding')
      .header('ETag', loaded.etag)
      .header('Last-Modified', loaded.lastModified);
    if (request.headers['if-none-match'] === loaded.etag) return reply.code(304).send();
    const accepted = String(request.headers['accept-encoding'] ?? '');
    const encoding = (['br', 'gzip'] as const).find((e) => loaded.bodies[e] && new RegExp(`\\b${e}\\b`).test(accepted));
    if (encoding) reply.header('Content-Encoding', encoding);
    return reply.send(loaded.bodies[encoding ?? 'identity']);
  }

  private current(): Loaded {
    const stamp = this.stamp();
    if (this.loaded?.stamp === stamp) return this.loaded;
    const bodies: Loaded['bodies'] = {};
    for (const [encoding, file] of Object.entries(FILES) as [Encoding, string][]) {
      const path = join(this.dir, file);
      if (existsSync(path)) bodies[encoding] = readFileSync(path);
    }
    // (Files replaced while they were read: read again on the next request.)
    const settled = this.stamp() === stamp ? stamp : '';
    this.loaded = {
      stamp: settled,
      bodies,
      etag: `"${createHash('sha256')
        .update(bodies.identity ?? '')
        .digest('base64url')
        .slice(0, 27)}"`,
      lastModified: statSync(join(this.dir, FILES.identity)).mtime.toUTCString(),
    };
    return this.loaded;
  }

  private stamp(): string {
    return Object.values(FILES)
      .map((file) => {
        const path = join(this.dir, file);
        if (!existsSync(path)) return '-';
        const s = statSync(path);
        return `${s.ino}:${s.size}:${s.mtimeMs}`;
      })
      .join('|');
  }
}
