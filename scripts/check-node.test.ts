// npm start and npm test first check the Node version, with a message that says what to do.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { NODE_RANGE, nodeVersionProblem } from './check-node.mjs';

describe('Node version check', () => {
  it('accepts 20.19 and later 20s, and 22.12 and later', () => {
    for (const version of ['v20.19.0', 'v20.20.2', 'v22.12.0', 'v23.1.0', 'v24.0.0']) expect(nodeVersionProblem(version)).toBeNull();
  });

  it('refuses older versions (and 21, 22 before 22.12), saying which it found and which to install', () => {
    for (const version of ['v18.20.4', 'v20.18.1', 'v21.7.3', 'v22.11.0']) {
      expect(nodeVersionProblem(version)).toBe(
        `flexchat needs Node.js 20.19 or later 20.x, or 22.12 or later (found ${version}). Install a current LTS from https://nodejs.org or with your version manager (nvm install 22), then run npm install again.`,
      );
    }
  });

  it('is the range package.json declares', () => {
    const pkg = JSON.parse(readFileSync(resolve(import.meta.dirname, '..', 'package.json'), 'utf8')) as { engines: { node: string } };
    expect(pkg.engines.node).toBe(NODE_RANGE);
  });
});
