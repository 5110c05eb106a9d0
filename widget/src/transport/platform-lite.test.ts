import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import * as lite from './platform-lite.ts';
import { parse, type Platform } from './platform-lite.ts';

// The package the widget build replaces (a dependency of twilsock and twilio-sync).
const platformJs = createRequire(import.meta.url)('platform') as { parse(ua: string): Platform };

/** The fields the SDKs read, as platform.js gives them. */
function fromPlatformJs(ua: string): Platform {
  const { name, version, os } = platformJs.parse(ua);
  return { name, version, os: { family: os.family, version: os.version, architecture: os.architecture } };
}

// Real user agents of the browsers most visitors use: each reads as platform.js reads it.
const SAME: ReadonlyArray<readonly [string, string, Platform]> = [
  [
    'Chrome on Windows 10, 64-bit',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Safari/537.36',
    { name: 'Chrome', version: '120.0.6099.109', os: { family: 'Windows', version: '10', architecture: 64 } },
  ],
  [
    'Chrome on Windows 10, 32-bit',
    'Mozilla/5.0 (Windows NT 10.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.109 Safari/537.36',
    { name: 'Chrome', version: '120.0.6099.109', os: { family: 'Windows', version: '10', architecture: 32 } },
  ],
  [
    'Chrome on Windows 8.1',
    'Mozilla/5.0 (Windows NT 6.3; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36',
    { name: 'Chrome', version: '109.0.0.0', os: { family: 'Windows', version: '8.1', architecture: 64 } },
  ],
  [
    'Microsoft Edge on Windows',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 Edg/120.0.2210.91',
    { name: 'Microsoft Edge', version: '120.0.2210.91', os: { family: 'Windows', version: '10', architecture: 64 } },
  ],
  [
    'Firefox on Windows',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:121.0) Gecko/20100101 Firefox/121.0',
    { name: 'Firefox', version: '121.0', os: { family: 'Windows', version: '10', architecture: 64 } },
  ],
  [
    'Opera on Windows',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36 OPR/106.0.0.0',
    { name: 'Opera', version: '106.0.0.0', os: { family: 'Windows', version: '10', architecture: 64 } },
  ],
  [
    'Safari on macOS (platform.js: 32-bit, as the UA does not say)',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Safari/605.1.15',
    { name: 'Safari', version: '17.2', os: { family: 'OS X', version: '10.15.7', architecture: 32 } },
  ],
  [
    'Chrome on macOS (64-bit from Chrome 39)',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    { name: 'Chrome', version: '120.0.0.0', os: { family: 'OS X', version: '10.15.7', architecture: 64 } },
  ],
  [
    'Firefox on macOS',
    'Mozilla/5.0 (Macintosh; Intel Mac OS X 10.15; rv:121.0) Gecko/20100101 Firefox/121.0',
    { name: 'Firefox', version: '121.0', os: { family: 'OS X', version: '10.15', architecture: 32 } },
  ],
  [
    'Safari on iPhone, iOS 17',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.2 Mobile/15E148 Safari/604.1',
    { name: 'Safari', version: '17.2', os: { family: 'iOS', version: '17.2.1', architecture: 32 } },
  ],
  [
    'Safari on iPad, iPadOS 16',
    'Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1',
    { name: 'Safari', version: '16.6', os: { family: 'iOS', version: '16.6', architecture: 32 } },
  ],
  [
    'Chrome on iPhone',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) CriOS/120.0.6099.119 Mobile/15E148 Safari/604.1',
    { name: 'Chrome Mobile', version: '120.0.6099.119', os: { family: 'iOS', version: '17.2', architecture: 32 } },
  ],
  [
    'Firefox on iPhone',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) FxiOS/121.0 Mobile/15E148 Safari/605.1.15',
    { name: 'Firefox for iOS', version: '121.0', os: { family: 'iOS', version: '17.2', architecture: 32 } },
  ],
  [
    'Chrome on Android 14',
    'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36',
    { name: 'Chrome Mobile', version: '120.0.6099.144', os: { family: 'Android', version: '14', architecture: 32 } },
  ],
  [
    'Chrome on an Android tablet (no "Mobile")',
    'Mozilla/5.0 (Linux; Android 13; SM-X700) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    { name: 'Chrome', version: '120.0.0.0', os: { family: 'Android', version: '13', architecture: 32 } },
  ],
  [
    'Samsung Internet on Android',
    'Mozilla/5.0 (Linux; Android 13; SAMSUNG SM-S911B) AppleWebKit/537.36 (KHTML, like Gecko) SamsungBrowser/23.0 Chrome/115.0.0.0 Mobile Safari/537.36',
    { name: 'Samsung Internet', version: '23.0', os: { family: 'Android', version: '13', architecture: 32 } },
  ],
  [
    'Microsoft Edge on Android',
    'Mozilla/5.0 (Linux; Android 10; HD1913) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.6099.144 Mobile Safari/537.36 EdgA/120.0.2210.115',
    { name: 'Microsoft Edge', version: '120.0.2210.115', os: { family: 'Android', version: '10', architecture: 32 } },
  ],
  [
    'Firefox on Android',
    'Mozilla/5.0 (Android 14; Mobile; rv:121.0) Gecko/121.0 Firefox/121.0',
    { name: 'Firefox Mobile', version: '121.0', os: { family: 'Android', version: '14', architecture: 32 } },
  ],
  [
    'Firefox on Linux x86_64',
    'Mozilla/5.0 (X11; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
    { name: 'Firefox', version: '121.0', os: { family: 'Linux', version: null, architecture: 64 } },
  ],
  [
    'Firefox on Ubuntu',
    'Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
    { name: 'Firefox', version: '121.0', os: { family: 'Ubuntu', version: null, architecture: 64 } },
  ],
  [
    'Chrome on Chrome OS',
    'Mozilla/5.0 (X11; CrOS x86_64 14541.0.0) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 Safari/537.36',
    { name: 'Chrome', version: '120.0.0.0', os: { family: 'Chrome OS', version: null, architecture: 64 } },
  ],
  [
    'Headless Chrome on Linux (the e2e tests)',
    'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) HeadlessChrome/120.0.6099.28 Safari/537.36',
    { name: 'Chrome', version: '120.0.6099.28', os: { family: 'Linux', version: null, architecture: 64 } },
  ],
];

