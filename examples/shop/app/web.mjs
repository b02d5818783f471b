// The example web app: counts visits in Redis and queues jobs for workers.
//   GET /         visits, jobs queued and done, the last result
//   POST /jobs?n= queue a job (sum of squares up to n)
//   GET /healthz  200 when Redis answers
import { createServer } from 'node:http';
import { hostname } from 'node:os';
import { redis } from './resp.mjs';

const db = redis(process.env.REDIS_HOST ?? 'redis');
const port = Number(process.env.PORT ?? 8080);

createServer(async (req, res) => {
  try {
    const url = new URL(req.url, 'http://x');
    if (url.pathname === '/healthz') {
      res.end(String(await db.command('PING')));
    } else if (url.pathname === '/jobs' && req.method === 'POST') {
      const n = Number(url.searchParams.get('n') ?? 1000);
      const queued = await db.command('LPUSH', 'jobs', String(n));
      res.end(`queued job n=${n} (${queued} waiting)\n`);
    } else if (url.pathname === '/') {
      const hits = await db.command('INCR', 'hits');
      const done = (await db.command('GET', 'done')) ?? '0';
      const last = (await db.command('GET', 'last')) ?? '-';
      res.end(`${process.env.GREETING ?? 'hello'} from ${hostname()}: visits ${hits}, jobs done ${done}, last result ${last}\n`);
    } else {
      res.statusCode = 404;
      res.end('not found\n');
    }
  } catch (err) {
    res.statusCode = 503;
    res.end(`redis unavailable: ${err.message}\n`);
  }
}).listen(port, () => console.log(`web: listening on ${port}`));
