// LAZY: the third of @twilio/conversations' stages (load-transport.ts), a task of its
// own: twilio-sync, the SDK's largest dependency.
export { SyncClient } from 'twilio-sync';
