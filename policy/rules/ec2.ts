/**
 * EC2 rules: encrypted EBS volumes, IMDSv2, and no public IP addresses for instances, tasks or subnets.
 */
import type { Rule } from '../rule';
import { block, blocks, isTrue } from '../synthesized';
import { failIf } from './helpers';

export const EC2_RULES: readonly Rule[] = [
  {
    id: 'GR-EBS-1',
    info: 'EBS volumes are encrypted (launch-template mappings, instance volumes, standalone volumes).',
    explanation:
      'A launch template without an encrypted mapping for the root device leaves the volume as the ' +
      'AMI has it (the Amazon Linux AMIs are unencrypted); map it with ebs.encrypted = true.',
    resourceTypes: ['aws_launch_template', 'aws_instance', 'aws_ebs_volume'],
    severity: 'error',
    check: (resource) => {
      const c = resource.config;
      if (resource.type === 'aws_ebs_volume') return failIf(!isTrue(c.encrypted), 'encrypted is not true');
      if (resource.type === 'aws_instance') {
        return [
          ...failIf(!isTrue(block(c.root_block_device).encrypted), 'root_block_device.encrypted is not true'),
          ...blocks(c.ebs_block_device)
            .filter((d) => !isTrue(d.encrypted))
            .map((d) => `ebs_block_device ${String(d.device_name)}: encrypted is not true`),
        ];
      }
      const mappings = blocks(c.block_device_mappings).filter((m) => blocks(m.ebs).length > 0);
      if (mappings.length === 0)
        return ['no block_device_mappings with ebs: the root volume is as the AMI has it'];
      return mappings
        .filter((m) => !isTrue(block(m.ebs).encrypted))
        .map((m) => `block_device_mappings ${String(m.device_name)}: ebs.encrypted is not true`);
    },
  },
  {
    id: 'GR-EC2-1',
    info: 'Instances require IMDSv2 (metadata_options.http_tokens = "required").',
    explanation:
      'IMDSv1 answers any request that reaches 169.254.169.254, which turns an SSRF in the application ' +
      'into the instance role credentials.',
    resourceTypes: ['aws_launch_template', 'aws_instance'],
    severity: 'error',
    check: (resource) => {
      const options = block(resource.config.metadata_options);
      if (options.http_endpoint === 'disabled') return [];
      return failIf(options.http_tokens !== 'required', 'metadata_options.http_tokens is not "required"');
    },
  },
  {
    id: 'GR-EC2-2',
    info: 'Instances and tasks get no public IP address (nor do subnets hand them out).',
    explanation:
      'Only load balancers and NAT gateways face the internet; instances and tasks live in private ' +
      'subnets and reach out through NAT or endpoints.',
    resourceTypes: ['aws_launch_template', 'aws_instance', 'aws_ecs_service', 'aws_subnet'],
    severity: 'error',
    check: (resource) => {
      const c = resource.config;
      switch (resource.type) {
        case 'aws_launch_template':
          return failIf(
            blocks(c.network_interfaces).some((n) => isTrue(n.associate_public_ip_address)),
            'a network interface sets associate_public_ip_address',
          );
        case 'aws_instance':
          return failIf(isTrue(c.associate_public_ip_address), 'associate_public_ip_address is true');
        case 'aws_ecs_service':
          return failIf(
            isTrue(block(c.network_configuration).assign_public_ip),
            'network_configuration.assign_public_ip is true',
          );
        default:
          return failIf(isTrue(c.map_public_ip_on_launch), 'map_public_ip_on_launch is true');
      }
    },
  },
];