// Where it reads differently on purpose: rare browsers and systems, named by platform.js's
// longer tables. What the SDKs send for them is telemetry only (platform-lite.ts).
const DIFFERENT: ReadonlyArray<readonly [string, string, Platform, Platform]> = [
  [
    'Windows 7: platform.js says "Windows Server 2008 R2 / 7" (one NT version for both)',
    'Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/109.0.0.0 Safari/537.36',
    { name: 'Chrome', version: '109.0.0.0', os: { family: 'Windows', version: '7', architecture: 64 } },
    { name: 'Chrome', version: '109.0.0.0', os: { family: 'Windows Server 2008 R2 / 7', version: '7', architecture: 64 } },
  ],
  [
    'Yandex Browser: not in the short list, so the Chrome it is built on',
    'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0.0.0 YaBrowser/24.1.0.0 Safari/537.36',
    { name: 'Chrome', version: '120.0.0.0', os: { family: 'Windows', version: '10', architecture: 64 } },
    { name: 'Yandex Browser', version: '24.1.0.0', os: { family: 'Windows', version: '10', architecture: 64 } },
  ],
  [
    'Android WebView: its Chrome version, where platform.js says "Android Browser" 4.0 (the frozen Version/4.0)',
    'Mozilla/5.0 (Linux; Android 14; Pixel 8 Build/UQ1A.240105.004; wv) AppleWebKit/537.36 (KHTML, like Gecko) Version/4.0 Chrome/120.0.6099.144 Mobile Safari/537.36',
    { name: 'Chrome Mobile', version: '120.0.6099.144', os: { family: 'Android', version: '14', architecture: 32 } },
    { name: 'Android Browser', version: '4.0', os: { family: 'Android', version: '14', architecture: 32 } },
  ],
  [
    'Fedora: "Linux" (platform.js names a dozen distributions)',
    'Mozilla/5.0 (X11; Fedora; Linux x86_64; rv:121.0) Gecko/20100101 Firefox/121.0',
    { name: 'Firefox', version: '121.0', os: { family: 'Linux', version: null, architecture: 64 } },
    { name: 'Firefox', version: '121.0', os: { family: 'Fedora', version: null, architecture: 64 } },
  ],
  [
    'a user agent it cannot read: null everywhere (the SDKs send "unknown"), where platform.js guesses Safari 11',
    'Mozilla/5.0 (iPhone; CPU iPhone OS 17_2 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148',
    { name: null, version: null, os: { family: 'iOS', version: '17.2', architecture: 32 } },
    { name: 'Safari', version: '11.x', os: { family: 'iOS', version: '17.2', architecture: 32 } },
  ],
];

describe('platform-lite: what the SDKs read of platform.js, from the user agent', () => {
  for (const [label, ua, expected] of SAME) {
    it(`${label}: as platform.js reads it`, () => {
      expect(parse(ua)).toEqual(expected);
      expect(parse(ua)).toEqual(fromPlatformJs(ua));
    });
  }

  for (const [label, ua, expected, theirs] of DIFFERENT) {
    it(`differs on purpose for ${label}`, () => {
      expect(parse(ua)).toEqual(expected);
      expect(fromPlatformJs(ua)).toEqual(theirs);
    });
  }

  it('nothing at all without a user agent', () => {
    expect(parse('')).toEqual({ name: null, version: null, os: { family: null, version: null, architecture: null } });
  });

  it('exports what the CommonJS SDKs read through their namespace interop: name, version, os, and the same as default', () => {
    // twilsock's metadata.js and twilio-sync's clientInfo.js: `_interopNamespace(require('platform'))`,
    // which keeps an ES module's namespace as it is, then `.name`, `.version`, `.os.family` …
    const current = parse(navigator.userAgent);
    expect(lite.name).toBe(current.name);
    expect(lite.version).toBe(current.version);
    expect(lite.os).toEqual(current.os);
    expect(lite.default).toEqual(current);
    expect(lite.default.os).toBe(lite.os);
  });
});
