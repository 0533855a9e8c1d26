import { cdktfArchiverPath, lazyArchiver } from '../scripts/lazy-archiver';

/**
 * jest's setup (setupFiles) for each test file: cdktf's `archiver` is the stand-in that loads the real
 * library on first use, as scripts/lazy-archiver.ts makes it for a synth. jest keeps its own module
 * registry per test file, so the stand-in comes through jest.doMock (jest.mock would be hoisted above `file`) rather than Node's module cache.
 */
const file = cdktfArchiverPath();
if (file !== undefined) jest.doMock(file, () => lazyArchiver(() => jest.requireActual(file)));
