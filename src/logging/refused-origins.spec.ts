import pino from 'pino';
import { Writable } from 'node:stream';
import { refusedOriginLog } from './refused-origins';

describe('the log of origins that CORS refuses', () => {
  function setUp() {
    const lines: { level: number; origin: string; msg: string }[] = [];
    const out = new Writable({
      write(chunk, _encoding, done) {
        lines.push(JSON.parse(String(chunk)));
        done();
      },
    });
    let now = 0;
    const log = refusedOriginLog(['https://allowed.example'], pino({ level: 'info' }, out), () => now);
    return { lines, log, at: (ms: number) => (now = ms) };
  }

  it('says each refused origin once a minute at warn level, and never an allowed or same-host one', async () => {
    const { lines, log, at } = setUp();
    log('https://elsewhere.example', 'api.example');
    log('https://elsewhere.example', 'api.example');
    log('https://other.example', 'api.example');
    log('https://allowed.example', 'api.example');
    log('https://api.example', 'api.example');
    log(undefined, 'api.example');
    at(59_999);
    log('https://elsewhere.example', 'api.example');
    at(60_000);
    log('https://elsewhere.example', 'api.example');
    await new Promise((r) => setImmediate(r));
    expect(lines.map((l) => [l.level, l.origin])).toEqual([
      [40, 'https://elsewhere.example'],
      [40, 'https://other.example'],
      [40, 'https://elsewhere.example'],
    ]);
    expect(lines[0].msg).toContain('CORS_ORIGINS');
  });

  it('remembers a bounded number of origins, forgetting those said over a minute ago', async () => {
    const { lines, log, at } = setUp();
    for (let i = 0; i < 1001; i++) log(`https://s${i}.example`, 'api.example');
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(1000);
    at(60_000);
    log('https://late.example', 'api.example');
    await new Promise((r) => setImmediate(r));
    expect(lines.at(-1)!.origin).toBe('https://late.example');
  });
});
