import { takeMismatches } from './contract-recorder';

/**
 * After every test (and after a file's last hook, for answers that end late, such as event
 * streams closed by the app's shutdown): any answer that docs/openapi.json does not describe fails it.
 */
const failOnMismatches = () => {
  const found = takeMismatches();
  if (found.length > 0) {
    throw new Error(`The service answered what docs/openapi.json does not say:\n${found.join('\n')}`);
  }
};

afterEach(failOnMismatches);
afterAll(failOnMismatches);
