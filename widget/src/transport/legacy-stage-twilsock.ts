// LAZY: the first of twilio-chat's stages (legacy-stages.ts), a task of its own: the
// twilsock twilio-chat has its own copy of. `legacy-sdk:` names a package as twilio-chat
// resolves it (sdk-stages-plugin.ts); exports, not bare imports, so that the bundler
// keeps the modules. A module is evaluated once: the SDK's chunk finds them done.
export { TwilsockClient } from 'legacy-sdk:twilsock';
