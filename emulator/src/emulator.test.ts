// The emulator's HTTP server itself: how it treats connections (the routes have tests of their own).
import { Agent, request } from 'node:http';
import { expect } from 'vitest';
import { emulatorTest } from '../test/fixture.ts';

const test = emulatorTest({ logLevel: 'silent' });

test("an idle keep-alive connection outlives Node's 5 s default: a request 6 s later reuses it", { timeout: 20_000 }, async ({ emulator }) => {
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  const healthz = () =>
    new Promise<{ status: number | undefined; reused: boolean }>((resolve, reject) => {
      const req = request(`${emulator.url}/healthz`, { agent }, (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode, reused: req.reusedSocket }));
      });
      req.on('error', reject);
      req.end();
    });
  try {
    expect(await healthz()).toEqual({ status: 200, reused: false });
    await new Promise((resolve) => setTimeout(resolve, 6_000));
    // With the 5 s default the server has closed the socket by now, and a client that had
    // sent on it just then would have got ECONNRESET.
    expect(await healthz()).toEqual({ status: 200, reused: true });
  } finally {
    agent.destroy();
  }
});
