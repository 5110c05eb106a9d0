// doctor and setup for a deployment on Twilio's hosted init: the deployment key
// and the widget origin, checked against the emulator, with the console steps.
import { describe, expect } from 'vitest';
import { emulatorTest } from '../../emulator/test/fixture.ts';
import type { RunningEmulator } from '../../emulator/src/emulator.ts';
import type { HostedSource } from '../../config/token-source.ts';
import { runDoctor } from './doctor.ts';
import { checkHostedDeployment } from './hosted-check.ts';
import { runSetup } from './setup.ts';

const WIDGET = 'https://chat.example.com';
const KEY = 'CV' + 'ef'.repeat(16);
const source: HostedSource = { type: 'hosted', deploymentKey: KEY, region: 'us1' };

const it = emulatorTest({ logLevel: 'silent' });
it.beforeAll(async ({ emulator }) => {
  const response = await fetch(`${emulator.url}/agent/deployment-keys`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ key: KEY, allowedOrigins: ['https://shop.example.com', WIDGET] }),
  });
  expect(response.status).toBe(201);
});

describe('checkHostedDeployment against the emulator', () => {
  it('passes a known key whose allowed origins list the widget origin', async ({ emulator }) => {
    const findings = await checkHostedDeployment(source, WIDGET, { emulatorUrl: emulator.url });
    expect(findings.map((f) => f.status)).toEqual(['ok', 'ok']);
    expect(findings[1]?.message).toContain(`the widget origin ${WIDGET} is among the key's 2 allowed origins`);
  });

  it('names a widget origin the key does not allow, with the console step and the local fix', async ({ emulator }) => {
    const findings = await checkHostedDeployment(source, 'https://other.example.com', { emulatorUrl: emulator.url });
    const problem = findings.find((f) => f.status === 'problem');
    expect(problem?.message).toContain('https://other.example.com is not among the allowed origins');
    expect(problem?.fix).toContain('Twilio Console → Flex → Channel management → Webchat → your deployment key → Allowed origins: add https://other.example.com');
    expect(problem?.fix).toContain(`${emulator.url}/agent/deployment-keys/${KEY}`);
  });

  it('names an unknown key, with how to create one', async ({ emulator }) => {
    const findings = await checkHostedDeployment({ ...source, deploymentKey: 'CV' + '0'.repeat(32) }, WIDGET, { emulatorUrl: emulator.url });
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ status: 'problem', message: expect.stringContaining('is not one of the emulator') });
    expect(findings[0]?.fix).toContain('Create deployment key');
  });

  it('against real Twilio, says what to check in the console', async () => {
    const findings = await checkHostedDeployment({ ...source, region: 'ie1' }, WIDGET);
    expect(findings).toEqual([expect.objectContaining({ status: 'warning', fix: expect.stringContaining(`allowed origins must include ${WIDGET}`) })]);
  });
});

describe('doctor and setup in local mode', () => {
  const env = (emulator: RunningEmulator) => ({ FLEX_EMULATOR_URL: emulator.url, FLEXCHAT_ALLOWED_ORIGINS: WIDGET });

  it('doctor checks the hosted deployment and fails on a disallowed widget origin', async ({ emulator }) => {
    const lines: string[] = [];
    const good = await runDoctor(env(emulator), { out: (line) => lines.push(line) }, { hosted: { source, widgetOrigin: WIDGET } });
    expect(good.exitCode).toBe(0);
    expect(lines.join('\n')).toContain(`✔ hosted init: deployment key ${KEY} exists`);
    const bad = await runDoctor(env(emulator), { out: () => {} }, { hosted: { source, widgetOrigin: 'http://127.0.0.1:9999' } });
    expect(bad.exitCode).toBe(1);
    expect(bad.findings.filter((f) => f.status === 'problem').map((f) => f.message)).toEqual([expect.stringContaining('http://127.0.0.1:9999 is not among the allowed origins')]);
  });

  it('setup lists the deployment keys with their allowed origins', async ({ emulator }) => {
    const lines: string[] = [];
    expect(await runSetup(env(emulator), {}, { out: (line) => lines.push(line) })).toBe(0);
    const output = lines.join('\n');
    expect(output).toContain('Webchat 3 deployment keys (1), for tokenSource "hosted" (no token service):');
    expect(output).toContain(`${KEY} "Webchat" → address ${emulator.credentials.webChatAddressSid}; allowed origins (2/10): https://shop.example.com, ${WIDGET}`);
  });
});
