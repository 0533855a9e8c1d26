/**
 * Replacement rules: changes Terraform plans that AWS then refuses at apply.
 */
import type { Rule } from '../rule';
import { block, isSet, isTrue } from '../synthesized';

/**
 * Resources whose name AWS keeps unique (per VPC, account or region) and refuses a second one of:
 * EC2 CreateSecurityGroup (InvalidGroup.Duplicate), RDS CreateDBParameterGroup
 * (DBParameterGroupAlreadyExists), CreateOptionGroup (OptionGroupAlreadyExistsFault),
 * CreateDBSubnetGroup (DBSubnetGroupAlreadyExists), ELB CreateTargetGroup (DuplicateTargetGroupName),
 * EC2 CreateLaunchTemplate (AlreadyExistsException) and IAM CreateRole (EntityAlreadyExists).
 */
const UNIQUELY_NAMED = [
  'aws_security_group',
  'aws_db_parameter_group',
  'aws_db_option_group',
  'aws_db_subnet_group',
  'aws_lb_target_group',
  'aws_launch_template',
  'aws_iam_role',
];

export const REPLACEMENT_RULES: readonly Rule[] = [
  {
    id: 'GR-REP-1',
    info: 'Uniquely named resources that are created before destroyed take name_prefix, not a fixed name.',
    explanation:
      'create_before_destroy creates the replacement while the old resource still exists; with a fixed ' +
      'name AWS refuses it as a duplicate (security groups in a VPC, DB parameter and option groups, DB ' +
      'subnet groups, target groups, launch templates, IAM roles), so every forced replacement fails at ' +
      'apply. name_prefix lets Terraform generate a fresh name.',
    resourceTypes: UNIQUELY_NAMED,
    severity: 'error',
    check: (resource) =>
      isTrue(block(resource.config.lifecycle).create_before_destroy) && isSet(resource.config.name)
        ? [`create_before_destroy with the fixed name ${String(resource.config.name)}`]
        : [],
  },
];
