/**
 * cdktf, loaded when a test first uses it: loading it costs each test file a third of a second, and the
 * suites that test configuration or scripts alone never need it (helpers.ts, setup.ts).
 */
export function cdktf(): typeof import('cdktf') {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('cdktf');
}
