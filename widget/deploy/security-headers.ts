import { hostedConnectOrigins, tokenSourceOf } from '../../config/token-source.ts';
import type { DeploymentConfig } from '../../config/types.ts';

// HTTP headers the widget origin must send with the iframe document. Only the
// configured host sites may frame it, and it may only talk to the token
// service and Twilio (or, locally, the emulator). With the hosted token source
// (no token service) that is Twilio's Flex API and realtime hosts of its region.

export const TWILIO_REALTIME_ORIGINS = ['wss://tsock.us1.twilio.com', 'https://mcs.us1.twilio.com', 'https://media.us1.twilio.com'];

export function widgetDocumentHeaders(config: DeploymentConfig, realtimeOrigins: readonly string[] = TWILIO_REALTIME_ORIGINS): Record<string, string> {
  const source = tokenSourceOf(config);
  const tokenOrigins = source.type === 'hosted' ? hostedConnectOrigins(source) : [new URL(source.tokenUrl).origin];
  const connect = [...new Set(["'self'", ...tokenOrigins, ...realtimeOrigins])];
  const media = ["'self'", 'blob:', 'data:', ...realtimeOrigins.filter((o) => o.startsWith('http'))];
  // Rich messages' card pictures come from wherever the Content template points; only
  // the origins the site owner lists may load (and so learn the visitor's address).
  const images = [...media, ...(config.messages?.imageOrigins ?? [])];
  const csp = [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `img-src ${images.join(' ')}`,
    `media-src ${media.join(' ')}`,
    `connect-src ${connect.join(' ')}`,
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${config.allowedDomains.join(' ')}`,
  ].join('; ');
  return {
    'Content-Security-Policy': csp,
    'Referrer-Policy': 'strict-origin-when-cross-origin',
    'X-Content-Type-Options': 'nosniff',
    'Cross-Origin-Opener-Policy': 'same-origin',
  };
}
