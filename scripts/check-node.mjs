// Run first by `npm start` and `npm test`: a clear message on a Node.js the
// toolchain does not support, instead of a build that fails somewhere deep.
// Plain JavaScript on purpose: it has to run on old Node versions too.
//
// Why this range: vite 8 and @vitejs/plugin-react declare ^20.19.0 || >=22.12.0.
// @axe-core/playwright declares >=22.12.0 (npm prints an EBADENGINE warning on
// Node 20) but runs on 20.19+: CI and the a11y specs run on Node 20.
import { pathToFileURL } from 'node:url';

export const NODE_RANGE = '^20.19.0 || >=22.12.0';

/** Null when `version` (e.g. process.version) is supported, else what to tell the user. */
export function nodeVersionProblem(version) {
  const [major, minor] = version.replace(/^v/, '').split('.').map(Number);
  const ok = (major === 20 && minor >= 19) || (major === 22 && minor >= 12) || major > 22;
  if (ok) return null;
  return `flexchat needs Node.js 20.19 or later 20.x, or 22.12 or later (found ${version}). Install a current LTS from https://nodejs.org or with your version manager (nvm install 22), then run npm install again.`;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const problem = nodeVersionProblem(process.version);
  if (problem) {
    console.error(problem);
    process.exit(1);
  }
}
