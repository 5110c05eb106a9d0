// The token source a deployment uses, and what each one can do. Shared by the
// widget (which source to call, which features to offer), the build (CSP) and
// the tools (doctor, builder). Pure; imports only types.
import type { DeploymentConfig } from './types.ts';

export interface HostedSource {
  type: 'hosted';
  deploymentKey: string;
  /** Twilio region ('us1' when not set). */
  region: string;
  emulatorUrl?: string;
}

export type ResolvedTokenSource = { type: 'tokenService'; tokenUrl: string } | HostedSource;

/** The token source of a validated config (tokenUrl is present unless hosted: cross-field check). */
export function tokenSourceOf(config: Pick<DeploymentConfig, 'tokenSource' | 'tokenUrl'>): ResolvedTokenSource {
  const source = config.tokenSource;
  if (source?.type === 'hosted') {
    return { type: 'hosted', deploymentKey: source.deploymentKey, region: source.region ?? 'us1', ...(source.emulatorUrl ? { emulatorUrl: source.emulatorUrl } : {}) };
  }
  return { type: 'tokenService', tokenUrl: config.tokenUrl ?? '' };
}

export function isHosted(config: Pick<DeploymentConfig, 'tokenSource'>): boolean {
  return config.tokenSource?.type === 'hosted';
}

/**
 * The regional part of Twilio's Flex API host, as Webchat 3 builds it
 * (twilio-webchat-react-app, flex-webchat-ui, src/utils/regionUtil.ts):
 * us1 is flex-api.twilio.com, any other region flex-api.<region>.twilio.com.
 */
export function regionalHost(region: string | undefined): string {
  return !region || region === 'us1' ? '' : `.${region}`;
}

/** Base URL of the hosted Webchat API (…/v2): Twilio's for the region, or the local emulator's. */
export function hostedApiBase(source: HostedSource): string {
  return source.emulatorUrl ? `${source.emulatorUrl}/flex-api/v2` : `https://flex-api${regionalHost(source.region)}.twilio.com/v2`;
}

/** Origins the iframe talks to in hosted mode (CSP connect-src): the Flex API and the region's realtime hosts. */
export function hostedConnectOrigins(source: HostedSource): string[] {
  if (source.emulatorUrl) {
    const url = new URL(source.emulatorUrl);
    return [url.origin, `ws://${url.host}`];
  }
  const r = source.region;
  return [`https://flex-api${regionalHost(r)}.twilio.com`, `wss://tsock.${r}.twilio.com`, `https://mcs.${r}.twilio.com`, `https://media.${r}.twilio.com`];
}

/**
 * What needs flexchat's token service, and so is off with the hosted source:
 * the visitor's End chat (Webchat 3 has none: the agent ends the chat, the
 * visitor starts a new one), leaving a message outside hours (offline form),
 * and the service posting the form's question (the widget posts it itself, as
 * Webchat 3's MessagingCanvasPhase does).
 */
export const NEEDS_TOKEN_SERVICE = ['endChat', 'leaveMessage', 'serverFirstMessage'] as const;
