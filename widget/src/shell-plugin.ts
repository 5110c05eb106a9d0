// Build step (Node only): the form shell. The widget document's first view, the pre-chat
// form in the deployment's default language, is known at build time; this writes it into
// index.html (React's server renderer, the app's own components: shell/prerender.tsx) with
// the boot script that shows it (shell/boot.ts, built on its own as a small classic
// script), so a visitor can type before the app's chunk has run. The boot script also
// runs the app's chunk, which index.html then only preloads. The theme's colours come
// from a stylesheet module the app's CSS includes (the shell's markup may carry no style
// attribute under the widget's CSP).
import { resolve } from 'node:path';
import { build, runnerImport, type Plugin, type Rolldown } from 'vite';
import type { DeploymentConfig } from '../../config/types.ts';

export const SHELL_THEME_MODULE = 'virtual:flexchat-shell-theme.css';
/** Where the shell goes: the app's mount point, empty in widget/index.html. */
const ROOT_ELEMENT = '<div id="root"></div>';

type Prerender = typeof import('./shell/prerender.tsx');

const srcDir = import.meta.dirname;

/** The boot script as one self-contained classic script (no module: it runs where it stands). */
export async function buildBootScript(): Promise<string> {
  const result = await build({
    configFile: false,
    logLevel: 'warn',
    build: {
      write: false,
      target: 'es2022',
      minify: true,
      lib: { entry: resolve(srcDir, 'shell/boot-entry.ts'), formats: ['iife'], name: 'flexchatShellBoot' },
    },
  });
  const outputs = (Array.isArray(result) ? result : [result]) as Rolldown.RolldownOutput[];
  const chunk = outputs.flatMap((output) => output.output).find((file): file is Rolldown.OutputChunk => file.type === 'chunk');
  if (!chunk) throw new Error('form shell: the boot script build produced no chunk');
  return chunk.code;
}

/** Puts `markup` (React's server renderer output) right after the empty mount point. */
export function insertShell(html: string, markup: string): string {
  const at = html.indexOf(ROOT_ELEMENT);
  if (at < 0 || html.indexOf(ROOT_ELEMENT, at + 1) >= 0) throw new Error(`form shell: index.html must hold ${ROOT_ELEMENT} once`);
  const end = at + ROOT_ELEMENT.length;
  return html.slice(0, end) + markup + html.slice(end);
}

/** index.html preloads the app's module instead of running it: the boot script runs it. */
export function preloadInsteadOfRunning(html: string, app: string, preload: string): string {
  const tag = `<script type="module" crossorigin src="${app}"></script>`;
  const at = html.indexOf(tag);
  if (at < 0 || html.indexOf(tag, at + 1) >= 0) throw new Error(`form shell: index.html must hold ${tag} once`);
  return html.slice(0, at) + preload + html.slice(at + tag.length);
}

let prerenderModule: Promise<Prerender> | undefined;
const loadPrerender = (): Promise<Prerender> =>
  (prerenderModule ??= runnerImport<Prerender>(resolve(srcDir, 'shell/prerender.tsx'), { configFile: false, logLevel: 'warn' }).then((r) => r.module));

export function formShellPlugin(deployment: DeploymentConfig): Plugin[] {
  return [
    {
      name: 'flexchat-shell-theme',
      resolveId: (id) => (id === SHELL_THEME_MODULE ? id : undefined),
      async load(id) {
        if (id !== SHELL_THEME_MODULE) return undefined;
        return (await loadPrerender()).shellThemeCss(deployment);
      },
    },
    {
      name: 'flexchat-form-shell',
      apply: 'build',
      generateBundle: {
        order: 'post',
        async handler(_options, bundle) {
          const page = bundle['index.html'];
          if (page?.type !== 'asset') throw new Error('form shell: the widget build has no index.html');
          const prerender = await loadPrerender();
          const reason = prerender.shellUnknowable(deployment);
          if (reason !== null) {
            this.info(`no form shell: the first view depends on ${reason}`);
            return;
          }
          const entry = Object.values(bundle).find((file): file is Rolldown.OutputChunk => file.type === 'chunk' && file.isEntry);
          if (!entry) throw new Error('form shell: the widget build has no entry chunk');
          const boot = this.emitFile({ type: 'asset', name: 'shell-boot.js', source: await buildBootScript() });
          const app = `./${entry.fileName}`;
          const markup = await prerender.prerenderFormShell(deployment, { boot: `./${this.getFileName(boot)}`, app });
          if (markup === null) return;
          page.source = insertShell(preloadInsteadOfRunning(String(page.source), app, prerender.appPreload(app)), markup);
        },
      },
    },
  ];
}
