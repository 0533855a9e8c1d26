import { planSlots } from '../../../scripts/plan/slots';

describe('planSlots', () => {
  test('runs at most its limit at once, the rest in the order they asked', async () => {
    const slot = planSlots(2);
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const task = (id: number) => async () => {
      started.push(id);
      running++;
      most = Math.max(most, running);
      await new Promise((resolve) => setTimeout(resolve, 10));
      running--;
      return id;
    };
    const results = await Promise.all([1, 2, 3, 4, 5].map((id) => slot(task(id))));
    expect({ results, started, most }).toEqual({
      results: [1, 2, 3, 4, 5],
      started: [1, 2, 3, 4, 5],
      most: 2,
    });
  });
});
