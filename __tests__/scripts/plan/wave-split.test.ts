import type { PlanJson } from '../../../scripts/plan/offline';
import { countChanges } from '../../../scripts/plan/summary';
import { stackPlanJson, type WaveMember } from '../../../scripts/plan/wave-split';

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

  test('deferred changes are an error rather than left out', () => {
    const deferred = {
      ...wave,
      deferred_changes: [{ reason: 'instance_count_unknown', resource_change: {} }],
    };
    expect(() => stackPlanJson(deferred as PlanJson, network)).toThrow(
      "the wave's plan defers changes; the split does not place them",
    );
    expect(stackPlanJson({ ...wave, deferred_changes: [] } as PlanJson, network)).toMatchObject({
      deferred_changes: [],
    });
  });

  test('a module the wave did not call is an error, not an empty plan', () => {
    expect(() => stackPlanJson(wave, { ...network, module: 'dev-data' })).toThrow(
      'the wave\'s configuration has no module "dev-data"',
    );
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
