#!/usr/bin/env node
// `npx flexchat setup|doctor`: runs server/src/cli.ts through tsx (a dev dependency of this repository).
import { register } from 'tsx/esm/api';

register();
const { runCli } = await import('../src/cli.ts');
process.exitCode = await runCli(process.argv.slice(2), process.env, {
  out: (line) => process.stdout.write(`${line}\n`),
  err: (line) => process.stderr.write(`${line}\n`),
});
