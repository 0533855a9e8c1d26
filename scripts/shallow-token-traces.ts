/**
 * Preloaded by every synth (`npm run synth`, `cdktf synth`, jest). cdktf records an unbounded stack
 * trace, formatted as text, when it creates each token, only to say where a token was made if it
 * later fails to resolve; that was a third of a synth's time. Here each token keeps the innermost
 * frames (as many as a Node error's own trace), and V8 formats them only if cdktf ever reads them.
 * The synthesized Terraform JSON is the same either way (__tests__/scripts/shallow-token-traces.test.ts).
 */
import * as path from 'node:path';

/** Frames kept per token: as deep as Node's own error traces (`Error.stackTraceLimit` defaults to 10). */
export const TOKEN_TRACE_FRAMES = 10;

interface StackTraceModule {
  captureStackTrace: (below?: unknown) => string[];
}

/**
 * The frames above `below` as cdktf expects them (one `file:line` string each), captured now and
 * formatted on first use: V8 formats a captured trace only when its `stack` is read.
 */
function deferredCaptureStackTrace(below?: unknown): string[] {
  const holder: { stack?: string } = {};
  const previousLimit = Error.stackTraceLimit;
  Error.stackTraceLimit = TOKEN_TRACE_FRAMES;
  try {
    // eslint-disable-next-line @typescript-eslint/no-unsafe-function-type
    Error.captureStackTrace(holder, (below as Function | undefined) ?? deferredCaptureStackTrace);
  } finally {
    Error.stackTraceLimit = previousLimit;
  }
  const frames: string[] = [];
  let formatted = false;
  const format = (): string[] => {
    if (!formatted) {
      formatted = true;
      const lines = (holder.stack ?? '').split('\n').slice(1);
      frames.push(...lines.map((line) => line.replace(/^\s*at\s+/, '')));
    }
    return frames;
  };
  // Any look at the array (length, join, index, iteration) formats it first.
  return new Proxy(frames, {
    get: (_, property) => Reflect.get(format(), property),
    has: (_, property) => Reflect.has(format(), property),
    ownKeys: () => Reflect.ownKeys(format()),
    getOwnPropertyDescriptor: (_, property) => Reflect.getOwnPropertyDescriptor(format(), property),
  });
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
if (traces !== undefined) traces.captureStackTrace = deferredCaptureStackTrace;
