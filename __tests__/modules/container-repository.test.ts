import { Testing } from 'cdktf';
import { ContainerRepository, type ContainerRepositoryProps } from '../../modules/container-repository';

type Body = Record<string, unknown>;

function synthRepository(overrides: Partial<ContainerRepositoryProps> = {}) {
  let repository: ContainerRepository | undefined;
  const json = Testing.synthScope((scope) => {
    repository = new ContainerRepository(scope, 'app', {
      name: 'proj-dev/app',
      kmsKeyArn: 'arn:aws:kms:ap-northeast-1:123456789012:key/images',
      ...overrides,
    });
  });
  const config = JSON.parse(json) as { resource: Record<string, Record<string, Body>> };
  const [body] = Object.values(config.resource.aws_ecr_repository);
  const [lifecycle] = Object.values(config.resource.aws_ecr_lifecycle_policy);
  return { repository: repository!, body, policy: JSON.parse(lifecycle.policy as string) };
}

describe('ContainerRepository', () => {
  test('scans on push, keeps tags immutable and encrypts with the given key', () => {
    expect(synthRepository().body).toMatchObject({
      name: 'proj-dev/app',
      image_tag_mutability: 'IMMUTABLE',
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [
        { encryption_type: 'KMS', kms_key: 'arn:aws:kms:ap-northeast-1:123456789012:key/images' },
      ],
      force_delete: false,
    });
  });

  test('the lifecycle policy is valid JSON built from the settings', () => {
    const { policy } = synthRepository({ untaggedImageExpiryDays: 7, taggedImagesKept: 10 });
    expect(policy).toEqual({
      rules: [
        {
          rulePriority: 1,
          description: 'Expire untagged images 7 days after their push',
          selection: {
            tagStatus: 'untagged',
            countType: 'sinceImagePushed',
            countUnit: 'days',
            countNumber: 7,
          },
          action: { type: 'expire' },
        },
        {
          rulePriority: 2,
          description: 'Keep the last 10 tagged images',
          selection: {
            tagStatus: 'tagged',
            tagPatternList: ['*'],
            countType: 'imageCountMoreThan',
            countNumber: 10,
          },
          action: { type: 'expire' },
        },
      ],
    });
  });

  test('mutable tags are allowed, with a warning', () => {
    const { body, repository } = synthRepository({ mutableTags: true });
    expect(body.image_tag_mutability).toBe('MUTABLE');
    const warnings = repository.node.metadata.filter((entry) => entry.type === '@cdktf/warn');
    expect(warnings.map((entry) => entry.data)).toEqual([
      expect.stringContaining('proj-dev/app: tags are MUTABLE'),
    ]);
  });

  test('immutable tags give no warning', () => {
    expect(synthRepository().repository.node.metadata).toEqual([]);
  });

  test('setting forceDelete lets destroy remove a repository with images', () => {
    expect(synthRepository({ forceDelete: true }).body.force_delete).toBe(true);
  });

  test('a lifecycle count below 1 fails at construction', () => {
    expect(() => synthRepository({ taggedImagesKept: 0 })).toThrow(
      'taggedImagesKept must be a whole number of at least 1, got 0',
    );
  });
});
