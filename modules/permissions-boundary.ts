import { IamRole } from '@cdktf/provider-aws/lib/iam-role';
import type { IAspect } from 'cdktf';
import type { IConstruct } from 'constructs';

/**
 * Puts a permissions boundary on every IAM role of a scope that has none. The deploy role may
 * only create and change roles that carry its boundary (`modules/ci-identity-permissions.ts`),
 * so every role the stacks declare must name it, including roles other modules add later.
 */
export class PermissionsBoundary implements IAspect {
  constructor(private readonly boundaryArn: string) {}

  visit(node: IConstruct): void {
    if (node instanceof IamRole && node.permissionsBoundaryInput === undefined) {
      node.permissionsBoundary = this.boundaryArn;
    }
  }
}
