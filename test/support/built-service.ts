import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { TEST_JWT_SECRET } from './test-app';

const ROOT = join(__dirname, '..', '..');

/** The node flags `npm run start:prod` runs the service with (its heap cap among them). */
export function startProdFlags(): string[] {
  const { scripts } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));
  return /node ((?:--\S+ )*)dist\/src\/main/.exec(scripts['start:prod'])![1].trim().split(' ');
}

/**
 * The built service (dist/src/main, which the tests' global setup builds) in a process of its own,
 * on the given database and port; `flags` for node, `env` over the test defaults.
 */
export function startBuiltService(
  dbUrl: string,
  port: number,
  options: { flags?: string[]; env?: Record<string, string> } = {},
) {
  const child = spawn(process.execPath, [...(options.flags ?? []), 'dist/src/main'], {
    cwd: ROOT,
    env: {
      ...process.env,
      DATABASE_URL: dbUrl,
      JWT_SECRET: TEST_JWT_SECRET,
      PORT: String(port),
      RATE_LIMITS: 'off',
      LOG_LEVEL: 'warn',
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  let stdout = '';
  child.stdout!.on('data', (d) => {
    output += d;
    stdout += d;
  });
  child.stderr!.on('data', (d) => (output += d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  /** stdout's JSON lines (the log; `output` mixes stderr in, which may split a line). */
  const logLines = () =>
    stdout
      .split('\n')
      .slice(0, -1) // the last line may be under way
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, any>);
  return { child, exited, output: () => output, logLines };
}
