// LAZY: the second of twilio-chat's stages (legacy-stages.ts): the other twilsock, the
// copy twilio-sync (as twilio-chat has it) depends on.
export { TwilsockClient } from 'legacy-sdk:twilio-sync>twilsock';
