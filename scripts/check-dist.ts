// `npm run test:dist` (and .ci/run after `npm test`): the compiled token service
// as the container runs it, without Docker (no engine here). Reads the
// Dockerfile's runtime stage and does what it does in an empty folder: copies
// package.json, package-lock.json and the dist/ folders, runs its production
// install (npm ci --omit=dev), starts its CMD with its ENV against a real
// emulator and a real redis-server (host and port moved to a free loopback
// one), runs its HEALTHCHECK, and checks /healthz, /readyz, a chat start, the
// widget origin's static files with their generated headers and the Lambda entry.
// Prints one line per check; exits 1 on the first failure.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmulator } from '../emulator/src/emulator.ts';
import { createLogger } from '../emulator/src/log.ts';
import { startRedis } from '../server/src/testing/redis-server.ts';
import { freePort } from '../server/src/testing/free-port.ts';

const root = resolve(import.meta.dirname, '..');
const started = performance.now();
const seconds = () => ((performance.now() - started) / 1000).toFixed(1);

function check(ok: unknown, what: string): void {
  if (!ok) throw new Error(`check failed: ${what}`);
  console.log(`  ok  ${what}`);
}

/** The last stage of the Dockerfile: what the container runs. */
function runtimeStage(dockerfile: string) {
  const lines = dockerfile.replace(/\\\n/g, ' ').split('\n').map((line) => line.trim()).filter((line) => line && !line.startsWith('#'));
  const stages = lines.filter((line) => /^FROM\s/i.test(line)).length;
  const stage = lines.slice(lines.map((line) => /^FROM\s/i.test(line)).lastIndexOf(true) + 1);
  const env: Record<string, string> = {};
  for (const line of stage.filter((l) => /^ENV\s/i.test(l))) {
    for (const [, key, value] of line.slice(4).matchAll(/([A-Z_][A-Z0-9_]*)=(\S*)/g)) env[key as string] = value as string;
  }
  const json = (line: string | undefined, after: RegExp): string[] => JSON.parse(line?.replace(after, '') ?? '[]') as string[];
  return {
    stages,
    env,
    runs: stage.filter((l) => /^RUN\s/i.test(l)).map((l) => l.slice(4).trim()),
    copiedFromBuild: stage.flatMap((l) => /^COPY\s+--from=build\s+\/app\/(\S+)/i.exec(l)?.[1] ?? []),
    user: /^USER\s+(\S+)/im.exec(stage.join('\n'))?.[1],
    cmd: json(stage.find((l) => /^CMD\s/i.test(l)), /^CMD\s+/i),
    healthcheck: json(stage.find((l) => /^HEALTHCHECK\s/i.test(l)), /^HEALTHCHECK\s.*?CMD\s+/i),
  };
}

for (const built of ['dist/server/server/src/main.js', 'dist/server/flexchat.config.json', 'dist/server/widget-headers.json', 'dist/widget/index.html']) {
  if (!existsSync(resolve(root, built))) throw new Error(`${built} is missing: run \`npm run build\` first`);
}

