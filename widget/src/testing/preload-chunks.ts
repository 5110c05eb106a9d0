// Setup file of the dom test project: what production fetches as chunks of their own
// (each language but English, the chat view and other lazy views) is loaded before
// the tests run, as the widget's entry loads them before they are needed, so tests
// render synchronously. Their lazy paths are tested on purpose in
// i18n/i18n.test.ts, ui/lazy-view.test.tsx and host-wiring.test.ts.
import { loadCatalogue, supportedLocales } from '../i18n/locales.ts';
import { OfflineView, preloadViews } from '../ui/App.tsx';

await Promise.all([...supportedLocales().map((locale) => loadCatalogue(locale)), preloadViews(), OfflineView.preload()]);
