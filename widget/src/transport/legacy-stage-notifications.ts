// LAZY: the third of twilio-chat's stages (legacy-stages.ts): its notifications and
// media clients.
export { Notifications } from 'legacy-sdk:@twilio/notifications';
export { McsClient } from 'legacy-sdk:@twilio/mcs-client';
