import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { RateLimitSettings } from './env.ts';
import { createRateLimiter, type RateLimiter, type RateLimitLog, RATE_LIMIT_WINDOW_SECONDS } from './rate-limit.ts';
import { startRedis, type RealRedis } from './testing/redis-server.ts';
import { freePort } from './testing/free-port.ts';

const settings = (init: [number, number], refresh: [number, number] = [0, 0]): RateLimitSettings => ({
  init: { perIp: init[0], perDeployment: init[1] },
  refresh: { perIp: refresh[0], perDeployment: refresh[1] },
});

const opened: RateLimiter[] = [];
afterEach(async () => {
  for (const item of opened.splice(0)) await item.close();
});

function limiter(rules: RateLimitSettings, extra: { redisUrl?: string; deploymentKey?: string; orchestration?: { perSecond: number; key: string } } = {}) {
  const logs: Array<Parameters<RateLimitLog>[0]> = [];
  const created = createRateLimiter(rules, {
    deploymentKey: extra.deploymentKey ?? 'IG1',
    redisUrl: extra.redisUrl,
    ...(extra.orchestration ? { orchestration: extra.orchestration } : {}),
    log: (entry) => logs.push(entry),
  });
  opened.push(created);
  return { limiter: created, logs };
}

async function run(rl: RateLimiter, route: 'init' | 'refresh', ip: string | undefined, times: number) {
  const decisions = [];
  for (let i = 0; i < times; i++) decisions.push(await rl.check(route, ip));
  return decisions;
}

