import { Testing } from 'cdktf';
import { TOKEN_TRACE_FRAMES, tokenTraceModule } from '../../scripts/shallow-token-traces';
import { NetworkStack } from '../../stacks/network-stack';
import { testApp, testEnvironment } from '../helpers';

describe('shallow token traces', () => {
  const traces = tokenTraceModule();

  test('this cdktf has the trace module the preload replaces, and it is replaced', () => {
    expect(traces).toBeDefined();
    expect(traces?.captureStackTrace.name).toBe('deferredCaptureStackTrace');
  });

  test('a trace keeps at most the kept frames, starting at its caller', () => {
    const trace = traces?.captureStackTrace() ?? [];
    expect(trace.length).toBeGreaterThan(0);
    expect(trace.length).toBeLessThanOrEqual(TOKEN_TRACE_FRAMES);
    expect(trace[0]).toContain('shallow-token-traces.test.ts');
  });

  test('the synthesized JSON is the same as with full traces', () => {
    const synthNetwork = () => Testing.synth(new NetworkStack(testApp(), { environment: testEnvironment() }));
    const shallow = synthNetwork();
    const original = traces?.captureStackTrace;
    try {
      if (traces) traces.captureStackTrace = () => new Error().stack?.split('\n').slice(1) ?? [];
      expect(synthNetwork()).toBe(shallow);
    } finally {
      if (traces && original) traces.captureStackTrace = original;
    }
  });
});
