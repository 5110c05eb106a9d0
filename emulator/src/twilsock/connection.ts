import type { WebSocket } from 'ws';
import { AccessTokenError, chatGrantProblem, verifyAccessToken, type VerifiedAccessToken } from '../auth/access-token.ts';
import { randomHex32 } from '../ids.ts';
import { readerOf } from '../sync/sync-store.ts';
import type { EmulatorCredentials } from '../config.ts';
import type { Logger } from '../log.ts';
import type { TwilioErrorCode } from '../twilio-errors.ts';
import { decodeFrame, encodeFrame, encodeNotification, FrameError, type TwilsockFrame, type TwilsockHeader } from './frame.ts';
import { HTTP_REASONS, type TunnelHandler, type TunnelledResponse } from './tunnel.ts';

// One client socket: the init handshake with token verification, tunnelled
// requests, acknowledgements, server pushes and token lifetime.

/** "When an access token is in its final three minutes, the token about to expire event is triggered" (https://www.twilio.com/docs/chat/access-token-lifecycle). */
export const TOKEN_EXPIRY_WARNING_MS = 180_000;
/** How long from `nowMs` until a token that runs out at `expiresAtMs` is warned about, and until it expires. */
export function tokenTimers(expiresAtMs: number, nowMs: number): { warnInMs: number; expireInMs: number } {
  const remaining = Math.max(0, expiresAtMs - nowMs);
  return { warnInMs: Math.max(0, remaining - TOKEN_EXPIRY_WARNING_MS), expireInMs: remaining };
}
const TWILIO_TOKEN_EXPIRED: TwilioErrorCode = 20104;
const TWILIO_TOKEN_INVALID: TwilioErrorCode = 20101;

export interface ConnectionOptions {
  credentials: EmulatorCredentials;
  handleRequest: TunnelHandler;
  log: Logger;
  onReady(connection: TwilsockConnection): void;
  onClosed(connection: TwilsockConnection): void;
  /**
   * The TCP socket under the WebSocket. Frames sent in one turn of the event loop (an
   * accept is a participant, an attributes update, a message and a read horizon) are
   * held back until that turn ends and leave in one write: the same WebSocket messages
   * in the same order, one system call instead of one per frame. Only the TCP
   * segmentation changes, which no client may rely on (a busy client reads several
   * frames at once anyway, as it would from Twilio over TLS).
   */
  tcp?: { cork(): void; uncork(): void };
}

export class TwilsockConnection {
  readonly id = `TC${randomHex32()}`;
  token: VerifiedAccessToken | undefined;
  /** Sync object SIDs this connection receives pushes for. */
  readonly subscriptions = new Set<string>();
  /** Accepted `update` frames (token renewals) on this socket. */
  tokenUpdates = 0;
  /** When a forced expiry (fault API) closes this socket unless the token is updated first. */
  forcedExpiryAt: number | undefined;
  private expiryTimers: NodeJS.Timeout[] = [];
  private forcedExpiryTimer: NodeJS.Timeout | undefined;
  private closed = false;
  private corked = false;
  private readerToken: VerifiedAccessToken | undefined;
  private readerOfToken: string | undefined;

  constructor(
    private readonly socket: WebSocket,
    private readonly options: ConnectionOptions,
  ) {
    socket.on('message', (data, isBinary) => {
      try {
        this.receive(Buffer.isBuffer(data) ? data : Buffer.from(data as ArrayBuffer), isBinary);
      } catch (error) {
        this.logFailure('receive', error);
      }
    });
    socket.on('close', () => this.dispose());
    socket.on('error', (error) => options.log.warn('twilsock socket error', { connection: this.id, error: error.message }));
  }

  /** Timers run outside any request: an error is logged, never thrown into the event loop. */
  private later(what: string, ms: number, work: () => void): NodeJS.Timeout {
    const timer = setTimeout(() => {
      try {
        work();
      } catch (error) {
        this.logFailure(what, error);
      }
    }, ms);
    timer.unref();
    return timer;
  }

  private logFailure(what: string, error: unknown): void {
    this.options.log.error(`twilsock ${what} failed`, { connection: this.id, error: error instanceof Error ? (error.stack ?? error.message) : String(error) });
  }

  get identity(): string | undefined {
    return this.token?.identity;
  }

  /** The user of one service this socket acts as (`readerOf`): what it may read and is notified as. */
  get reader(): string | undefined {
    // Asked for every Sync event pushed here: built once per token, not once per event.
    if (this.readerToken !== this.token) {
      this.readerToken = this.token;
      this.readerOfToken = this.token?.chatServiceSid === undefined ? undefined : readerOf(this.token.chatServiceSid, this.token.identity);
    }
    return this.readerOfToken;
  }

