import { BeforeApplicationShutdown, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { OutgoingHttpHeaders } from 'node:http';
import { readFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { getHeapStatistics } from 'node:v8';
import { Environment } from '../config/environment';
import { AppError } from '../errors/app-error';
import { detachSocket } from './detach-socket';
import { END_OF_CHUNKS, Frame, HEARTBEAT } from './frames';
import type { ChannelReader } from './live-channel';
import { Refusal, StreamAdmission } from './stream-admission';

/** A reader whose socket still holds more than this unsent at the next write is dropped: it reconnects with Last-Event-ID. */
const SLOW_READER_BYTES = 256 * 1024;
/**
 * While the heap in use is above its high-water mark, the bound is this: what waits for a reader
 * that does not keep up is held in the heap too (a write request per round), and a crowd of them
 * can run it out. They reconnect with Last-Event-ID once there is room.
 */
const SLOW_READER_BYTES_UNDER_PRESSURE = 16 * 1024;
/** How often the heap in use is compared with its high-water mark, for the bound above. */
const PRESSURE_CHECK_MS = 200;
/** Heartbeat passes per interval: a stream hears one when it carried nothing for 3/4 to 1 interval. */
const HEARTBEAT_TICKS = 4;
/** Moderators' streams may go this far past the cap, so that a crowd of readers never locks them out. */
const MODERATOR_RESERVE = 100;
/**
 * The heap one open stream holds, socket included, measured from heap snapshots
 * (bench/live-heap.mjs): about 3.1 KiB once the socket is detached from node:http and nothing of
 * the request is kept, counted with a margin.
 */
const HEAP_PER_STREAM = 4 * 1024;
/** The young generation, and the service's own heap under load with room for a burst of requests. */
const HEAP_BASE = 96 * 1024 * 1024;
/**
 * Of V8's heap limit (which counts the young generation's reserve too: 208 MB under a 160 MB old
 * space), the share in use above which no stream is admitted. V8 gives up well before the limit
 * when collections free little, measured: at about 133 MB in use under start:prod's cap.
 */
const HEAP_HIGH_WATER_PERCENT = 60;
/** Files kept free for the database pools, the listener and ordinary requests. */
const FILES_RESERVE = 1000;
/** Streams set up at once, by default; eight times as many may wait for it (a waiting request holds about 10 KiB). */
const SETUP_CONCURRENCY = 64;
const SETUP_QUEUE_FACTOR = 8;

const REFUSALS: Record<Refusal, string> = {
  draining: 'This instance is shutting down: reconnect',
  full: 'Too many live readers on this instance: poll the thread, and try the stream again later',
  memory: 'This instance is short of memory for more live readers: poll the thread, and try the stream again later',
  busy: 'Too many live readers are connecting to this instance at once: try the stream again later',
};

export type StreamKind = 'thread' | 'moderation';

/** What a stream follows: joined once its headers are sent, left when it ends. */
export interface Follow {
  join(reader: StreamReader): Promise<void>;
  /** Without a reader: the stream never started (its client went away while it was set up). */
  leave(reader?: StreamReader): void;
}

/** One open event stream: the socket and how its bytes are framed. */
export class StreamReader implements ChannelReader {
  closed = false;
  sent = 0;
  slot = -1;

  /** Set while the heap in use is above its high-water mark. */
  static underPressure = false;
  /** A coarse clock for heartbeats: it advances HEARTBEAT_TICKS times per heartbeat interval. */
  static tick = 0;
  /** The tick of the last write: a stream that carried anything lately needs no heartbeat. */
  wroteAt = 0;

  constructor(
    private readonly socket: Socket,
    private readonly chunked: boolean,
    private readonly onSlow: (reader: StreamReader) => void,
  ) {}

  /** A reader still holding more than the bound unsent from earlier writes is dropped instead. */
  write(frame: Frame): void {
    if (this.closed) return;
    const bound = StreamReader.underPressure ? SLOW_READER_BYTES_UNDER_PRESSURE : SLOW_READER_BYTES;
    if (this.socket.writableLength > bound) return this.onSlow(this);
    this.socket.write(this.chunked ? frame.chunked : frame.bytes);
    this.wroteAt = StreamReader.tick;
  }

  /** Ends the response properly, after what is already queued, with a last frame (a retry delay). */
  end(last?: Frame): void {
    if (this.closed) return;
    if (last) this.write(last);
    if (this.chunked) this.socket.end(END_OF_CHUNKS);
    else this.socket.end();
  }

  destroy(): void {
    this.socket.destroy();
  }
}

/**
 * The event streams open on this instance, whatever they carry: admission (the cap, the heap's
 * high-water mark and the setups at once, past which new ones are refused with 503, so that
 * clients poll instead and come back later), heartbeats, dropping readers that stop reading, and
 * ending every stream when the instance drains.
 */
@Injectable()
export class EventStreams implements OnApplicationBootstrap, BeforeApplicationShutdown, OnApplicationShutdown {
  readonly maxConnections: number;
  readonly stats = { eventsSent: 0, droppedSlow: 0, refused: 0, refusedForMemory: 0 };
  readonly admission: StreamAdmission;
  private readonly streams = new Map<StreamReader, StreamKind>();
  private draining = false;
  /** Streams admitted, waiting for a setup slot or being set up, whose headers are not sent yet. */
  private starting = 0;
  private heartbeat?: NodeJS.Timeout;
  private pressureCheck?: NodeJS.Timeout;
  private readonly heartbeatMs: number;

  constructor(env: Environment) {
    this.maxConnections = env.LIVE_MAX_CONNECTIONS ?? defaultMaxConnections();
    this.heartbeatMs = (env.LIVE_HEARTBEAT_SECONDS ?? 15) * 1000;
    const setupConcurrency = env.LIVE_SETUP_CONCURRENCY ?? SETUP_CONCURRENCY;
    this.admission = new StreamAdmission({
      setupConcurrency,
      setupQueue: setupConcurrency * SETUP_QUEUE_FACTOR,
      heapHighWater:
        (getHeapStatistics().heap_size_limit * (env.LIVE_HEAP_HIGH_WATER_PERCENT ?? HEAP_HIGH_WATER_PERCENT)) / 100,
    });
  }

  count(kind?: StreamKind): number {
    if (!kind) return this.streams.size;
    let n = 0;
    for (const k of this.streams.values()) if (k === kind) n++;
    return n;
  }

  /**
   * Answers the request with an event stream, or refuses it with 503 and a jittered Retry-After
   * (before anything is allocated for it) when the instance is draining, full, short of heap, or
   * already setting up as many streams as it can at once. `prepare` (which may throw, a 404 say)
   * runs once the stream has a setup slot, and says what the stream follows; the reader joins it,
   * and leaves it once, whenever and however the stream ends. The slot is held until the stream's
   * headers are sent and its socket detached.
   */
  async open(
    request: FastifyRequest,
    reply: FastifyReply,
    kind: StreamKind,
    prepare: () => Follow | Promise<Follow>,
  ): Promise<void> {
    this.refuseIfUnable(reply, kind);
    // Moderators wait for a slot whatever the crowd of readers: they are few.
    const slot = this.admission.slot(kind === 'moderation');
    if (!slot) this.refuse(reply, 'busy');
    this.starting++;
    let reader: StreamReader | undefined;
    let follow: Follow | undefined;
    const release = await slot;
    try {
      this.refuseIfUnable(reply, kind, false); // the heap may have grown while it waited
      follow = await prepare();
      if (request.raw.socket.destroyed) return follow.leave(); // the client gave up while it waited
      if (this.draining) {
        follow.leave();
        this.refuse(reply, 'draining');
      }
      reader = this.start(request, reply, kind, follow);
    } finally {
      this.starting--;
      // Once detached, a stream holds little more than at rest: its catch-up is read outside its
      // channel's order, without holding a setup slot.
      release();
    }
    if (reader) joinDetached(reader, follow);
  }

  /** Streams about to start count against the cap as if open. */
  private refuseIfUnable(reply: FastifyReply, kind: StreamKind, count = true): void {
    const limit = kind === 'moderation' ? this.maxConnections + MODERATOR_RESERVE : this.maxConnections;
    if (this.draining) this.refuse(reply, 'draining');
    if (count && this.streams.size + this.starting >= limit) this.refuse(reply, 'full');
    if (this.admission.overHighWater()) this.refuse(reply, 'memory');
  }

  private refuse(reply: FastifyReply, reason: Refusal): never {
    this.stats.refused++;
    if (reason === 'memory') this.stats.refusedForMemory++;
    reply.header('Retry-After', String(this.admission.retryAfter(reason)));
    reply.header('Connection', 'close'); // an idle keep-alive socket would hold memory too
    throw new AppError(503, 'UNAVAILABLE', REFUSALS[reason]);
  }

  /** Takes the response out of Fastify's hands and sends the stream's headers. */
  private start(
    request: FastifyRequest,
    reply: FastifyReply,
    kind: StreamKind,
    follow: Follow,
  ): StreamReader | undefined {
    reply.hijack();
    const res = reply.raw;
    res.writeHead(200, {
      ...(reply.getHeaders() as OutgoingHttpHeaders),
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      'x-accel-buffering': 'no',
    });
    res.flushHeaders();
    const socket = res.socket!;
    const chunked = res.chunkedEncoding === true;
    detachSocket(request.raw, res, socket);
    socket.setNoDelay(true);
    const reader = new StreamReader(socket, chunked, this.dropSlow);
    this.streams.set(reader, kind);
    socket.on('close', () => {
      reader.closed = true;
      this.streams.delete(reader);
      follow.leave(reader);
    });
    if (request.method === 'HEAD') {
      reader.end();
      return undefined;
    }
    return reader;
  }

  private readonly dropSlow = (slow: StreamReader): void => {
    this.stats.droppedSlow++;
    slow.destroy();
  };

  countSent(readers: number, events: number): void {
    this.stats.eventsSent += readers * events;
  }

  onApplicationBootstrap(): void {
    this.heartbeat = setInterval(() => void this.beat(), this.heartbeatMs / HEARTBEAT_TICKS);
    this.heartbeat.unref();
    this.pressureCheck = setInterval(
      () => (StreamReader.underPressure = this.admission.overHighWater()),
      PRESSURE_CHECK_MS,
    );
    this.pressureCheck.unref();
  }

  /**
   * A heartbeat to each stream that carried nothing for a heartbeat interval (one with events
   * needs none: 19,000 writes at once would hold every event back for a third of a second), a
   * slice at a time.
   */
  private async beat(): Promise<void> {
    const now = ++StreamReader.tick;
    let sliceStart = performance.now();
    let k = 0;
    for (const reader of this.streams.keys()) {
      if (now - reader.wroteAt < HEARTBEAT_TICKS) continue;
      reader.write(HEARTBEAT);
      if (++k % 16 === 0 && performance.now() - sliceStart >= 2) {
        await new Promise((resolve) => setImmediate(resolve));
        sliceStart = performance.now();
      }
    }
  }

  /** Before the server closes: refuse new streams and end the open ones, so that their clients reconnect elsewhere, spread out. */
  beforeApplicationShutdown(): void {
    this.draining = true;
    clearInterval(this.heartbeat);
    clearInterval(this.pressureCheck);
    this.endAll();
  }

  /**
   * Ends every open stream, each telling its client to come back after a random delay of up to
   * 5 s. (Streams are detached from node:http, so its closeAllConnections() does not reach them.)
   */
  endAll(): void {
    for (const reader of this.streams.keys()) reader.end(Frame.of(`retry: ${Math.floor(Math.random() * 5000)}\n\n`));
  }

  onApplicationShutdown(): void {
    for (const reader of this.streams.keys()) reader.destroy();
  }
}

/**
 * Joins a stream to what it follows without keeping anything of its request meanwhile (a catch-up
 * may wait for the table while a crowd resumes). A reader that could not be caught up is let go:
 * it reconnects with its Last-Event-ID.
 */
function joinDetached(reader: StreamReader, follow: Follow): void {
  follow.join(reader).catch(() => reader.destroy());
}

/**
 * What this process can hold: its V8 heap (`--max-old-space-size`) less what the service needs
 * besides, and its open-files limit less a reserve, so that readers never starve the database
 * pool or ordinary requests of file descriptors.
 */
export function defaultMaxConnections(): number {
  const byMemory = Math.floor((getHeapStatistics().heap_size_limit - HEAP_BASE) / HEAP_PER_STREAM);
  const files = openFilesLimit();
  const byFiles = files === undefined ? Infinity : files - FILES_RESERVE;
  return Math.max(100, Math.min(byMemory, byFiles));
}

function openFilesLimit(): number | undefined {
  try {
    const line = readFileSync('/proc/self/limits', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('Max open files'));
    const soft = line?.split(/\s{2,}/)[1];
    return soft && /^\d+$/.test(soft) ? Number(soft) : undefined;
  } catch {
    return undefined; // not Linux: the memory bound alone
  }
}
