import { EcrLifecyclePolicy } from '@cdktf/provider-aws/lib/ecr-lifecycle-policy';
import { EcrRepository } from '@cdktf/provider-aws/lib/ecr-repository';
import { Annotations } from 'cdktf';
import { Construct } from 'constructs';

/** One rule of an ECR lifecycle policy (ECR user guide, "Lifecycle policy properties"). */
export interface LifecycleRule {
  readonly rulePriority: number;
  readonly description: string;
  readonly selection:
    | {
        readonly tagStatus: 'untagged';
        readonly countType: 'sinceImagePushed';
        readonly countUnit: 'days';
        readonly countNumber: number;
      }
    | {
        // ECR requires a tag prefix or pattern list with `tagged`.
        readonly tagStatus: 'tagged';
        readonly tagPatternList: readonly string[];
        readonly countType: 'imageCountMoreThan';
        readonly countNumber: number;
      };
  readonly action: { readonly type: 'expire' };
}

export interface ContainerRepositoryProps {
  /** Repository name, e.g. `aws-and-infra-dev/app`. */
  readonly name: string;
  /** KMS key that encrypts the images at rest. */
  readonly kmsKeyArn: string;
  /**
   * Let a tag be pushed again onto another image. A mutable tag makes "which image runs" depend on
   * when a task started; the construct warns at synth.
   * @default false (IMMUTABLE)
   */
  readonly mutableTags?: boolean;
  /** Days an untagged image is kept after its push. @default 14 */
  readonly untaggedImageExpiryDays?: number;
  /** Tagged images kept; older ones expire. @default 30 */
  readonly taggedImagesKept?: number;
  /** Let `terraform destroy` delete a repository that still holds images. @default false */
  readonly forceDelete?: boolean;
}

/**
 * An ECR repository that scans every push, keeps tags immutable unless told otherwise, encrypts
 * with a customer-managed key and expires old images by a lifecycle policy built from typed rules
 * (so it is valid JSON with unique priorities by construction, never empty).
 */
export class ContainerRepository extends Construct {
  readonly repository: EcrRepository;
  readonly arn: string;
  /** `<account>.dkr.ecr.<region>.amazonaws.com/<name>` */
  readonly url: string;
  readonly lifecycleRules: readonly LifecycleRule[];

  constructor(scope: Construct, id: string, props: ContainerRepositoryProps) {
    super(scope, id);
    const mutableTags = props.mutableTags ?? false;
    const untaggedImageExpiryDays = props.untaggedImageExpiryDays ?? 14;
    const taggedImagesKept = props.taggedImagesKept ?? 30;
    for (const [setting, value] of Object.entries({ untaggedImageExpiryDays, taggedImagesKept })) {
      if (!Number.isInteger(value) || value < 1) {
        throw new Error(`${this.node.path}: ${setting} must be a whole number of at least 1, got ${value}`);
      }
    }
    if (mutableTags) {
      Annotations.of(this).addWarning(
        `${props.name}: tags are MUTABLE, so a tag can point at a different image tomorrow; prefer immutable tags and a new tag per build`,
      );
    }

    this.repository = new EcrRepository(this, 'repository', {
      name: props.name,
      imageTagMutability: mutableTags ? 'MUTABLE' : 'IMMUTABLE',
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: 'KMS', kmsKey: props.kmsKeyArn }],
      forceDelete: props.forceDelete ?? false,
      tags: { Name: props.name },
    });
    this.arn = this.repository.arn;
    this.url = this.repository.repositoryUrl;

    this.lifecycleRules = [
      {
        rulePriority: 1,
        description: `Expire untagged images ${untaggedImageExpiryDays} days after their push`,
        selection: {
          tagStatus: 'untagged',
          countType: 'sinceImagePushed',
          countUnit: 'days',
          countNumber: untaggedImageExpiryDays,
        },
        action: { type: 'expire' },
      },
      {
        rulePriority: 2,
        description: `Keep the last ${taggedImagesKept} tagged images`,
        selection: {
          tagStatus: 'tagged',
          tagPatternList: ['*'],
          countType: 'imageCountMoreThan',
          countNumber: taggedImagesKept,
        },
        action: { type: 'expire' },
      },
    ];
    new EcrLifecyclePolicy(this, 'lifecycle-policy', {
      repository: this.repository.name,
      policy: JSON.stringify({ rules: this.lifecycleRules }),
    });
  }
}
