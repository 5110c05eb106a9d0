// What both SDK adapters do the same way once a conversation (Conversations) or
// channel (twilio-chat) is open: history pages, typing, token updates, listeners
// and disconnecting, all through the shared TransportCore. Imports no SDK, so
// neither adapter's lazy chunk pulls in the other SDK.
import { TransportError, type HistoryPage, type TransportListener } from './chat-transport.ts';
import { TransportCore, type AdapterOptions, type MessageSource, type SdkClientLike, type SdkMapping, type SdkMemberLike } from './transport-core.ts';

/** The open conversation or channel, as far as the shared part goes. */
export interface SdkSource<M> extends MessageSource<M> {
  typing(): Promise<unknown>;
  getMessagesCount(): Promise<number>;
}

export abstract class SdkTransport<
  C extends SdkClientLike,
  M extends { readonly sid: string; readonly index: number },
  P extends SdkMemberLike,
  S extends SdkSource<M>,
> {
  protected readonly core: TransportCore<C, M, P>;
  /** The conversation or channel, while connected. */
  protected source: S | null = null;

  constructor(options: AdapterOptions, mapping: SdkMapping<M, P>) {
    this.core = new TransportCore<C, M, P>(options, mapping);
  }

  async loadHistory(pageSize: number): Promise<HistoryPage> {
    return this.core.page(this.requireSource(), pageSize, undefined);
  }

  async loadOlder(beforeIndex: number, pageSize: number): Promise<HistoryPage> {
    if (beforeIndex <= 0) return { messages: [], hasOlder: false };
    // The anchor is inclusive and the page runs backwards from it.
    return this.core.page(this.requireSource(), pageSize, beforeIndex - 1);
  }

  async countMessages(): Promise<number> {
    return this.core.count(this.requireSource());
  }

  notifyTyping(): void {
    const source = this.source;
    if (source) this.core.notifyTyping(() => source.typing());
  }

  updateToken(token: string): Promise<void> {
    return this.core.updateToken(token);
  }

  subscribe(listener: TransportListener): () => void {
    return this.core.subscribe(listener);
  }

  async disconnect(): Promise<void> {
    this.source = null;
    await this.core.teardown();
  }

  protected requireSource(): S {
    if (!this.source) throw new TransportError('network', 'Not connected');
    return this.source;
  }
}
