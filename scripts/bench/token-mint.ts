// Per-token minting cost: the token service's minter (cached HMAC key object,
// server/src/access-token.ts) against twilio's own AccessToken#toJwt() for the
// same token, in the same run. A micro-benchmark, not a test: `npm run bench:mint`
// alone, or as part of `npm run bench:token`.
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import twilio from 'twilio';
import { localAccount } from '../../contracts/local-account.ts';
import { createChatTokenMinter } from '../../server/src/access-token.ts';
import { emitRows, type BenchRow } from './report.ts';

export interface MintCost {
  /** Microseconds per token, the service's minter (median of rounds). */
  oursUs: number;
  /** Microseconds per token, twilio AccessToken#toJwt() (median of rounds). */
  twilioUs: number;
  oursCount: number;
  twilioCount: number;
}

const issuer = {
  accountSid: localAccount.accountSid,
  apiKeySid: localAccount.apiKeySid,
  apiKeySecret: localAccount.apiKeySecret,
  serviceSid: localAccount.conversationsServiceSid,
};

/** Microseconds per call of `mint`, median of `rounds` rounds of `perRound` calls each (after one warm-up round). */
function perCallUs(mint: (i: number) => string, perRound: number, rounds: number): number {
  let sink = 0;
  const samples: number[] = [];
  for (let round = -1; round < rounds; round++) {
    const started = performance.now();
    for (let i = 0; i < perRound; i++) sink += mint(i).length;
    if (round >= 0) samples.push(((performance.now() - started) * 1000) / perRound);
  }
  if (sink === 0) throw new Error('nothing minted');
  samples.sort((a, b) => a - b);
  return samples[Math.floor(samples.length / 2)] as number;
}

export function measureMinting(): MintCost {
  const minter = createChatTokenMinter(issuer);
  const oursPerRound = 20_000;
  const twilioPerRound = 500;
  const rounds = 5;
  const oursUs = perCallUs((i) => minter(`visitor-${i}`, 3600).token, oursPerRound, rounds);
  const twilioUs = perCallUs(
    (i) => {
      const { AccessToken } = twilio.jwt;
      const token = new AccessToken(issuer.accountSid, issuer.apiKeySid, issuer.apiKeySecret, { identity: `visitor-${i}`, ttl: 3600 });
      token.addGrant(new AccessToken.ChatGrant({ serviceSid: issuer.serviceSid }));
      return token.toJwt();
    },
    twilioPerRound,
    rounds,
  );
  return { oursUs, twilioUs, oursCount: oursPerRound * rounds, twilioCount: twilioPerRound * rounds };
}

export const MINT_GOAL_US = 50;

export function mintRow(cost: MintCost, command: string): BenchRow {
  return {
    group: 'token service',
    figure: 'minting one chat token (AccessToken + ChatGrant, HS256), per token',
    value: `${cost.oursUs.toFixed(1)} µs`,
    comparison: `twilio AccessToken#toJwt(): ${cost.twilioUs.toFixed(0)} µs (${(cost.twilioUs / cost.oursUs).toFixed(0)}× the cost)`,
    goal: `≤ ${MINT_GOAL_US} µs`,
    met: cost.oursUs <= MINT_GOAL_US,
    command: `${command} (median of 5 rounds: ${cost.oursCount} / ${cost.twilioCount} tokens)`,
  };
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  emitRows([mintRow(measureMinting(), 'npm run bench:mint')]);
}
