// The emulator's HTTP server itself: how it treats connections (the routes have tests of their own).
import { expect } from 'vitest';
import { emulatorTest } from '../test/fixture.ts';
import { twoRequestsIdleApart } from '../test/keep-alive.ts';

const test = emulatorTest({ logLevel: 'silent' });

test("an idle keep-alive connection outlives Node's 5 s default: a request 6 s later reuses it", { timeout: 20_000 }, async ({ emulator }) => {
  // With the 5 s default the server has closed the socket by then, and a client that had
  // sent on it just then would have got ECONNRESET.
  expect(await twoRequestsIdleApart(`${emulator.url}/healthz`, 6_000)).toEqual([
    { status: 200, reused: false },
    { status: 200, reused: true },
  ]);
});
