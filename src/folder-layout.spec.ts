import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');
const DEPCRUISE = join(ROOT, 'node_modules', 'dependency-cruiser', 'bin', 'dependency-cruise.mjs');

describe('the folders of src/', () => {
  it('keep the rules of .dependency-cruiser.cjs: no cycles, and low folders import no feature', () => {
    const run = spawnSync(process.execPath, [DEPCRUISE, 'src', 'migrations', '--config', '.dependency-cruiser.cjs'], {
      cwd: ROOT,
      encoding: 'utf8',
    });
    expect({ status: run.status, output: `${run.stdout}${run.stderr}` }).toEqual({
      status: 0,
      output: expect.any(String),
    });
  });
});
