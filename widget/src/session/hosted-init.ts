// Twilio's hosted Webchat 3 init, called from the iframe: no token service.
// LAZY: only token-source.ts imports this module, through import(), for a
// deployment whose tokenSource is "hosted".
//
// The same requests Twilio's own Webchat 3 makes (twilio-webchat-react-app,
// branch flex-webchat-ui: src/sessionDataHandler.ts, src/utils/generateHeaders.ts,
// src/utils/regionUtil.ts), written for flexchat:
//   POST https://flex-api{.region}.twilio.com/v2/Webchat/Init, form-encoded
//        DeploymentKey, CustomerFriendlyName, PreEngagementData (JSON) -> { token, conversation_sid, identity, expiration }
//   POST …/v2/Webchat/Tokens/Refresh, form-encoded DeploymentKey, Token -> { token, identity, expiration }
// both with the x-twilio-sec-* headers Twilio fingerprints the browser from. The
// login timestamp in x-twilio-sec-webchatinfo is fixed when the chat starts and
// kept as the session's `sessionProof`, so a reload or another tab refreshes
// with the same fingerprint.
import { hostedApiBase, type HostedSource } from '../../../config/token-source.ts';
import type { FormValue } from './form-validation.ts';
import { jsonOrNull, request } from './http.ts';
import {
  parseExpiresAt,
  parseRetryAfter,
  TokenServiceError,
  type FetchLike,
  type InitRequestBody,
  type InitResponse,
  type RefreshRequestBody,
  type RefreshResponse,
  type TokenServiceErrorKind,
} from './token-service.ts';

export interface HostedInitOptions extends HostedSource {
  fetch: FetchLike;
  /** The form field whose answer is the visitor's name (CustomerFriendlyName); Webchat 3 uses `friendlyName`. */
  friendlyNameField?: string;
  now?: () => number;
  /** The browser facts the security headers carry (tests pass their own). */
  navigator?: Pick<Navigator, 'language' | 'cookieEnabled'> & { mediaCapabilities?: Pick<MediaCapabilities, 'decodingInfo'> };
}

/** Webchat 3's defaults (generateHeaders.ts) when the browser does not say. */
const DEFAULT_LANGUAGE = 'en_IN';
const DEFAULT_LOGIN_TIMESTAMP = '9999999';
const DEFAULT_CODEC_INFO = { powerEfficient: false, smooth: false, supported: false, keySystemAccess: 'twilio-keySystemAccess' };
const CUSTOMER_DEFAULT_NAME = 'Customer';
/** flexchat in Twilio's analytics headers (Webchat 3 sends its own app version there). */
const UI_VERSION = 'flexchat';

/** Twilio error codes the hosted init answers with (emulator/FIDELITY.md, "Hosted Webchat init"). */
const CONFIGURATION_NOT_FOUND = 45778;
const PRE_ENGAGEMENT_TOO_LARGE = 45731;

async function decoders(nav: HostedInitOptions['navigator']): Promise<{ audio: unknown; video: unknown }> {
  // Webchat 3 asks the same two questions (its "video" one is about audio/mp4 too).
  const query = (contentType: string) =>
    nav?.mediaCapabilities?.decodingInfo({ type: 'file', audio: { contentType, channels: '2', bitrate: 132700, samplerate: 5200 } });
  let results: PromiseSettledResult<MediaCapabilitiesDecodingInfo | undefined>[];
  try {
    results = await Promise.allSettled([query('audio/mp3'), query('audio/mp4')]);
  } catch {
    return { audio: DEFAULT_CODEC_INFO, video: DEFAULT_CODEC_INFO };
  }
  const [audio, video] = results;
  if (audio?.status !== 'fulfilled' || !audio.value || video?.status !== 'fulfilled' || !video.value) {
    return { audio: DEFAULT_CODEC_INFO, video: DEFAULT_CODEC_INFO };
  }
  const plain = (info: MediaCapabilitiesDecodingInfo) => ({
    powerEfficient: info.powerEfficient,
    smooth: info.smooth,
    supported: info.supported,
    keySystemAccess: info.keySystemAccess ?? null,
  });
  return { audio: plain(audio.value), video: plain(video.value) };
}

