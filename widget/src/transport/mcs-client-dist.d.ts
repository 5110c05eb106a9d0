// The files of @twilio/mcs-client's modern build (dist/, CommonJS) that mcs-lazy-client.ts,
// mcs-media-client.ts and their test import by path, typed as the package's declarations type them.
declare module '@twilio/mcs-client/dist/client.js' {
  export { Client } from '@twilio/mcs-client';
}
declare module '@twilio/mcs-client/dist/cancellable-promise.js' {
  export { CancellablePromise } from '@twilio/mcs-client';
}
declare module '@twilio/mcs-client/dist/media.js' {
  export { Media } from '@twilio/mcs-client';
}
declare module '@twilio/mcs-client/dist/index.js' {
  export * from '@twilio/mcs-client';
}
