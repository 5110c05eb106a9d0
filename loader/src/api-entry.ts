// Entry of loader-api.<hash>.js (one IIFE), fetched by the core (src/index.ts):
// hands the API chunk to the waiting core. Does nothing if no core awaits it.
import { installOnce } from './install-once.ts';
import type { HostWindow } from './loader.ts';

const api = (window as HostWindow).FlexChat;
if (api && api.x) api.x(installOnce);
