// The example worker: takes jobs from the Redis list `jobs`, computes the
// sum of squares up to n, and records the result.
import { hostname } from 'node:os';
import { redis } from './resp.mjs';

const host = process.env.REDIS_HOST ?? 'redis';
let db = redis(host);
let stopping = false;
process.on('SIGTERM', () => { stopping = true; });

while (!stopping) {
  try {
    const job = await db.command('BRPOP', 'jobs', '1');
    if (!job) continue;
    const n = Number(job[1]);
    let sum = 0;
    for (let i = 1; i <= n; i++) sum += i * i;
    await db.command('SET', 'last', `${sum} (n=${n}, by ${hostname()})`);
    await db.command('INCR', 'done');
    console.log(`worker: job n=${n} -> ${sum}`);
  } catch (err) {
    console.log(`worker: redis unavailable (${err.message}); retrying`);
    db = redis(host);
    await new Promise((r) => setTimeout(r, 1000));
  }
}
process.exit(0);
