// LAZY: the fourth of twilio-chat's stages (legacy-stages.ts): twilio-sync, the largest.
export { SyncClient } from 'legacy-sdk:twilio-sync';
