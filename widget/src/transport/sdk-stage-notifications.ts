// LAZY: the second of @twilio/conversations' stages (load-transport.ts), a task of its
// own: the notifications and media clients.
export { Notifications } from '@twilio/notifications';
export { McsClient } from '@twilio/mcs-client';