  private get accountServices(): ReadonlySet<string> {
    const { conversationsServiceSid, flexChatServiceSid } = this.options.credentials;
    return new Set([conversationsServiceSid, flexChatServiceSid]);
  }

  /** A verified token with a usable ChatGrant, or the init/update reply that refuses it. */
  private acceptable(token: unknown): VerifiedAccessToken | { code: 401; errorCode: number; description: string; problem: string } {
    const result = this.verify(token);
    if (result instanceof AccessTokenError) {
      return { code: 401, errorCode: result.problem === 'expired' ? TWILIO_TOKEN_EXPIRED : TWILIO_TOKEN_INVALID, description: result.message, problem: result.problem };
    }
    const grant = chatGrantProblem(result, this.accountServices);
    return grant ? { code: 401, ...grant, problem: 'chat-grant' } : result;
  }

  push(messageType: string, payload: unknown): void {
    if (!this.writable()) return;
    this.write(encodeNotification(`TM${randomHex32()}`, messageType, payload));
  }

  /** Server-initiated close with a Twilsock status (410 token expired, 308 offload, ...). */
  closeWith(code: number, status: string, errorCode?: number): void {
    this.send({ method: 'close', id: `TM${randomHex32()}`, status: { code, status, ...(errorCode ? { errorCode } : {}) } });
    this.later('close', 50, () => this.socket.close());
  }

  /** Drops the socket without a goodbye, as a network failure would. */
  drop(): void {
    this.socket.terminate();
  }

  private writable(): boolean {
    return !this.closed && this.socket.readyState === this.socket.OPEN;
  }

  private send(header: TwilsockHeader, payload?: unknown): void {
    if (!this.writable()) return;
    this.write(encodeFrame(header, payload));
  }

  private write(frame: Buffer): void {
    const { tcp } = this.options;
    if (tcp && !this.corked) {
      this.corked = true;
      tcp.cork();
      process.nextTick(() => {
        this.corked = false;
        tcp.uncork();
      });
    }
    this.socket.send(frame);
  }

  private reply(id: string | undefined, code: number, extra: Record<string, unknown> = {}, payload?: unknown): void {
    this.send({ method: 'reply', id, status: { code, status: HTTP_REASONS[code] ?? 'Error' }, ...extra }, payload);
  }

  /** Synchronous for everything but tunnelled calls: most frames are acknowledgements of pushes, and they need no promise. */
  private receive(data: Buffer, isBinary: boolean): void {
    let frame: TwilsockFrame;
    try {
      frame = decodeFrame(data);
    } catch (error) {
      const reason = error instanceof FrameError ? error.message : 'unreadable frame';
      this.options.log.warn('twilsock malformed frame', { connection: this.id, reason, binary: isBinary });
      this.closeWith(406, `Malformed frame: ${reason}`);
      return;
    }
    const { header } = frame;
    try {
      switch (header.method) {
        case 'reply':
          return; // acknowledgement of one of our pushes
        case 'init':
          return this.handleInit(header);
        case 'update':
          return this.handleUpdate(header);
        case 'message':
          this.handleMessage(frame).catch((error: unknown) => this.handlerFailed(header, error));
          return;
        case 'close':
          this.socket.close();
          return;
        case 'put_notification_ctx':
        case 'delete_notification_ctx':
        case 'telemetry.v1':
          return this.reply(header.id, 200);
        default:
          this.options.log.warn('twilsock unknown method', { connection: this.id, method: header.method });
          return this.reply(header.id, 400);
      }
    } catch (error) {
      this.handlerFailed(header, error);
    }
  }

  private handlerFailed(header: TwilsockHeader, error: unknown): void {
    this.options.log.error('twilsock handler failed', { connection: this.id, method: header.method, error: String(error) });
    this.reply(header.id, 500);
  }

  private verify(token: unknown): VerifiedAccessToken | AccessTokenError {
    if (typeof token !== 'string') return new AccessTokenError('malformed', 'no token given');
    try {
      return verifyAccessToken(token, this.options.credentials);
    } catch (error) {
      if (error instanceof AccessTokenError) return error;
      throw error;
    }
  }

  private handleInit(header: TwilsockHeader): void {
    const result = this.acceptable(header.token);
    if (!('identity' in result)) {
      this.options.log.info('twilsock init rejected', { connection: this.id, problem: result.problem, errorCode: result.errorCode });
      this.reply(header.id, 401, { status: { code: 401, status: 'Unauthorized', errorCode: result.errorCode, description: result.description } });
      return;
    }
    const firstInit = this.token === undefined;
    this.token = result;
    this.scheduleExpiry();
    this.reply(header.id, 200, {
      continuation_token: `CT${randomHex32()}`,
      continuation_token_status: { reissued: !header.continuation_token },
      capabilities: ['client_update'],
      offline_storage: {},
      init_registrations: [],
    });
    if (firstInit) this.options.onReady(this);
  }

