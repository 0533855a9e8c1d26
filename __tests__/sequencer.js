const Sequencer = require('@jest/test-sequencer').default;

/**
 * The suites that take longest, longest first (measured with `npx jest --json`; each runs Terraform or
 * Prettier in subprocesses). jest's own order runs the longest suites first once it has timed them, but on a
 * fresh clone (CI) it has no timings and orders by file size, which started the offline-plan suite, the
 * longest by far, 40 s into the run: whatever starts last bounds the run's end.
 */
const LONGEST_FIRST = [
  '__tests__/scripts/plan/pipeline.test.ts',
  '__tests__/scripts/terraform.test.ts',
  '__tests__/scripts/validate/one-pass.test.ts',
  '__tests__/scripts/docs.test.ts',
  '__tests__/stacks/observability-stack.test.ts',
];

/** jest's order, but a suite it has no timing of that is listed above goes first, in the order listed. */
class LongestFirst extends Sequencer {
  sort(tests) {
    const sorted = super.sort(tests);
    const rank = (test) => {
      if (test.duration != null) return -1;
      const relative = test.path
        .slice(test.context.config.rootDir.length + 1)
        .split('\\')
        .join('/');
      return LONGEST_FIRST.indexOf(relative);
    };
    const listed = sorted.filter((test) => rank(test) >= 0).sort((a, b) => rank(a) - rank(b));
    return [...listed, ...sorted.filter((test) => rank(test) < 0)];
  }
}

module.exports = LongestFirst;
module.exports.LONGEST_FIRST = LONGEST_FIRST;
