// What the widget build gives the Twilio SDKs for `import 'platform'` (widget/vite.config.ts):
// the browser's name and version and its OS's family, version and architecture, read from
// the user agent the way platform.js (6.2 KB gzip) names them for the browsers most
// visitors use. twilsock sends them to Twilio as its client metadata (env, envv, os, osv,
// osa; "unknown" where null), twilio-sync as its Twilio-Sync-Client-Info header: telemetry,
// no behaviour depends on them. A browser or OS this does not know is null (as platform.js
// says when it cannot tell); rarer ones platform.js names (Yandex, UC Browser, Windows 7 as
// "Windows Server 2008 R2 / 7", Android WebView as "Android Browser", …) read differently.
// The UA string, not navigator.userAgentData: its synchronous values (brands, platform) say
// less than the UA (no full version, no OS version), and platform.js read the UA too.

export interface PlatformOs {
  family: string | null;
  version: string | null;
  architecture: 32 | 64 | null;
}

export interface Platform {
  name: string | null;
  version: string | null;
  os: PlatformOs;
}

/** Browsers, most specific first (Edge, Opera and Samsung Internet also say Chrome and Safari). */
const BROWSERS: ReadonlyArray<readonly [string, RegExp]> = [
  ['Microsoft Edge', /\bEdg(?:e|A|iOS)?\/([\d.]+)/],
  ['Samsung Internet', /\bSamsungBrowser\/([\d.]+)/],
  ['Opera', /\bOPR\/([\d.]+)/],
  ['Firefox for iOS', /\bFxiOS\/([\d.]+)/],
  ['Chrome Mobile', /\bCriOS\/([\d.]+)/],
  ['Firefox', /\bFirefox\/([\d.]+)/],
  ['Chrome', /\b(?:Headless)?Chrome\/([\d.]+)/],
  ['Safari', /\bVersion\/([\d.]+).*\bSafari\//],
];

const WINDOWS: Readonly<Record<string, string>> = { '10.0': '10', '6.3': '8.1', '6.2': '8', '6.1': '7' };

function osOf(ua: string): [family: string | null, version: string | null] {
  let m: RegExpExecArray | null;
  if ((m = /\bWindows NT ([\d.]+)/.exec(ua))) return ['Windows', WINDOWS[m[1]!] ?? null];
  if ((m = /\bOS ([\d_]+) like Mac OS X/.exec(ua))) return ['iOS', m[1]!.replaceAll('_', '.')];
  if ((m = /\bMac OS X ([\d_.]+)/.exec(ua))) return ['OS X', m[1]!.replaceAll('_', '.')];
  if ((m = /\bAndroid ([\d.]+)/.exec(ua))) return ['Android', m[1]!];
  if (/\bCrOS\b/.test(ua)) return ['Chrome OS', null];
  if (/\bUbuntu\b/.test(ua)) return ['Ubuntu', null];
  if (/\bLinux\b/.test(ua)) return ['Linux', null];
  return [null, null];
}

/** What platform.js's `parse(ua)` says of name, version and os, for the common browsers. */
export function parse(ua: string): Platform {
  const [family, osVersion] = osOf(ua);
  const browser = BROWSERS.find(([, pattern]) => pattern.test(ua));
  let name = browser?.[0] ?? null;
  if (family === 'Android' && (name === 'Firefox' || (name === 'Chrome' && /\bMobile\b/.test(ua)))) name += ' Mobile';
  // platform.js: 64 from the UA's x64/Win64/WOW64/x86_64 token, or Chrome 39+ on OS X; else 32.
  const version = browser ? browser[1].exec(ua)![1]! : null;
  const is64 = (/\b(?:AMD|IA|Win|WOW|x86_|x)64\b/i.test(ua) && !/\bi686\b/i.test(ua)) || (family === 'OS X' && name === 'Chrome' && parseFloat(version!) >= 39);
  return { name, version, os: { family, version: osVersion, architecture: family ? (is64 ? 64 : 32) : null } };
}

const platform = parse(typeof navigator === 'undefined' ? '' : navigator.userAgent);
// The SDKs' CommonJS reads these as `require('platform').name` etc. (an ES module's namespace).
export const { name, version, os } = platform;
export default platform;
