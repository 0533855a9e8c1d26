import type { StackDiagnostic } from '../../../scripts/validate/one-pass';
import { diagnosticLines } from '../../../scripts/validate/report';

const diagnostic = (overrides: Partial<StackDiagnostic>): StackDiagnostic => ({
  severity: 'warning',
  stack: 'dev-data',
  address: 'data.terraform_remote_state.network',
  location: 'cdk.tf.json:10',
  summary: 'Deprecated Parameter',
  detail: 'The parameter "x" is deprecated.',
  ...overrides,
});

describe('diagnosticLines', () => {
  test('an error is printed whole, naming stack, resource, construct and line', () => {
    expect(
      diagnosticLines([
        diagnostic({
          severity: 'error',
          stack: 'dev-network',
          address: 'aws_vpc.main',
          constructPath: 'dev-network/network/vpc',
          location: 'cdk.tf.json:8',
          summary: 'Extraneous JSON object property',
          detail: 'No argument or block type\nis named "bogus".\n\nA second paragraph.',
        }),
      ]),
    ).toEqual([
      'ERROR  dev-network aws_vpc.main (dev-network/network/vpc) cdk.tf.json:8',
      '    Extraneous JSON object property: No argument or block type is named "bogus".',
    ]);
  });

  test('the same warning in many places is one entry listing the first four places', () => {
    const places = ['a', 'b', 'c', 'd', 'e', 'f'].map((name) => diagnostic({ stack: `dev-${name}` }));
    expect(diagnosticLines([...places, diagnostic({ summary: 'Other', detail: '' })])).toEqual([
      'warning (6x)  Deprecated Parameter: The parameter "x" is deprecated.',
      '    in dev-a data.terraform_remote_state.network cdk.tf.json:10; dev-b data.terraform_remote_state.network cdk.tf.json:10; ' +
        'dev-c data.terraform_remote_state.network cdk.tf.json:10; dev-d data.terraform_remote_state.network cdk.tf.json:10, and 2 more',
      'warning (1x)  Other',
      '    in dev-data data.terraform_remote_state.network cdk.tf.json:10',
    ]);
  });

  test('a diagnostic without a file says so instead of naming a stack', () => {
    expect(
      diagnosticLines([
        diagnostic({
          severity: 'error',
          stack: undefined,
          address: undefined,
          location: undefined,
          summary: 'Boom',
        }),
      ]),
    ).toEqual(['ERROR  (no stack)', '    Boom: The parameter "x" is deprecated.']);
  });
});
