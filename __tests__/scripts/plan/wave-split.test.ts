import type { PlanJson } from '../../../scripts/plan/offline';
import { countChanges, type PlanCounts } from '../../../scripts/plan/summary';
import { stackPlanJson, stackPlanTexts, type WaveMember } from '../../../scripts/plan/wave-split';

const network: WaveMember = {
  module: 'dev-network',
  providerKeys: { 'aws.dev-network': 'aws' },
  providerVersions: { aws: '5.100.0' },
};
const observability: WaveMember = {
  module: 'dev-observability',
  providerKeys: { 'aws.dev-observability': 'aws', 'aws.dev-observability--billing': 'aws.billing' },
  providerVersions: { aws: '5.100.0' },
};

const create = { actions: ['create'] };
/** What `terraform show -json` gives for a root calling the two stacks (trimmed to what matters). */
const wave = {
  format_version: '1.2',
  terraform_version: '1.11.4',
  planned_values: {
    outputs: {
      'dev-network--vpc_id': { sensitive: true },
      'dev-observability--topic': { sensitive: false },
    },
    root_module: {
      child_modules: [
        {
          address: 'module.dev-network',
          resources: [{ address: 'module.dev-network.aws_vpc.main', type: 'aws_vpc', name: 'main' }],
        },
        {
          address: 'module.dev-observability',
          resources: [{ address: 'module.dev-observability.aws_sns_topic.t', type: 'aws_sns_topic' }],
        },
      ],
    },
  },
  resource_changes: [
    {
      address: 'module.dev-network.aws_vpc.main',
      module_address: 'module.dev-network',
      mode: 'managed',
      type: 'aws_vpc',
      change: create,
    },
    {
      address: 'module.dev-network.data.aws_iam_policy_document.p',
      module_address: 'module.dev-network',
      mode: 'data',
      type: 'aws_iam_policy_document',
      change: { actions: ['read'] },
    },
    {
      address: 'module.dev-observability.aws_sns_topic.t',
      module_address: 'module.dev-observability',
      mode: 'managed',
      type: 'aws_sns_topic',
      change: create,
    },
  ],
  output_changes: {
    'dev-network--vpc_id': { actions: ['create'], after_unknown: true },
    'dev-observability--topic': { actions: ['create'], after: 'alerts' },
  },
  relevant_attributes: [
    { resource: 'module.dev-network.aws_vpc.main', attribute: ['id'] },
    { resource: 'module.dev-observability.aws_sns_topic.t', attribute: ['arn'] },
  ],
  configuration: {
    provider_config: {
      'aws.dev-network': {
        name: 'aws',
        full_name: 'registry.terraform.io/hashicorp/aws',
        alias: 'dev-network',
      },
      'aws.dev-observability': { name: 'aws', alias: 'dev-observability', expressions: { region: {} } },
      'aws.dev-observability--billing': {
        name: 'aws',
        alias: 'dev-observability--billing',
        expressions: { region: { constant_value: 'us-east-1' } },
      },
      'module.dev-network:terraform': {
        name: 'terraform',
        full_name: 'terraform.io/builtin/terraform',
        module_address: 'module.dev-network',
      },
    },
    root_module: {
      outputs: { 'dev-network--vpc_id': { sensitive: true } },
      module_calls: {
        'dev-network': {
          source: './stacks/dev-network',
          module: {
            outputs: { vpc_id: { sensitive: true, expression: { constant_value: '${aws_vpc.main.id}' } } },
            resources: [
              { address: 'aws_vpc.main', provider_config_key: 'aws.dev-network' },
              {
                address: 'data.terraform_remote_state.r',
                provider_config_key: 'module.dev-network:terraform',
              },
            ],
          },
        },
        'dev-observability': {
          source: './stacks/dev-observability',
          module: {
            resources: [
              { address: 'aws_budgets_budget.b', provider_config_key: 'aws.dev-observability--billing' },
            ],
          },
        },
      },
    },
  },
  timestamp: '2026-11-30T00:00:00Z',
  applyable: true,
  complete: true,
  errored: false,
} as unknown as PlanJson;

describe('stackPlanJson', () => {
  test("a stack's part of the wave, with its own addresses, output names and provider keys", () => {
    expect(stackPlanJson(wave, network)).toEqual({
      format_version: '1.2',
      terraform_version: '1.11.4',
      planned_values: {
        outputs: { vpc_id: { sensitive: true } },
        root_module: {
          resources: [{ address: 'aws_vpc.main', type: 'aws_vpc', name: 'main' }],
        },
      },
      resource_changes: [
        { address: 'aws_vpc.main', mode: 'managed', type: 'aws_vpc', change: create },
        {
          address: 'data.aws_iam_policy_document.p',
          mode: 'data',
          type: 'aws_iam_policy_document',
          change: { actions: ['read'] },
        },
      ],
      output_changes: { vpc_id: { actions: ['create'], after_unknown: true } },
      relevant_attributes: [{ resource: 'aws_vpc.main', attribute: ['id'] }],
      configuration: {
        provider_config: {
          aws: {
            name: 'aws',
            full_name: 'registry.terraform.io/hashicorp/aws',
            version_constraint: '5.100.0',
          },
          terraform: { name: 'terraform', full_name: 'terraform.io/builtin/terraform' },
        },
        root_module: {
          outputs: { vpc_id: { sensitive: true, expression: { constant_value: '${aws_vpc.main.id}' } } },
          resources: [
            { address: 'aws_vpc.main', provider_config_key: 'aws' },
            { address: 'data.terraform_remote_state.r', provider_config_key: 'terraform' },
          ],
        },
      },
      timestamp: '2026-11-30T00:00:00Z',
      applyable: true,
      complete: true,
      errored: false,
    });
  });

  test('an aliased provider keeps its own alias; another stack of the wave is left out', () => {
    const plan = stackPlanJson(wave, observability) as unknown as {
      configuration: { provider_config: object; root_module: object };
      resource_changes: { address: string }[];
      output_changes: object;
    };
    expect(plan.configuration.provider_config).toEqual({
      aws: { name: 'aws', expressions: { region: {} }, version_constraint: '5.100.0' },
      'aws.billing': {
        name: 'aws',
        alias: 'billing',
        expressions: { region: { constant_value: 'us-east-1' } },
        version_constraint: '5.100.0',
      },
    });
    expect(plan.configuration.root_module).toEqual({
      resources: [{ address: 'aws_budgets_budget.b', provider_config_key: 'aws.billing' }],
    });
    expect(plan.resource_changes.map((change) => change.address)).toEqual(['aws_sns_topic.t']);
    expect(plan.output_changes).toEqual({ topic: { actions: ['create'], after: 'alerts' } });
  });

  test('a module the wave did not call is an error, not an empty plan', () => {
    expect(() => stackPlanJson(wave, { ...network, module: 'dev-data' })).toThrow(
      'the wave\'s configuration has no module "dev-data"',
    );
  });
});

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

  test('the counts come from the stack part of the plan JSON, as for a stack planned alone', () => {
    expect(countChanges(stackPlanJson(wave, network))).toMatchObject({
      add: 1,
      change: 0,
      destroy: 0,
      actions: ['+ aws_vpc.main'],
    });
  });
});