const site = mkdtempSync(join(tmpdir(), 'flexchat-dist-'));
const cleanups: Array<() => Promise<unknown> | unknown> = [() => rmSync(site, { recursive: true, force: true })];
let exitCode = 0;
try {
  const docker = runtimeStage(readFileSync(resolve(root, 'Dockerfile'), 'utf8'));
  check(docker.stages >= 2, `Dockerfile: multi-stage (${docker.stages} stages)`);
  check(docker.user !== undefined && docker.user !== 'root' && docker.user !== '0', `Dockerfile: runs as a non-root user (${docker.user})`);
  check(docker.healthcheck.join(' ').includes('/healthz'), 'Dockerfile: HEALTHCHECK probes /healthz');
  console.log(`the Dockerfile's runtime stage in ${site}`);
  for (const file of ['package.json', 'package-lock.json']) cpSync(resolve(root, file), join(site, file));
  for (const folder of docker.copiedFromBuild) cpSync(resolve(root, folder), join(site, folder), { recursive: true });
  // The RUN steps get an npm cache of their own, as a fresh image has: the Dockerfile
  // cleans its cache afterwards, which must not empty this machine's.
  const cache = join(site, '.npm-cache');
  for (const run of docker.runs) {
    const install = spawnSync('sh', ['-c', run], {
      cwd: site,
      stdio: 'inherit',
      env: { ...process.env, npm_config_cache: cache },
    });
    check(install.status === 0, `RUN ${run} (${seconds()} s)`);
  }
  check(!existsSync(join(site, 'node_modules/tsx')) && !existsSync(join(site, 'node_modules/vite')), 'no dev dependency installed (tsx, vite)');

  process.env.EMULATOR_WEBCHAT_RATE_PER_SECOND = '0';
  const emulator = await startEmulator({ port: 0, agentDelayMs: -1, log: createLogger('emulator', 'silent') });
  cleanups.push(() => emulator.close());
  const redis = await startRedis();
  cleanups.push(() => redis.close());

  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const deployment = (await import(resolve(root, 'dist/server/flexchat.config.json'), { with: { type: 'json' } })).default as { widgetOrigin: string };
  const env = {
    PATH: process.env.PATH ?? '',
    ...docker.env,
    // Tests stay on loopback, on a port of their own.
    FLEXCHAT_TOKEN_PORT: String(port),
    FLEXCHAT_TOKEN_HOST: '127.0.0.1',
    FLEX_EMULATOR_URL: emulator.url,
    FLEXCHAT_REDIS_URL: redis.url,
  };
  const [command, ...args] = docker.cmd;
  check(command === 'node' && args.length > 0, `Dockerfile CMD: ${docker.cmd.join(' ')}`);
  const server = spawn(process.execPath, args, { cwd: site, env, stdio: ['ignore', 'pipe', 'inherit'] });
  cleanups.push(async () => {
    if (server.exitCode === null) {
      server.kill('SIGTERM');
      await once(server, 'exit');
    }
  });
  let output = '';
  server.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const deadline = Date.now() + 30_000;
  while (!output.includes('listening on')) {
    if (server.exitCode !== null) throw new Error(`the compiled server exited with ${server.exitCode}: ${output}`);
    if (Date.now() > deadline) throw new Error(`the compiled server did not start within 30 s: ${output}`);
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 100));
  }
  check(true, `${docker.cmd.join(' ')} listening (${seconds()} s): ${output.split('\n')[0]}`);
  const [healthCommand, ...healthArgs] = docker.healthcheck;
  const healthcheck = spawnSync(healthCommand === 'node' ? process.execPath : (healthCommand ?? 'false'), healthArgs, { cwd: site, env, timeout: 10_000 });
  check(healthcheck.status === 0, `HEALTHCHECK ${docker.healthcheck.slice(0, 2).join(' ')} … → exit 0`);

  const health = await fetch(`${url}/healthz`);
  check(health.status === 200 && ((await health.json()) as { status: string }).status === 'ok', 'GET /healthz → 200 ok');
  let ready: Response | undefined;
  while (Date.now() < deadline) {
    ready = await fetch(`${url}/readyz`);
    if (ready.status === 200) break;
    await ready.body?.cancel();
    await new Promise((resolvePromise) => setTimeout(resolvePromise, 250));
  }
  const readiness = (await ready?.json()) as { status: string; checks: Array<{ name: string; ok: boolean }> };
  check(ready?.status === 200 && readiness.status === 'ready', `GET /readyz → 200 ready (${readiness.checks.map((c) => `${c.name} ${c.ok ? 'ok' : 'failed'}`).join(', ')})`);

  const init = await fetch(`${url}/webchat/init`, {
    method: 'POST',
    headers: { origin: deployment.widgetOrigin, 'content-type': 'application/json' },
    body: JSON.stringify({ preEngagementData: { friendlyName: 'Dist Check', email: 'dist@example.com', question: 'Does the build run?' } }),
  });
  const chat = (await init.json()) as { conversationSid?: string };
  check(init.status === 200 && typeof chat.conversationSid === 'string' && emulator.model.get(chat.conversationSid).state === 'active', 'POST /webchat/init → 200, the conversation exists in Flex');
  check((await redis.get('flexchat:rl:init:deployment:IG00000000000000000000000000000001')) === '1', 'the init was counted in Redis');

  const page = await fetch(`${url}/`);
  const csp = page.headers.get('content-security-policy') ?? '';
  check(page.status === 200 && csp.includes('frame-ancestors') && (await page.text()).includes('<'), 'GET / → the widget document with its CSP (frame-ancestors)');
  const loader = await fetch(`${url}/loader.js`);
  check(loader.status === 200 && loader.headers.get('cache-control') === 'public, max-age=300', 'GET /loader.js → 200, short cache');

  // The Lambda entry from the same production install, with an API Gateway v2 event.
  const lambda = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `const { handler } = await import('./dist/server/server/src/runtimes/lambda-main.js');
       const result = await handler({ version: '2.0', routeKey: '$default', rawPath: '/healthz', rawQueryString: '', headers: { host: 'x.execute-api.eu-west-1.amazonaws.com' },
         requestContext: { http: { method: 'GET', path: '/healthz', protocol: 'HTTP/1.1', sourceIp: '203.0.113.1', userAgent: 'check' }, stage: '$default', domainName: 'x.execute-api.eu-west-1.amazonaws.com' }, isBase64Encoded: false });
       process.stdout.write(JSON.stringify(result));`,
    ],
    { cwd: site, env: { PATH: env.PATH, FLEX_EMULATOR_URL: emulator.url }, encoding: 'utf8' },
  );
  const lambdaResult = (() => {
    try {
      return JSON.parse(lambda.stdout) as { statusCode?: number; body?: string };
    } catch {
      return {};
    }
  })();
  check(lambda.status === 0 && lambdaResult.statusCode === 200, `Lambda handler (lambda-main.js) answers an API Gateway v2 /healthz event: ${lambdaResult.body ?? lambda.stderr.trim()}`);

  server.kill('SIGTERM');
  const [code] = (await once(server, 'exit')) as [number | null];
  check(code === 0, 'SIGTERM → clean exit 0');
  console.log(`compiled token service checked in ${seconds()} s`);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  exitCode = 1;
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup();
}
process.exit(exitCode);
