import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { App, TerraformStack } from 'cdktf';
import { ORIGINAL_SYNTHESIZE, synthesizerModule } from '../../scripts/resolve-once';
import { DataStack } from '../../stacks/data-stack';
import { NetworkStack } from '../../stacks/network-stack';
import { testEnvironment } from '../helpers';

const temporaryDirs: string[] = [];
afterAll(() => {
  for (const dir of temporaryDirs) rmSync(dir, { recursive: true, force: true });
});

/** The network and data stacks (with their guardrails) synthesized by `app.synth()`; their JSON and resolutions. */
function synthesizeApp(): { json: Record<string, string>; resolutions: number } {
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'resolve-once-'));
  temporaryDirs.push(outdir);
  const app = new App({ outdir, stackTraces: false });
  const environment = testEnvironment();
  const network = new NetworkStack(app, { environment });
  new DataStack(app, { environment, network });
  const toTerraform = TerraformStack.prototype.toTerraform;
  let resolutions = 0;
  const counting = jest.spyOn(TerraformStack.prototype, 'toTerraform').mockImplementation(function (
    this: TerraformStack,
  ) {
    resolutions++;
    return toTerraform.call(this);
  });
  try {
    app.synth();
  } finally {
    counting.mockRestore();
  }
  const json = Object.fromEntries(
    ['dev-network', 'dev-data'].map((stack) => [
      stack,
      readFileSync(path.join(outdir, 'stacks', stack, 'cdk.tf.json'), 'utf8'),
    ]),
  );
  return { json, resolutions };
}

describe('resolve once per synthesis', () => {
  const prototype = synthesizerModule()?.StackSynthesizer.prototype as
    ({ synthesize: unknown; [ORIGINAL_SYNTHESIZE]?: unknown } & object) | undefined;

  test('this cdktf has the synthesizer the preload patches, and it is patched', () => {
    expect(prototype?.[ORIGINAL_SYNTHESIZE]).toEqual(expect.any(Function));
  });

  test('each stack is resolved once (guardrails and the written file share it), and the JSON is the same', () => {
    const once = synthesizeApp();
    const patched = prototype?.synthesize;
    let twice: ReturnType<typeof synthesizeApp>;
    try {
      if (prototype) prototype.synthesize = prototype[ORIGINAL_SYNTHESIZE];
      twice = synthesizeApp();
    } finally {
      if (prototype) prototype.synthesize = patched;
    }
    expect({ once: once.resolutions, twice: twice.resolutions }).toEqual({ once: 2, twice: 4 });
    expect(once.json).toEqual(twice.json);
  });

  test('after a synth the stack resolves afresh', () => {
    const app = new App({ outdir: mkdtempSync(path.join(os.tmpdir(), 'resolve-once-')), stackTraces: false });
    temporaryDirs.push(app.outdir);
    const stack = new NetworkStack(app, { environment: testEnvironment() });
    app.synth();
    expect(Object.getOwnPropertyDescriptor(stack, 'toTerraform')).toBeUndefined();
  });
});
