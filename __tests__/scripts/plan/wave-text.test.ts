import type { PlanCounts } from '../../../scripts/plan/summary';
import { stackPlanTexts } from '../../../scripts/plan/wave-text';

const legend = [
  'Terraform used the selected providers to generate the following execution',
  'plan. Resource actions are indicated with the following symbols:',
  '  + create',
  '',
  'Terraform will perform the following actions:',
  '',
];
const vpcBlock = [
  '  # module.dev-network.aws_vpc.main will be created',
  '  + resource "aws_vpc" "main" {',
  '      + cidr_block = "10.0.0.0/16"',
  '    }',
  '',
];
const topicBlock = [
  '  # module.dev-observability.aws_sns_topic.t will be created',
  '  + resource "aws_sns_topic" "t" {',
  '      + name = "alerts"',
  '    }',
  '',
];
const waveText = [
  ...legend,
  ...vpcBlock,
  ...topicBlock,
  'Plan: 2 to add, 0 to change, 0 to destroy.',
  '',
  'Changes to Outputs:',
  '  + dev-network--vpc_id     = (sensitive value)',
  '  + dev-observability--tags = {',
  '      + team = "platform"',
  '    }',
  '  + dev-observability--x    = "y"',
  '╷',
  '│ Warning: Argument is deprecated',
  '│ ',
  '│   with module.dev-network.aws_vpc.main,',
  '│   on stacks/dev-network/cdk.tf.json line 12, in resource "aws_vpc" "main":',
  '╵',
  '',
].join('\n');

function counts(add: number): PlanCounts {
  return { add, change: 0, destroy: 0, replaced: [], destroyed: [], actions: [] };
}

describe('stackPlanTexts', () => {
  test("each stack's text is its own plan: its resources, its Plan line, its outputs and its warnings", () => {
    const texts = stackPlanTexts(
      waveText,
      new Map([
        ['dev-network', counts(1)],
        ['dev-observability', counts(1)],
      ]),
    );
    expect(texts.get('dev-network')).toBe(
      [
        ...legend,
        '  # aws_vpc.main will be created',
        ...vpcBlock.slice(1),
        'Plan: 1 to add, 0 to change, 0 to destroy.',
        '',
        'Changes to Outputs:',
        '  + vpc_id = (sensitive value)',
        '',
        '╷',
        '│ Warning: Argument is deprecated',
        '│ ',
        '│   with aws_vpc.main,',
        '│   on cdk.tf.json line 12, in resource "aws_vpc" "main":',
        '╵',
        '',
      ].join('\n'),
    );
    expect(texts.get('dev-observability')).toBe(
      [
        ...legend,
        '  # aws_sns_topic.t will be created',
        ...topicBlock.slice(1),
        'Plan: 1 to add, 0 to change, 0 to destroy.',
        '',
        'Changes to Outputs:',
        '  + tags = {',
        '      + team = "platform"',
        '    }',
        '  + x    = "y"',
        '',
      ].join('\n'),
    );
  });

  test('a stack whose only changes are outputs reads as Terraform prints it', () => {
    const outputsOnly = [
      'Changes to Outputs:',
      '  + greeting = "hello"',
      '',
      'You can apply this plan to save these new output values to the Terraform',
      'state, without changing any real infrastructure.',
      '',
    ].join('\n');
    const withResources = [
      ...legend,
      ...vpcBlock,
      'Plan: 1 to add, 0 to change, 0 to destroy.',
      '',
      'Changes to Outputs:',
      '  + dev-network--vpc_id    = (sensitive value)',
      '  + dev-sibling--greeting = "hello"',
      '',
    ].join('\n');
    const texts = stackPlanTexts(
      withResources,
      new Map([
        ['dev-network', counts(1)],
        ['dev-sibling', counts(0)],
      ]),
    );
    expect(texts.get('dev-sibling')).toBe(outputsOnly);
    // A wave whose only changes are outputs has no legend and no Plan line at all.
    const onlyOutputs = [
      'Changes to Outputs:',
      '  + dev-other--count      = 1',
      '  + dev-sibling--greeting = "hello"',
      '',
      'You can apply this plan to save these new output values to the Terraform',
      'state, without changing any real infrastructure.',
      '',
    ].join('\n');
    const split = stackPlanTexts(
      onlyOutputs,
      new Map([
        ['dev-sibling', counts(0)],
        ['dev-other', counts(0)],
      ]),
    );
    expect(split.get('dev-sibling')).toBe(outputsOnly);
    expect(split.get('dev-other')).toBe(outputsOnly.replace('+ greeting = "hello"', '+ count = 1'));
  });

  test('a stack without changes says so', () => {
    const text = [...legend, ...vpcBlock, 'Plan: 1 to add, 0 to change, 0 to destroy.', ''].join('\n');
    const texts = stackPlanTexts(
      text,
      new Map([
        ['dev-network', counts(1)],
        ['dev-state', counts(0)],
      ]),
    );
    expect(texts.get('dev-state')).toBe('No changes. Your infrastructure matches the configuration.\n');
  });

  test.each([
    [
      'counts that do not add up to the Plan line',
      [1, 0],
      /do not add up to the wave's Plan line \(2\/0\/0\)/,
    ],
    ['counts that add up to more', [2, 1], /\(3\/0\/0\) do not add up/],
  ])('%s throw', (_, [first, second], message) => {
    const split = () =>
      stackPlanTexts(
        waveText,
        new Map([
          ['dev-network', counts(first as number)],
          ['dev-observability', counts(second as number)],
        ]),
      );
    expect(split).toThrow(message as RegExp);
  });

  test('a resource of a module outside the wave throws', () => {
    expect(() => stackPlanTexts(waveText, new Map([['dev-network', counts(2)]]))).toThrow(
      "the wave's plan names a module it did not call: dev-observability",
    );
  });

  test('a plan without its Plan line throws', () => {
    expect(() =>
      stackPlanTexts([...legend, ...vpcBlock].join('\n'), new Map([['dev-network', counts(1)]])),
    ).toThrow('the wave\'s plan has no "Plan:" or "No changes." line');
  });
});
