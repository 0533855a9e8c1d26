import { annotationLines } from '../../scripts/annotations';

describe('annotationLines', () => {
  test('one line per annotation, with its level and construct path', () => {
    expect(
      annotationLines({
        stacks: {
          'dev-network': { annotations: [] },
          'dev-compute': {
            annotations: [
              { constructPath: 'dev-compute', level: '@cdktf/warn', message: 'no domain configured' },
              { constructPath: 'dev-compute/x', level: '@cdktf/info', message: 'fyi' },
            ],
          },
          'dev-state': {},
        },
      }),
    ).toEqual(['Warning: dev-compute: no domain configured', 'Info: dev-compute/x: fyi']);
  });
});
