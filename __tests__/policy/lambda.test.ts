import { runtimeRefusal } from '../../policy/rules/lambda';

describe('GR-LMB-1 runtime dates', () => {
  test('Lambda creates nodejs22.x functions up to the day before its block-create date', () => {
    expect(runtimeRefusal('nodejs22.x', '2027-05-31')).toBeUndefined();
  });

  test('Lambda refuses nodejs22.x from its block-create date', () => {
    expect(runtimeRefusal('nodejs22.x', '2027-06-01')).toBe(
      'runtime nodejs22.x is deprecated: Lambda refuses to create functions on it since 2027-06-01, and to update them soon after',
    );
  });

  test('nodejs20.x was refused from 2026-08-31', () => {
    expect(runtimeRefusal('nodejs20.x', '2026-08-30')).toBeUndefined();
    expect(runtimeRefusal('nodejs20.x', '2026-08-31')).toMatch(/^runtime nodejs20.x is deprecated/);
  });

  test('a Node.js runtime missing from the table is refused, another language is not judged', () => {
    expect(runtimeRefusal('nodejs16.x', '2020-01-01')).toBe(
      'runtime nodejs16.x is not in the table of Node.js runtimes Lambda supports (policy/rules/lambda.ts)',
    );
    expect(runtimeRefusal('python3.13', '2030-01-01')).toBeUndefined();
  });
});
