// LAZY: @twilio/mcs-client's Client (its network, transport and configuration), the chunk
// mcs-lazy-client.ts loads on the first media request: a chat without attachments never
// fetches it.
export { Client } from '@twilio/mcs-client/dist/client.js';