  private handleUpdate(header: TwilsockHeader): void {
    const result = this.acceptable(header.token);
    if (!('identity' in result)) {
      this.reply(header.id, 401, { status: { code: 401, status: 'Unauthorized', errorCode: result.errorCode, description: result.description } });
      return;
    }
    if (this.token && result.identity !== this.token.identity) {
      this.reply(header.id, 403, { status: { code: 403, status: 'Forbidden', description: 'token identity changed' } });
      return;
    }
    if (this.token && result.chatServiceSid !== this.token.chatServiceSid) {
      this.reply(header.id, 403, { status: { code: 403, status: 'Forbidden', description: 'token service changed' } });
      return;
    }
    this.token = result;
    this.tokenUpdates += 1;
    this.cancelForcedExpiry();
    this.scheduleExpiry();
    this.reply(header.id, 200);
  }

  private async handleMessage(frame: TwilsockFrame): Promise<void> {
    const { header } = frame;
    if (!this.token) {
      this.reply(header.id, 401, { status: { code: 401, status: 'Unauthorized', description: 'init first' } });
      return;
    }
    const http = header.http_request as { host?: unknown; path?: unknown; method?: unknown; params?: unknown; headers?: unknown } | undefined;
    if (!http || typeof http.host !== 'string' || typeof http.path !== 'string' || typeof http.method !== 'string') {
      this.replyHttp(header.id, { status: 400, body: { status: 400, code: 20001, message: 'http_request is missing host, path or method' } });
      return;
    }
    const query = new URLSearchParams();
    if (http.params && typeof http.params === 'object') {
      for (const [key, raw] of Object.entries(http.params as Record<string, unknown>)) {
        for (const value of Array.isArray(raw) ? raw : [raw]) {
          if (value !== undefined) query.append(key, decodeURIComponent(String(value)));
        }
      }
    }
    const response = await this.options.handleRequest({
      host: http.host,
      method: http.method.toUpperCase(),
      path: http.path,
      query,
      headers: (http.headers ?? {}) as Record<string, string>,
      body: frame.payload,
      identity: this.token.identity,
      serviceSid: this.token.chatServiceSid ?? '',
      connectionId: this.id,
    });
    if (!response) {
      this.options.log.warn('twilsock unknown route', { connection: this.id, host: http.host, method: http.method, path: http.path });
    }
    this.replyHttp(header.id, response ?? { status: 404, body: { status: 404, code: 20404, message: `No route for ${http.method} ${http.host}${http.path}` } });
  }

  private replyHttp(id: string | undefined, response: TunnelledResponse): void {
    this.reply(
      id,
      200,
      {
        http_status: { code: response.status, status: HTTP_REASONS[response.status] ?? 'Error' },
        http_headers: { 'Content-Type': 'application/json' },
        payload_type: 'application/json',
      },
      response.body ?? {},
    );
  }

  private scheduleExpiry(): void {
    this.clearExpiryTimers();
    if (!this.token) return;
    const { warnInMs, expireInMs } = tokenTimers(this.token.expiresAt, Date.now());
    this.expiryTimers.push(
      this.later('token expiry warning', warnInMs, () => this.warnAboutExpiry()),
      this.later('token expiry', expireInMs, () => this.expireNow()),
    );
  }

  private warnAboutExpiry(): void {
    this.send({ method: 'client_update', id: `TM${randomHex32()}`, client_update_type: 'token_about_to_expire' });
  }

  /** Closes the connection as Twilio does when its token runs out. */
  expireNow(): void {
    this.clearExpiryTimers();
    this.cancelForcedExpiry();
    this.closeWith(410, 'Token expired', TWILIO_TOKEN_EXPIRED);
  }

  /**
   * Warns now that the token is about to expire and closes with 410 after
   * `inMs` unless the client sends an updated token first. The token's own
   * `exp` is left alone, so the same token still opens a new connection.
   */
  expireSoon(inMs: number): void {
    this.cancelForcedExpiry();
    this.warnAboutExpiry();
    this.forcedExpiryAt = Date.now() + inMs;
    this.forcedExpiryTimer = this.later('forced token expiry', inMs, () => this.expireNow());
  }

  private cancelForcedExpiry(): void {
    if (this.forcedExpiryTimer) clearTimeout(this.forcedExpiryTimer);
    this.forcedExpiryTimer = undefined;
    this.forcedExpiryAt = undefined;
  }

  private clearExpiryTimers(): void {
    for (const timer of this.expiryTimers) clearTimeout(timer);
    this.expiryTimers = [];
  }

  private dispose(): void {
    if (this.closed) return;
    this.closed = true;
    this.clearExpiryTimers();
    this.cancelForcedExpiry();
    this.options.onClosed(this);
  }
}
