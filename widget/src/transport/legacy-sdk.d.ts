// `legacy-sdk:<package>[><package>…]`: a package as twilio-chat resolves it (its own
// copies), resolved by sdk-stages-plugin.ts. The stages import these only to have them
// evaluated before the SDK; nothing uses what they export.
declare module 'legacy-sdk:*' {
  export const TwilsockClient: unknown;
  export const Notifications: unknown;
  export const McsClient: unknown;
  export const SyncClient: unknown;
}
