import { Injectable } from '@nestjs/common';
import ipaddr from 'ipaddr.js';
import { lookup } from 'node:dns';
import { promises as dns } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, LookupFunction } from 'node:net';
import { Environment } from '../config/environment';

export interface OutboundRequest {
  url: string;
  body: string;
  headers: Record<string, string>;
  timeoutMs: number;
}

export interface OutboundAnswer {
  status: number;
  /** The answer's first bytes, for a delivery log (the rest is not read). */
  body: string;
  /** The answer's Retry-After, when it asks to be called again later (429, 503). */
  retryAfter?: string;
}

/** Why a URL may not be called: not http(s), or it reaches an address that is not public. */
export class OutboundRefused extends Error {
  constructor(
    message: string,
    readonly code: 'URL_NOT_ALLOWED' | 'ADDRESS_NOT_PUBLIC',
  ) {
    super(message);
  }
}

const ANSWER_BYTES = 1024;

/**
 * Requests to receivers that the publishers name (webhooks, Slack), which must never reach this
 * installation's own network: a URL whose host resolves to a loopback, private, link-local,
 * metadata or other non-public address is refused when it is registered (every address it
 * resolves to) and when it is called (the address actually connected to, so a DNS answer that
 * changes in between changes nothing). Redirects are not followed. DELIVERY_ALLOW_LOOPBACK lets
 * tests and local trials reach receivers on this machine.
 */
@Injectable()
export class OutboundHttp {
  constructor(private readonly env: Environment) {}

  /** Refuses (OutboundRefused) a URL that may not be registered. */
  async check(url: string): Promise<void> {
    const target = this.parse(url);
    const host = bare(target.hostname);
    const addresses = isIP(host)
      ? [host]
      : await dns.lookup(host, { all: true }).then(
          (found) => found.map((a) => a.address),
          () => {
            throw new OutboundRefused(`${target.hostname} cannot be resolved`, 'URL_NOT_ALLOWED');
          },
        );
    for (const address of addresses) this.mustBePublic(address, target.hostname);
  }

  /** POSTs the body; answers the status and the answer's first bytes. Throws on a refusal, a network error or a timeout. */
  post(request: OutboundRequest): Promise<OutboundAnswer> {
    const target = this.parse(request.url);
    const host = bare(target.hostname);
    if (isIP(host)) this.mustBePublic(host, target.hostname);
    const guardedLookup: LookupFunction = (hostname, options, callback) =>
      lookup(hostname, { ...options, all: false }, (error, address, family) => {
        if (error) return callback(error, '', 0);
        try {
          this.mustBePublic(address as string, hostname);
        } catch (refused) {
          return callback(refused as Error, '', 0);
        }
        callback(null, address as string, family);
      });
    const client = target.protocol === 'https:' ? https : http;
    return new Promise<OutboundAnswer>((resolve, reject) => {
      const req = client.request(
        target,
        {
          method: 'POST',
          headers: {
            'content-type': 'application/json',
            ...request.headers,
            'content-length': Buffer.byteLength(request.body),
          },
          lookup: guardedLookup,
          timeout: request.timeoutMs,
          agent: false,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (chunk: Buffer) => {
            if (size < ANSWER_BYTES) chunks.push(chunk);
            size += chunk.length;
            if (size >= ANSWER_BYTES) res.destroy();
          });
          const done = () =>
            resolve({
              status: res.statusCode ?? 0,
              body: Buffer.concat(chunks).subarray(0, ANSWER_BYTES).toString('utf8'),
              retryAfter: res.headers['retry-after'],
            });
          res.on('end', done);
          res.on('close', done);
        },
      );
      const timer = setTimeout(
        () => req.destroy(new Error(`No answer within ${request.timeoutMs} ms`)),
        request.timeoutMs,
      );
      req.on('timeout', () => req.destroy(new Error(`No answer within ${request.timeoutMs} ms`)));
      req.on('error', reject);
      req.on('close', () => clearTimeout(timer));
      req.end(request.body);
    });
  }

  private parse(url: string): URL {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      throw new OutboundRefused('Not a URL', 'URL_NOT_ALLOWED');
    }
    if (target.protocol !== 'https:' && target.protocol !== 'http:')
      throw new OutboundRefused('Only http and https URLs can be called', 'URL_NOT_ALLOWED');
    return target;
  }

  private mustBePublic(address: string, host: string): void {
    const range = ipaddr.process(address).range();
    if (range === 'unicast') return;
    if (range === 'loopback' && this.env.DELIVERY_ALLOW_LOOPBACK === 'on') return;
    throw new OutboundRefused(`${host} is not a public address (${address}, ${range})`, 'ADDRESS_NOT_PUBLIC');
  }
}

/** A URL's hostname without an IPv6 literal's brackets. */
const bare = (hostname: string) => hostname.replace(/^\[(.*)\]$/, '$1');
