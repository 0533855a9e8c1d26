import { cdktf } from './lazy-cdktf';
import { CDKTF_MATCHERS, cdktfMatchers } from './setup';

const loaded = (ending: string) => Object.keys(require.cache).some((file) => file.endsWith(ending));

describe("cdktf in jest: loaded by the first test that uses it, with cdktf's matchers", () => {
  // First: nothing above loads cdktf, so a suite that never uses it never pays for loading it.
  test('a test file that has not used cdktf has not loaded it', () => {
    expect(loaded('/cdktf/lib/index.js')).toBe(false);
  });

  test('the stand-in matchers are the ones cdktf registers, and become them', () => {
    expect(Object.keys(cdktfMatchers()).sort()).toEqual([...CDKTF_MATCHERS].sort());
    expect(loaded('/cdktf/lib/index.js')).toBe(true);
  });

  test("a stand-in matcher answers as cdktf's: passes, fails with cdktf's message, and negates", () => {
    const { TerraformStack, Testing } = cdktf();
    // By path, after the first test: an import would load cdktf before it.
    /* eslint-disable @typescript-eslint/no-require-imports */
    const { Vpc } = require('@cdktf/provider-aws/lib/vpc') as typeof import('@cdktf/provider-aws/lib/vpc');
    const { S3Bucket } =
      require('@cdktf/provider-aws/lib/s3-bucket') as typeof import('@cdktf/provider-aws/lib/s3-bucket');
    /* eslint-enable @typescript-eslint/no-require-imports */
    const stack = new TerraformStack(Testing.app(), 'stack');
    new Vpc(stack, 'vpc', { cidrBlock: '10.0.0.0/16' });
    const json = Testing.synth(stack);
    expect(json).toHaveResourceWithProperties(Vpc, { cidr_block: '10.0.0.0/16' });
    expect(json).not.toHaveResource(S3Bucket);
    expect(() => expect(json).toHaveResource(S3Bucket)).toThrow(
      'Expected aws_s3_bucket with properties {} to be present in synthesized stack.',
    );
  });
});
