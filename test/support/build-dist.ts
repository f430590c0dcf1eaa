import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(__dirname, '..', '..');

/**
 * Builds dist/ (as `npm run build` does) unless it is newer than every source file: some tests run
 * the built service, whose OpenAPI document carries what the Nest CLI's plugin adds at build time.
 * Once per run, before the test files start, so that no two of them build at once.
 */
export function buildDistIfStale(): void {
  const newest = (path: string): number =>
    statSync(path).isDirectory()
      ? Math.max(0, ...readdirSync(path).map((f) => newest(join(path, f))))
      : statSync(path).mtimeMs;
  const main = join(ROOT, 'dist', 'src', 'main.js');
  const fresh =
    existsSync(main) && statSync(main).mtimeMs > Math.max(newest(join(ROOT, 'src')), newest(join(ROOT, 'migrations')));
  if (!fresh) execFileSync('npm', ['run', 'build'], { cwd: ROOT, stdio: 'pipe', timeout: 300_000 });
}
