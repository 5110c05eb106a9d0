// LAZY: the first of @twilio/conversations' stages (load-transport.ts), a task of its
// own: twilsock and what it needs. Exports, not bare imports, so that the bundler keeps
// the modules; a module is evaluated once, so the SDK's chunk finds them done.
export { TwilsockClient } from 'twilsock';
