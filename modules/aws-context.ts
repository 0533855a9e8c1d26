/** Where a module's resources live: what it needs to write ARNs and key policies without AWS look-ups. */
export interface AwsContext {
  /** The 12-digit account id. */
  readonly accountId: string;
  /** The region code, e.g. `ap-northeast-1`. */
  readonly region: string;
  /** The ARN partition, e.g. `aws`. */
  readonly partition: string;
}

/** `arn:<partition>:iam::<account>:root`: the account as a principal. */
export function accountRootArn(context: AwsContext): string {
  return `arn:${context.partition}:iam::${context.accountId}:root`;
}
