// Shared helpers of the benchmark: paths, the compiled service's modules, text for comment bodies.
import { spawn } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer as createNetServer } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const BENCH_DIR = dirname(dirname(fileURLToPath(import.meta.url)));
export const ROOT = dirname(BENCH_DIR);
export const DIST = join(ROOT, 'dist');
export const require = createRequire(import.meta.url);

/** A module of the compiled service (npm run build first). */
export function requireDist(path) {
  try {
    return require(join(DIST, path));
  } catch (error) {
    if (error.code === 'MODULE_NOT_FOUND') {
      throw new Error(`${join('dist', path)} is missing: run "npm run build" first (npm run bench does).`);
    }
    throw error;
  }
}

export const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

/** Sentences that comment bodies are made of, seeded and posted alike; none holds a listed word. */
export const SENTENCES = [
  'This is the clearest explanation of the budget I have read so far.',
  'I am not sure the numbers in the third paragraph add up.',
  'Thanks for covering this, the local papers ignored it completely.',
  'My town went through exactly the same thing ten years ago.',
  'Has anyone asked the council what they plan to do about the bridge?',
  'The interview with the minister raised more questions than it answered.',
  'Good reporting, but the headline oversells it a little.',
  'I would like to see the full data behind the chart.',
  'We need more pieces like this and fewer opinion columns.',
  'Interesting, although the comparison with last year seems unfair.',
  'Does this apply to part-time workers as well?',
  'The photo gallery is excellent, especially the harbour shots.',
  'I disagree with most of it, but it is well argued.',
  'Can you correct the date in the caption? It says Tuesday.',
  'Prices in our street have doubled since the new line opened.',
  'The schools question deserves an article of its own.',
  'As a nurse I can confirm the waiting times are even longer.',
  'Nobody mentions the cost of maintenance, which is the real issue.',
  'Lovely to read something positive for a change.',
  'The map is wrong: the station is on the other side of the river.',
  'I remember when this was all fields, and honestly it was better.',
  'Well written, and the sources are linked, which I appreciate.',
  'What happens to the people who already signed the contracts?',
  'The committee meets again next month, so expect another twist.',
  'Fair summary, though the opposition view is missing.',
  'This will hit small businesses first, as always.',
  'My daughter studies there and the students are furious about it.',
  'Somebody should check how much the consultants were paid.',
  'Finally a journalist who reads the actual report.',
  'I think the long-term effects are being underestimated.',
  'The second half of the piece is much stronger than the first.',
  'Any chance of a follow-up once the vote has happened?',
];

export const LOREM = SENTENCES.join(' ');

/** Listed words for "rules on": made-up spam terms, so that nothing offensive sits in the repository. */
export const BANNED_WORDS = [
  'scamcoin',
  'clickfarm',
  'buyfollowers',
  'spamvertise',
  'cheapmeds',
  'casinobonus',
  'getrichquick',
  ...Array.from({ length: 193 }, (_, i) => `bannedterm${String(i).padStart(3, '0')}`),
];
export const SUSPECT_WORDS = [
  'idiot',
  'moron',
  'liar',
  'troll',
  'shill',
  'clown',
  'fraudster',
  'sheeple',
  ...Array.from({ length: 42 }, (_, i) => `suspectterm${String(i).padStart(2, '0')}`),
];

/** A unique body for the n-th posted comment: ~3% hold a suspect word, ~1% a banned one, 5% a link. */
export function postBody(n, tag) {
  let h = Math.imul(n ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  const next = () => (h = (Math.imul(h ^ (h >>> 13), 0xc2b2ae35) + 0x6b43a9b5) >>> 0);
  const count = 1 + (next() % 4);
  const parts = [];
  for (let i = 0; i < count; i++) parts.push(SENTENCES[next() % SENTENCES.length]);
  if (n % 33 === 5) parts.push('What an idiot.');
  if (n % 97 === 11) parts.push('Try scamcoin today.');
  if (n % 20 === 3) parts.push(`More at https://example.org/story/${n}`);
  parts.push(`(${tag} ${n})`);
  return parts.join(' ');
}

export function fmtInt(n) {
  return n === null || n === undefined || Number.isNaN(n) ? '-' : Math.round(n).toLocaleString('en-US');
}

export function fmtMs(n) {
  if (n === null || n === undefined || Number.isNaN(n)) return '-';
  return n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2);
}

/** A plain text table; numbers right-aligned. */
export function table(headers, rows) {
  const cells = [headers, ...rows].map((r) => r.map((c) => (c === null || c === undefined ? '' : String(c))));
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => r[i]?.length ?? 0)));
  const line = (r) =>
    r
      .map((c, i) => (/^[-+]?[\d.,]+[x%]?$|^-$/.test(c) && i > 0 ? c.padStart(widths[i]) : c.padEnd(widths[i])))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

/** A port that was free a moment ago, on the loopback. */
export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createNetServer()
      .once('error', reject)
      .listen(0, '127.0.0.1', () => {
        const { port } = server.address();
        server.close(() => resolve(port));
      });
  });
}

/** Waits for GET /api/health to answer 200, for at most a minute. */
export async function waitHealthy(origin) {
  const deadline = Date.now() + 60_000;
  while (Date.now() < deadline) {
    try {
      if ((await fetch(`${origin}/api/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(200);
  }
  throw new Error(`${origin} did not become healthy`);
}

/** The node flags that the npm script running the compiled `script` gives it (start:prod: the heap cap). */
export function nodeFlags(script) {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  const entry = `dist/${script.replace(/\.js$/, '')}`;
  const command = Object.values(scripts).find((c) => c.includes(entry));
  return (new RegExp(`node ((?:--\\S+ )*)${entry}`).exec(command ?? '')?.[1] ?? '').split(' ').filter(Boolean);
}

/**
 * The compiled service as `npm run start:prod` runs it, on `port`, healthy when this resolves.
 * `env`: what it needs besides (DATABASE_URL, JWT_SECRET, ...).
 */
export async function startService(port, env) {
  const child = spawn(process.execPath, [...nodeFlags('src/main.js'), join(DIST, 'src/main.js')], {
    env: { ...process.env, PORT: String(port), RATE_LIMITS: 'off', LOG_LEVEL: 'warn', NODE_ENV: 'production', ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  try {
    await waitHealthy(`http://127.0.0.1:${port}`);
  } catch (error) {
    child.kill('SIGTERM');
    throw error;
  }
  return child;
}

export function quantile(xs, q) {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}

/** Prints each target as met or MISSED, and writes the run to bench/results/<name>-latest.json. */
export function recordVerdicts(name, results, verdicts, log = console.log) {
  log('');
  for (const [what, ok] of verdicts) log(`${ok ? 'met    ' : 'MISSED '} ${what}`);
  results.verdicts = Object.fromEntries(verdicts);
  mkdirSync(join(BENCH_DIR, 'results'), { recursive: true });
  writeFileSync(join(BENCH_DIR, 'results', `${name}-latest.json`), JSON.stringify(results, null, 2));
}
