// `npm run demo:e2e` records video with an ffmpeg: Playwright's own, else the system's.
// Without either it says so plainly (and fails when DEMO_REQUIRE_VIDEO=1).
import { mkdirSync, mkdtempSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { prepareVideoRecording } from './video.ts';

const folder = () => mkdtempSync(join(tmpdir(), 'flexchat-video-'));

describe('demo video recording', () => {
  it("uses Playwright's own ffmpeg when it was downloaded", () => {
    const browsers = folder();
    const out: string[] = [];
    const found = prepareVideoRecording({ browsersPath: browsers, systemFfmpeg: () => '', warn: (m) => out.push(m), revision: '1011' });
    expect(found).toBe(false);
    mkdirSync(join(browsers, 'ffmpeg-1011'));
    writeFileSync(join(browsers, 'ffmpeg-1011', 'ffmpeg-linux'), '');
    expect(prepareVideoRecording({ browsersPath: browsers, systemFfmpeg: () => '', warn: (m) => out.push(m), revision: '1011', platform: 'linux' })).toBe(true);
  });

  it("else links the system's ffmpeg into a private browsers folder for the workers", () => {
    const own = folder();
    const env: NodeJS.ProcessEnv = {};
    const found = prepareVideoRecording({ browsersPath: folder(), ownPath: own, systemFfmpeg: () => '/usr/bin/ffmpeg', revision: '1011', platform: 'linux', env, warn: () => {} });
    expect(found).toBe(true);
    expect(readlinkSync(join(own, 'ffmpeg-1011', 'ffmpeg-linux'))).toBe('/usr/bin/ffmpeg');
    expect(env.PLAYWRIGHT_BROWSERS_PATH).toBe(own);
  });

  it('without any ffmpeg, says that no video will be made and how to get one', () => {
    const out: string[] = [];
    const found = prepareVideoRecording({ browsersPath: folder(), systemFfmpeg: () => '', revision: '1011', platform: 'linux', warn: (m) => out.push(m), env: {} });
    expect(found).toBe(false);
    expect(out.join('\n')).toBe(
      [
        '[demo:e2e] No ffmpeg found: this run records NO VIDEO, only traces (test-results/demo/*/trace.zip, open with npx playwright show-trace).',
        '[demo:e2e] For videos install one, then run again:',
        '[demo:e2e]   Debian/Ubuntu: sudo apt-get install -y ffmpeg    (as .ci/run installs its Debian packages)',
        '[demo:e2e]   macOS: brew install ffmpeg    where downloads work: npx playwright install ffmpeg',
        '[demo:e2e] DEMO_REQUIRE_VIDEO=1 makes a run without ffmpeg fail instead.',
      ].join('\n'),
    );
  });

  it('DEMO_REQUIRE_VIDEO=1 turns a missing ffmpeg into an error', () => {
    expect(() => prepareVideoRecording({ browsersPath: folder(), systemFfmpeg: () => '', revision: '1011', platform: 'linux', warn: () => {}, env: { DEMO_REQUIRE_VIDEO: '1' } })).toThrow(
      /No ffmpeg found/,
    );
  });
});
