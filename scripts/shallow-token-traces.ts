/**
 * Preloaded by every synth (`npm run synth`, `cdktf synth`, jest). cdktf records an unbounded stack
 * trace when it creates each token, only to say where a token was made if it later fails to
 * resolve; capturing and formatting those traces is a third of a synth's time. This keeps the
 * innermost frames, as deep as a Node error's own trace. The synthesized
 * Terraform JSON is the same either way (see __tests__/scripts/shallow-token-traces.test.ts).
 */
import * as path from 'node:path';

/** Frames kept per token: as deep as Node's own error traces (`Error.stackTraceLimit` defaults to 10). */
export const TOKEN_TRACE_FRAMES = 10;

interface StackTraceModule {
  captureStackTrace: (below?: unknown) => string[];
}

function shallowCaptureStackTrace(below?: unknown): string[] {
  const holder = { stack: '' };
  const previousLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = TOKEN_TRACE_FRAMES;
  try {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
    Error.captureStackTrace(holder, (below as Function | undefined) ?? shallowCaptureStackTrace);
  } finally {
    Error.stackTraceLimit = previousLimit;
  }
  return holder.stack
    .split('\n')
    .slice(1)
    .map((line) => line.replace(/^\s*at\s+/, ''));
}

/** The module cdktf's tokens call for their creation trace, or undefined if this cdktf has none. */
export function tokenTraceModule(): StackTraceModule | undefined {
  let file: string;
  try {
    file = require.resolve(path.join('cdktf', 'lib', 'tokens', 'private', 'stack-trace.js'));
  } catch {
    return undefined; // another cdktf layout: synth is slower, never wrong
  }
  return require(file) as StackTraceModule;
}

const traces = tokenTraceModule();
if (traces !== undefined) traces.captureStackTrace = shallowCaptureStackTrace;
