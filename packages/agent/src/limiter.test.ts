import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Limiter } from './limiter.js';

test('a limiter runs at most its limit at once, the others in the order they came, and passes results and errors through', async () => {
  const limiter = new Limiter(2);
  let now = 0;
  let max = 0;
  let done = 0;
  const order: number[] = [];
  const gates: (() => void)[] = [];
  const runs = [0, 1, 2, 3, 4].map((i) =>
    limiter.run(async () => {
      now++;
      max = Math.max(max, now);
      order.push(i);
      await new Promise<void>((resolve) => gates.push(resolve));
      now--;
      done++;
      if (i === 3) throw new Error('three');
      return i * 10;
    }),
  );
  // Settled as they go, so the one that throws is handled at once.
  const settling = Promise.allSettled(runs);
  for (let turn = 0; turn < 200 && done < 5; turn++) {
    await new Promise((resolve) => setImmediate(resolve));
    gates.shift()?.();
  }
  const settled = await settling;
  assert.equal(max, 2);
  assert.deepEqual(order, [0, 1, 2, 3, 4]);
  assert.deepEqual(settled.map((s) => (s.status === 'fulfilled' ? s.value : (s.reason as Error).message)), [0, 10, 20, 'three', 40]);
});
