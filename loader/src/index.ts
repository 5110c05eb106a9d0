// Entry of loader.js (one IIFE). Debug logging: add `data-debug` to the script tag.
import { boot } from './loader.ts';

const script = document.currentScript;
boot(window, __FLEXCHAT_DEPLOYMENT__, !!script && script.hasAttribute('data-debug'));