/** The security and version headers of generateHeaders.ts, for one chat (its login timestamp). */
export async function securityHeaders(loginTimestamp: string | undefined, nav: HostedInitOptions['navigator']): Promise<Record<string, string>> {
  return {
    'x-twilio-sec-webchatinfo': JSON.stringify({ loginTimestamp: loginTimestamp || DEFAULT_LOGIN_TIMESTAMP }),
    'x-twilio-sec-usersettings': JSON.stringify({
      language: nav?.language ?? DEFAULT_LANGUAGE,
      cookieEnabled: nav?.cookieEnabled ?? false,
      userTimezone: new Date().getTimezoneOffset(),
    }),
    'x-twilio-sec-decoders': JSON.stringify(await decoders(nav)),
    'ui-version': UI_VERSION,
    'webchat-version': '',
  };
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function requireString(payload: Record<string, unknown>, key: string): string {
  const value = payload[key];
  if (typeof value !== 'string' || value === '') throw new TokenServiceError('bad-response', `Twilio's answer lacks "${key}"`);
  return value;
}

/** What a refused hosted request means for the widget, from Twilio's error JSON `{ code, message, status }`. */
export function hostedErrorKind(status: number, code: number | null, phase: 'init' | 'refresh'): TokenServiceErrorKind {
  if (status === 429) return 'busy';
  if (status >= 500) return 'server';
  if (phase === 'refresh') return status === 401 || status === 403 || status === 404 ? 'auth' : 'rejected';
  if (code === CONFIGURATION_NOT_FOUND || status === 404) return 'deployment-key';
  if (code === PRE_ENGAGEMENT_TOO_LARGE) return 'too-large';
  if (status === 403) return 'origin';
  if (status === 401) return 'auth';
  return 'rejected';
}

export function createHostedInit(options: HostedInitOptions) {
  const base = hostedApiBase(options);
  const nav = options.navigator ?? (typeof navigator === 'undefined' ? undefined : navigator);
  const now = options.now ?? Date.now;
  const mode = options.emulatorUrl ? 'local' : 'conversations';
  const twilsockUri = options.emulatorUrl ? `${options.emulatorUrl.replace(/^http/, 'ws')}/v3/wsconnect` : undefined;

  async function post(path: string, fields: Record<string, string>, loginTimestamp: string | undefined, phase: 'init' | 'refresh'): Promise<Record<string, unknown>> {
    const url = `${base}${path}`;
    let response: Response;
    try {
      const headers = { Accept: 'application/json', 'Content-Type': 'application/x-www-form-urlencoded', ...(await securityHeaders(loginTimestamp, nav)) };
      response = await request(options.fetch, url, { method: 'POST', headers, body: new URLSearchParams(fields).toString() });
    } catch (error) {
      // Also what a browser reports when Twilio refuses an origin without CORS headers.
      throw new TokenServiceError('network', `Request to ${url} failed: ${(error as Error)?.message ?? String(error)}`);
    }
    const payload = await jsonOrNull(response);
    if (response.ok) {
      if (!isRecord(payload)) throw new TokenServiceError('bad-response', 'Twilio answered without a JSON object', response.status);
      return payload;
    }
    const code = isRecord(payload) && typeof payload.code === 'number' ? payload.code : null;
    const message = isRecord(payload) && typeof payload.message === 'string' ? payload.message : `HTTP ${response.status}`;
    throw new TokenServiceError(
      hostedErrorKind(response.status, code, phase),
      message,
      response.status,
      code === null ? null : String(code),
      {},
      parseRetryAfter(response.headers.get('retry-after')),
    );
  }

  return {
    async init(body: InitRequestBody): Promise<InitResponse> {
      const loginTimestamp = String(now());
      const data: Record<string, FormValue> = body.preEngagementData;
      const named = data[options.friendlyNameField ?? 'friendlyName'];
      const payload = await post(
        '/Webchat/Init',
        {
          DeploymentKey: options.deploymentKey,
          CustomerFriendlyName: typeof named === 'string' && named.trim() !== '' ? named.trim() : CUSTOMER_DEFAULT_NAME,
          PreEngagementData: JSON.stringify(data),
        },
        loginTimestamp,
        'init',
      );
      const response: InitResponse = {
        token: requireString(payload, 'token'),
        identity: requireString(payload, 'identity'),
        conversationSid: requireString(payload, 'conversation_sid'),
        expiresAt: parseExpiresAt(payload.expiration),
        mode,
        // Not a secret: the chat's login timestamp, sent again with every refresh (the fingerprint).
        sessionProof: loginTimestamp,
      };
      if (twilsockUri) response.twilsockUri = twilsockUri;
      return response;
    },

    async refresh(body: RefreshRequestBody): Promise<RefreshResponse> {
      const payload = await post('/Webchat/Tokens/Refresh', { DeploymentKey: options.deploymentKey, Token: body.token }, body.sessionProof, 'refresh');
      return {
        token: requireString(payload, 'token'),
        expiresAt: parseExpiresAt(payload.expiration),
        ...(body.sessionProof !== undefined ? { sessionProof: body.sessionProof } : {}),
      };
    },
  };
}
