import type { DataAwsIamPolicyDocumentStatement } from '@cdktf/provider-aws/lib/data-aws-iam-policy-document';
import { IamOpenidConnectProvider } from '@cdktf/provider-aws/lib/iam-openid-connect-provider';
import { Construct } from 'constructs';
import type { AwsContext } from './aws-context';

/** GitHub Actions' token issuer (GitHub Docs, "OpenID Connect reference": the `iss` claim). */
export const GITHUB_OIDC_HOST = 'token.actions.githubusercontent.com';
/** The audience `aws-actions/configure-aws-credentials` requests (GitHub Docs, "Configuring OpenID Connect in Amazon Web Services"). */
export const STS_AUDIENCE = 'sts.amazonaws.com';

export interface GitHubOidcProviderProps {
  readonly context: AwsContext;
  /**
   * Create the provider; otherwise reference the one another stack of the account created. IAM
   * holds one provider per URL and account (CreateOpenIDConnectProvider fails with
   * EntityAlreadyExists), and its ARN is derived from the URL, so no look-up is needed.
   * @default true
   */
  readonly create?: boolean;
}

/**
 * The account's IAM OIDC identity provider for GitHub Actions. No thumbprint is given: IAM
 * verifies GitHub's JWKS endpoint against its library of trusted root CAs and no longer uses
 * thumbprints for GitHub (IAM API Reference, UpdateOpenIDConnectProviderThumbprint), and
 * CreateOpenIDConnectProvider makes `ThumbprintList` optional (the provider's `thumbprint_list` is
 * optional since hashicorp/aws 5.81).
 */
export class GitHubOidcProvider extends Construct {
  /** `arn:<partition>:iam::<account>:oidc-provider/token.actions.githubusercontent.com`. */
  readonly arn: string;
  readonly provider?: IamOpenidConnectProvider;

  constructor(scope: Construct, id: string, props: GitHubOidcProviderProps) {
    super(scope, id);
    const { partition, accountId } = props.context;
    if (props.create ?? true) {
      this.provider = new IamOpenidConnectProvider(this, 'provider', {
        url: `https://${GITHUB_OIDC_HOST}`,
        clientIdList: [STS_AUDIENCE],
      });
      this.arn = this.provider.arn;
    } else {
      this.arn = `arn:${partition}:iam::${accountId}:oidc-provider/${GITHUB_OIDC_HOST}`;
    }
  }
}

/** One job the sub claim names: repository, GitHub environment, workflow file and ref. */
export interface GitHubJob {
  /** `owner/name`. */
  readonly repository: string;
  readonly environment: string;
  /** `.github/workflows/<file>.yml`. */
  readonly workflowPath: string;
  /** `refs/heads/main`, or a pattern such as `refs/pull/*\/merge`. */
  readonly ref: string;
}

/**
 * The `sub` claim of a job when the repository's OIDC subject template is
 * `["repo", "context", "job_workflow_ref"]` (GitHub Docs, "OpenID Connect reference", customizing
 * the subject claims): `repo:<owner>/<name>:environment:<env>:job_workflow_ref:<owner>/<name>/<path>@<ref>`.
 */
export function githubSubject(job: GitHubJob): string {
  return `repo:${job.repository}:environment:${job.environment}:job_workflow_ref:${job.repository}/${job.workflowPath}@${job.ref}`;
}

/**
 * The trust statement of a role assumed by GitHub Actions jobs: the audience is STS, and the
 * subject is one of `jobs`. Exact subjects are compared with StringEquals; a subject with a
 * wildcard (a pull request's ref) needs StringLike. IAM evaluates `aud` and `sub` of GitHub's
 * tokens (IAM User Guide, "Configure a role for GitHub OIDC identity provider").
 */
export function githubTrustStatement(
  providerArn: string,
  jobs: readonly GitHubJob[],
): DataAwsIamPolicyDocumentStatement {
  const subjects = jobs.map(githubSubject);
  const wildcard = subjects.some((subject) => /[*?]/.test(subject));
  return {
    sid: 'GitHubActions',
    actions: ['sts:AssumeRoleWithWebIdentity'],
    principals: [{ type: 'Federated', identifiers: [providerArn] }],
    condition: [
      { test: 'StringEquals', variable: `${GITHUB_OIDC_HOST}:aud`, values: [STS_AUDIENCE] },
      {
        test: wildcard ? 'StringLike' : 'StringEquals',
        variable: `${GITHUB_OIDC_HOST}:sub`,
        values: subjects,
      },
    ],
  };
}
