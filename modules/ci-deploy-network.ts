import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import type { DeployHelpers } from './ci-deploy-permissions';

/** The deploy role on the network and the web tier: VPC, EC2, load balancers, Auto Scaling. */
export function networkStatements({
  allow,
  arn,
  tagged,
  p,
  partition,
  region,
}: DeployHelpers): DataAwsIamPolicyDocumentStatement[] {
  return [
    allow(
      'CreateTaggedNetwork',
      'ec2',
      [
        'CreateVpc',
        'CreateSubnet',
        'CreateInternetGateway',
        'CreateNatGateway',
        'AllocateAddress',
        'CreateRouteTable',
        'CreateSecurityGroup',
        'CreateFlowLogs',
        'CreateVpcEndpoint',
        'CreateLaunchTemplate',
        'CreateNetworkAcl',
      ],
      ['*'],
      tagged('aws:RequestTag'),
    ),
    allow(
      'ChangeTaggedNetwork',
      'ec2',
      [
        'Modify*',
        'Delete*',
        'Associate*',
        'Disassociate*',
        'Attach*',
        'Detach*',
        'Authorize*',
        'Revoke*',
        'Replace*',
        'ReleaseAddress',
        'CreateRoute',
        'CreateLaunchTemplateVersion',
        'UpdateSecurityGroupRuleDescriptions*',
        'CreateTags',
        'DeleteTags',
      ],
      ['*'],
      tagged('aws:ResourceTag'),
    ),
    // Tags in the same call that creates the resource (EC2 User Guide, "Grant permission to tag
    // Amazon EC2 resources during creation").
    allow(
      'TagOnCreate',
      'ec2',
      ['CreateTags'],
      ['*'],
      [
        {
          test: 'StringLike',
          variable: 'ec2:CreateAction',
          values: ['Create*', 'AllocateAddress', 'RunInstances'],
        },
      ],
    ),
    // A VPC's default security group is created by EC2 without tags: adopting it (the provider's
    // aws_default_security_group) revokes its rules and tags it. Only untagged groups qualify.
    allow(
      'AdoptDefaultSecurityGroup',
      'ec2',
      ['CreateTags', 'RevokeSecurityGroupIngress', 'RevokeSecurityGroupEgress'],
      [arn('ec2', 'security-group/*')],
      [{ test: 'Null', variable: 'aws:ResourceTag/project', values: ['true'] }],
    ),
    // Auto Scaling checks that the caller may launch what the launch template describes.
    allow('LaunchWebInstances', 'ec2', ['RunInstances', 'CreateNetworkInterface'], ['*']),
    allow(
      'LoadBalancers',
      'elasticloadbalancing',
      [
        'Create*',
        'Delete*',
        'Modify*',
        'Set*',
        'AddTags',
        'RemoveTags',
        'RegisterTargets',
        'DeregisterTargets',
      ],
      [
        arn('elasticloadbalancing', `loadbalancer/app/${p}-*`),
        arn('elasticloadbalancing', `targetgroup/${p}-*`),
        arn('elasticloadbalancing', `listener/app/${p}-*`),
        arn('elasticloadbalancing', `listener-rule/app/${p}-*`),
      ],
    ),
    allow(
      'AutoScalingGroups',
      'autoscaling',
      [
        'CreateAutoScalingGroup',
        'UpdateAutoScalingGroup',
        'DeleteAutoScalingGroup',
        'PutScalingPolicy',
        'DeletePolicy',
        'CreateOrUpdateTags',
        'DeleteTags',
        'EnableMetricsCollection',
        'DisableMetricsCollection',
        'StartInstanceRefresh',
        'PutLifecycleHook',
        'DeleteLifecycleHook',
        'AttachLoadBalancerTargetGroups',
        'DetachLoadBalancerTargetGroups',
        'SetInstanceProtection',
      ],
      [arn('autoscaling', `autoScalingGroup:*:autoScalingGroupName/${p}-*`)],
    ),
    allow(
      'ServiceScaling',
      'application-autoscaling',
      [
        'RegisterScalableTarget',
        'DeregisterScalableTarget',
        'PutScalingPolicy',
        'DeleteScalingPolicy',
        'TagResource',
        'UntagResource',
      ],
      ['*'],
    ),
    allow(
      'LaunchTemplateImage',
      'ssm',
      ['GetParameters'],
      [`arn:${partition}:ssm:${region}::parameter/aws/service/*`],
    ),
  ];
}
