// Stands in for core-js polyfill modules in the widget build (see widget/vite.config.ts):
// the browsers an ES2022 bundle targets implement everything they would patch.
export {};
