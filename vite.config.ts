// `vite` run at the repository root works on the widget, the iframe app. Each build target
// has its own config in its folder (widget/, loader/, demo-site/), which `npm run build`
// names one by one; tests are configured in vitest.config.ts.
export { default } from './widget/vite.config.ts';
