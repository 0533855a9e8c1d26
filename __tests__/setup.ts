// Declares cdktf's matchers on jest's Matchers (for `npm run build`); nothing is loaded at run time.
import type {} from 'cdktf/lib/testing/adapters/jest';
import { cdktf } from './lazy-cdktf';

/**
 * cdktf's matchers (toHaveResource, toHaveResourceWithProperties, toHaveDataSourceWithProperties, ...), as
 * `Testing.setupJest()` registers them, but cdktf loads only when a test first uses one (or anything else
 * of cdktf): the suites that never touch cdktf skip the third of a second loading it costs each test file.
 */
export const CDKTF_MATCHERS = [
  'toHaveResource',
  'toHaveResourceWithProperties',
  'toHaveDataSource',
  'toHaveDataSourceWithProperties',
  'toHaveProvider',
  'toHaveProviderWithProperties',
  'toBeValidTerraform',
  'toPlanSuccessfully',
] as const;

type Matcher = (this: jest.MatcherContext, ...args: unknown[]) => jest.CustomMatcherResult;

let registered: Record<string, Matcher> | undefined;

/** The matchers `Testing.setupJest()` registers, now registered in place of the stand-ins. */
export function cdktfMatchers(): Record<string, Matcher> {
  if (registered === undefined) {
    const extend = expect.extend;
    let matchers: Record<string, Matcher> = {};
    expect.extend = (given) => {
      matchers = given as Record<string, Matcher>;
    };
    try {
      cdktf().Testing.setupJest();
    } finally {
      expect.extend = extend;
    }
    expect.extend(matchers);
    registered = matchers;
  }
  return registered;
}

expect.extend(
  Object.fromEntries(
    CDKTF_MATCHERS.map((name) => [
      name,
      function (this: jest.MatcherContext, ...args: unknown[]) {
        return cdktfMatchers()[name].apply(this, args);
      },
    ]),
  ),
);