describe('memory store', () => {
  it('allows perIp requests per minute from one IP, then refuses with a Retry-After within the window', async () => {
    const { limiter: rl } = limiter(settings([3, 100]));
    const decisions = await run(rl, 'init', '203.0.113.9', 4);
    expect(decisions.slice(0, 3)).toEqual([{ allowed: true }, { allowed: true }, { allowed: true }]);
    const refused = decisions[3]!;
    expect(refused).toMatchObject({ allowed: false, scope: 'ip' });
    if (refused.allowed) throw new Error('unreachable');
    expect(refused.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(refused.retryAfterSeconds).toBeLessThanOrEqual(RATE_LIMIT_WINDOW_SECONDS);
  });

  it('counts each IP separately', async () => {
    const { limiter: rl } = limiter(settings([1, 100]));
    expect(await rl.check('init', '203.0.113.9')).toEqual({ allowed: true });
    expect(await rl.check('init', '203.0.113.10')).toEqual({ allowed: true });
    expect((await rl.check('init', '203.0.113.9')).allowed).toBe(false);
  });

  it('counts an IPv6 /64 as one client', async () => {
    const { limiter: rl } = limiter(settings([1, 100]));
    expect(await rl.check('init', '2001:db8:1:2::a')).toEqual({ allowed: true });
    expect(await rl.check('init', '2001:db8:1:2::b')).toMatchObject({ allowed: false, scope: 'ip' });
  });

  it('caps the whole deployment across IPs', async () => {
    const { limiter: rl } = limiter(settings([100, 2]));
    expect(await rl.check('init', '192.0.2.1')).toEqual({ allowed: true });
    expect(await rl.check('init', '192.0.2.2')).toEqual({ allowed: true });
    expect(await rl.check('init', '192.0.2.3')).toMatchObject({ allowed: false, scope: 'deployment' });
  });

  it('does not spend deployment budget on requests an IP limit already refused', async () => {
    const { limiter: rl } = limiter(settings([1, 3]));
    await run(rl, 'init', '192.0.2.1', 10); // 1 allowed, 9 refused per IP
    expect(await rl.check('init', '192.0.2.2')).toEqual({ allowed: true });
    expect(await rl.check('init', '192.0.2.3')).toEqual({ allowed: true });
    expect(await rl.check('init', '192.0.2.4')).toMatchObject({ allowed: false, scope: 'deployment' });
  });

  it('keeps init and refresh budgets apart', async () => {
    const { limiter: rl } = limiter(settings([1, 100], [2, 100]));
    expect((await rl.check('init', '192.0.2.1')).allowed).toBe(true);
    expect((await rl.check('init', '192.0.2.1')).allowed).toBe(false);
    expect((await run(rl, 'refresh', '192.0.2.1', 3)).map((d) => d.allowed)).toEqual([true, true, false]);
  });

  it('treats 0 as no limit', async () => {
    const { limiter: rl } = limiter(settings([0, 0]));
    expect((await run(rl, 'init', '192.0.2.1', 50)).every((d) => d.allowed)).toBe(true);
  });

  it('applies only the deployment limit when the client IP is unknown, and says so once', async () => {
    const { limiter: rl, logs } = limiter(settings([1, 2]));
    expect((await run(rl, 'init', undefined, 3)).map((d) => d.allowed)).toEqual([true, true, false]);
    expect(logs.filter((l) => l.msg === 'client_ip_unknown')).toHaveLength(1);
  });

  it('never imports or connects to Redis without a URL', async () => {
    let connects = 0;
    const rl = createRateLimiter(settings([1, 1]), {
      deploymentKey: 'IG1',
      log: () => {},
      connectRedis: async () => {
        connects++;
        throw new Error('should not connect');
      },
    });
    opened.push(rl);
    await rl.check('init', '192.0.2.1');
    expect(connects).toBe(0);
  });
});

describe('orchestration slots (calls that start a Flex chat)', () => {
  async function slots(rl: RateLimiter, times: number) {
    const taken = [];
    for (let i = 0; i < times; i++) taken.push(await rl.takeOrchestrationSlot!());
    return taken;
  }

  it('hands out perSecond slots, then says how long until the next one (under a second)', async () => {
    const { limiter: rl } = limiter(settings([0, 0]), { orchestration: { perSecond: 2, key: 'AC1' } });
    const taken = await slots(rl, 3);
    expect(taken.slice(0, 2)).toEqual([{ allowed: true }, { allowed: true }]);
    const refused = taken[2]!;
    if (refused.allowed) throw new Error('expected the third slot in one second to be refused');
    expect(refused.retryAfterMs).toBeGreaterThan(0);
    expect(refused.retryAfterMs).toBeLessThanOrEqual(1000);
  });

  it('is off at 0 per second', async () => {
    const { limiter: rl } = limiter(settings([0, 0]), { orchestration: { perSecond: 0, key: 'AC1' } });
    expect((await slots(rl, 20)).every((slot) => slot.allowed)).toBe(true);
  });
});

describe('Redis store (ioredis against a real redis-server)', () => {
  let redis: RealRedis;
  beforeAll(async () => {
    redis = await startRedis();
  });
  afterAll(async () => {
    await redis?.close();
  });
  beforeEach(async () => {
    await redis.flush();
  });

  it('makes several instances share one limit', async () => {
    const a = limiter(settings([3, 100]), { redisUrl: redis.url }).limiter;
    const b = limiter(settings([3, 100]), { redisUrl: redis.url }).limiter;
    expect(await a.check('init', '203.0.113.9')).toEqual({ allowed: true });
    expect(await b.check('init', '203.0.113.9')).toEqual({ allowed: true });
    expect(await a.check('init', '203.0.113.9')).toEqual({ allowed: true });
    expect(await b.check('init', '203.0.113.9')).toMatchObject({ allowed: false, scope: 'ip' });
    expect(await redis.get('flexchat:rl:init:ip:203.0.113.9')).toBe('4');
    expect(await redis.get('flexchat:rl:init:deployment:IG1')).toBe('3');
  });

  it('keys the deployment limit by deployment, so deployments sharing a Redis do not share budgets', async () => {
    const one = limiter(settings([0, 1]), { redisUrl: redis.url, deploymentKey: 'IG1' }).limiter;
    const two = limiter(settings([0, 1]), { redisUrl: redis.url, deploymentKey: 'IG2' }).limiter;
    expect((await one.check('init', '192.0.2.1')).allowed).toBe(true);
    expect((await two.check('init', '192.0.2.1')).allowed).toBe(true);
    expect((await one.check('init', '192.0.2.1')).allowed).toBe(false);
  });

  it('counts orchestration slots for the whole cluster, per account', async () => {
    const orchestration = { perSecond: 3, key: 'AC1' };
    const a = limiter(settings([0, 0]), { redisUrl: redis.url, orchestration }).limiter;
    const b = limiter(settings([0, 0]), { redisUrl: redis.url, orchestration }).limiter;
    const other = limiter(settings([0, 0]), { redisUrl: redis.url, orchestration: { perSecond: 3, key: 'AC2' } }).limiter;
    const taken = [await a.takeOrchestrationSlot!(), await b.takeOrchestrationSlot!(), await a.takeOrchestrationSlot!(), await b.takeOrchestrationSlot!()];
    expect(taken.map((slot) => slot.allowed)).toEqual([true, true, true, false]);
    expect(await redis.get('flexchat:orch:AC1')).toBe('4');
    // Another account's budget is its own.
    expect(await other.takeOrchestrationSlot!()).toEqual({ allowed: true });
  });

  it('connects lazily: nothing happens until the first request', async () => {
    const { limiter: rl } = limiter(settings([3, 100]), { redisUrl: redis.url });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(await redis.connections()).toBe(0);
    await rl.check('init', '192.0.2.1');
    expect(await redis.connections()).toBe(1);
  });

  it('falls back to memory counters while Redis is down, and goes back to Redis when it returns', async () => {
    const { limiter: rl, logs } = limiter(settings([0, 3]), { redisUrl: redis.url });
    expect((await rl.check('init', '192.0.2.1')).allowed).toBe(true);
    await redis.kill();
    // Down: this instance counts alone, from its own memory (the documented loosening).
    expect((await run(rl, 'init', '192.0.2.1', 4)).map((d) => d.allowed)).toEqual([true, true, true, false]);
    await expect.poll(() => logs.some((l) => l.level === 'warn' && l.msg === 'redis_unavailable' && l.fallback === 'memory')).toBe(true);
    await redis.restart();
    await expect.poll(() => logs.some((l) => l.msg === 'redis_available'), { timeout: 10_000 }).toBe(true);
    // Back: counting in Redis again (a fresh server, so a fresh budget).
    expect((await run(rl, 'init', '192.0.2.1', 4)).map((d) => d.allowed)).toEqual([true, true, true, false]);
    expect(await redis.get('flexchat:rl:init:deployment:IG1')).toBe('4');
  });

  it('falls back to per-instance memory limits when Redis is unreachable, logging without the URL', async () => {
    // A port that was free a moment ago: connections are refused.
    const port = await freePort();

    const url = `redis://:hunter2-password@127.0.0.1:${port}`;
    const { limiter: rl, logs } = limiter(settings([2, 100]), { redisUrl: url });
    expect((await run(rl, 'init', '192.0.2.1', 3)).map((d) => d.allowed)).toEqual([true, true, false]);
    expect(logs).toContainEqual({ level: 'warn', msg: 'redis_unavailable', kind: 'ECONNREFUSED', fallback: 'memory' });
    expect(JSON.stringify(logs)).not.toContain('hunter2');
  });

  it('falls back to memory when the Redis client cannot be created', async () => {
    const logs: Array<Parameters<RateLimitLog>[0]> = [];
    const rl = createRateLimiter(settings([1, 100]), {
      deploymentKey: 'IG1',
      redisUrl: 'redis://127.0.0.1:1',
      log: (entry) => logs.push(entry),
      connectRedis: async () => {
        throw new TypeError('no client');
      },
    });
    opened.push(rl);
    expect((await run(rl, 'init', '192.0.2.1', 2)).map((d) => d.allowed)).toEqual([true, false]);
    expect(logs).toContainEqual({ level: 'error', msg: 'redis_client_failed', kind: 'TypeError', fallback: 'memory' });
  });
});
