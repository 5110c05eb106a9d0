// The session's behaviour, framework-free: form → token service → transport →
// store. The only writer of the session store. This façade keeps the entry points
// of the UI, the host wiring and the tests; the behaviour lives in feature slices
// (slices/*.ts, assembled in slices/session.ts). Phase changes go through the pure
// state machine (state-machine.ts).
import type { DeploymentConfig, PreEngagementForm } from '../../../config/types.ts';
import type { RichAnswer } from '../../../contracts/rich-answer.ts';
import type { Strings } from '../strings.ts';
import type { WidgetOptions } from '../widget-options.ts';
import type { FormValue } from './form-validation.ts';
import type { ChatMessage } from './messages.ts';
import type { SessionState, SessionStore } from './session-store.ts';
import type { AfterEndRoute } from './token-service.ts';
import type { SessionControllerOptions } from './slices/core.ts';
import { createSession, type Session } from './slices/session.ts';

export { newClientMessageId, type IncomingNotice, type SessionControllerOptions } from './slices/core.ts';

export class SessionController {
  readonly store: SessionStore;
  private readonly s: Session;

  constructor(options: SessionControllerOptions) {
    this.s = createSession(options);
    this.store = this.s.store;
  }

  // ---- reading ----------------------------------------------------------------

  get state(): SessionState {
    return this.s.get();
  }

  // The settings in effect live in the store (state.config, .options, .strings, .preEngagement):
  // the UI subscribes to them there; these read them once.

  get strings(): Strings {
    return this.s.strings;
  }

  /** The deployment config, with the settings of a preview laid over it while one is shown. */
  get config(): DeploymentConfig {
    return this.s.config;
  }

  /** The pre-engagement form, its texts (title, labels, options, errors…) in the current language. */
  get form(): PreEngagementForm {
    return this.s.form;
  }

  get options(): WidgetOptions {
    return this.s.options;
  }

  /** Whether the visitor can see new messages right now. */
  get viewing(): boolean {
    return this.s.viewing();
  }

  /** The host page's URL from setContext, if the host sent one (the leave-a-message form forwards it). */
  get hostPageUrl(): string | undefined {
    return this.s.pageUrl;
  }

  // ---- language and preview (slices/language.ts, slices/preview.ts) ------------

  /** Switches the UI language (FlexChat('setLocale'), or the browser's). Messages already shown keep theirs. */
  setLocale(requested: string): void {
    this.s.setLocale(requested);
  }

  /** Shows unsaved settings (FlexChat('preview')), or the deployment's again with `null`. */
  applyPreview(preview: Partial<DeploymentConfig> | null): void {
    this.s.applyPreview(preview);
  }

  // ---- form and hours (slices/form.ts, slices/hours.ts) -----------------------

  /** Shows the form (or the offline view), or resumes the chat kept in storage. Idempotent. */
  start(): void {
    this.s.start();
  }

  setFieldValue(name: string, value: FormValue): void {
    this.s.setFieldValue(name, value);
  }

  /** Values supplied by the host page (FlexChat('identify')); only for configured fields. */
  applyPrefill(prefill: Readonly<Record<string, string>>): void {
    this.s.applyPrefill(prefill);
  }

  /** A signed identity of a logged-in visitor (host page), sent with the next /webchat/init. */
  setUserToken(userToken: string | undefined): void {
    this.s.setUserToken(userToken);
  }

  /** Context supplied by the host page; `pageUrl` is forwarded to the token service. */
  setContext(context: Readonly<Record<string, string>>): void {
    this.s.setContext(context);
  }

  /** The visitor chose the host page's teaser: the next chat shows its text first. */
  setTeaser(text: string): void {
    this.s.setTeaser(text);
  }

  /** Validates the form; when valid, asks for a session and connects. */
  submitForm(): Promise<void> {
    return this.s.submitForm();
  }

  /** Re-evaluates business hours (on a timer; also callable when the page becomes visible). */
  checkBusinessHours(): void {
    this.s.checkBusinessHours();
  }

  // ---- lifecycle and ending (slices/lifecycle.ts, slices/ending.ts) ------------

  /** Runs the error view's recovery action. */
  retry(): Promise<void> {
    return this.s.retry();
  }

  /** Back to the form for a new chat; form values and the composer draft are kept. */
  restart(): void {
    this.s.restart();
  }

  /** The host page forgets the visitor (FlexChat('shutdown')): ends a chat, clears storage and the form. */
  shutdown(): Promise<void> {
    return this.s.shutdown();
  }

  /** Stops everything (the iframe is going away). */
  dispose(): void {
    this.s.dispose();
  }

  /** Whether the widget offers the visitor an End chat button (not with Twilio's hosted init: the agent ends the chat). */
  get visitorCanEnd(): boolean {
    return this.s.tokens.visitorCanEnd;
  }

  /** The visitor ends the chat (after confirming in the UI). */
  endChat(): Promise<void> {
    return this.s.endChat();
  }

  /** Whether the token service can be asked about the ended chat (transcript by e-mail, survey). */
  get canPostAfterEnd(): boolean {
    return this.s.canPostAfterEnd();
  }

  /** Asks the token service about the ended chat: `transcript` ({ email }) or `survey` ({ scale, rating, comment? }). */
  postAfterEnd(route: AfterEndRoute, extra: Record<string, unknown>): Promise<void> {
    return this.s.postAfterEnd(route, extra);
  }

  /** Who wrote a message, as the widget shows it. */
  authorLabel(message: ChatMessage): string {
    return this.s.authorLabel(message);
  }

  // ---- reading position (slices/reading.ts) -------------------------------------

  /** The host page opened or closed the panel. */
  setHostOpen(open: boolean): void {
    this.s.setHostOpen(open);
  }

  /** The iframe's document became visible or hidden (tab switch, minimised window). */
  setPageVisible(visible: boolean): void {
    this.s.setPageVisible(visible);
  }

  /** The message list is (or is no longer) scrolled to the newest message. */
  setAtBottom(atBottom: boolean): void {
    this.s.setAtBottom(atBottom);
  }

  /** Loads the page of history before the oldest message shown. */
  loadOlder(): Promise<void> {
    return this.s.loadOlder();
  }

  /** A short-lived download URL for an attachment of a message. */
  mediaUrl(messageSid: string, mediaSid: string): Promise<string | null> {
    return this.s.mediaUrl(messageSid, mediaSid);
  }

  // ---- composing and sending (slices/composing.ts, slices/outbox.ts) ------------

  setDraft(text: string): void {
    this.s.setDraft(text);
  }

  /** Tells the agent the visitor is typing (the transport throttles). */
  notifyTyping(): void {
    this.s.notifyTyping();
  }

  /** Files from the picker, a drop or a paste: accepted ones join the draft, refused ones explain why. */
  addFiles(files: readonly File[]): void {
    this.s.addFiles(files);
  }

  removeDraftAttachment(id: string): void {
    this.s.removeDraftAttachment(id);
  }

  /** Sends `text`, or the composer draft (and its files); never drops it (slices/outbox.ts). With
   *  `answer` (the reply or list item a rich message offered), its id goes in the attributes. */
  send(text?: string, answer?: RichAnswer): Promise<void> {
    return this.s.send(text, answer);
  }

  /** Sends a failed message again (the visitor's Retry), in the outbox's order; ignored unless it is failed. */
  retryMessage(clientMessageId: string): Promise<void> {
    return this.s.retryMessage(clientMessageId);
  }
}

export function createSessionController(options: SessionControllerOptions): SessionController {
  return new SessionController(options);
}
