// Build step (Node only): each Twilio SDK in stages (#18, no long task on resume).
// Evaluated as one module graph, an SDK and its dependencies made one task: about 100 ms
// for @twilio/conversations and 130–270 ms for twilio-chat on a slow machine.
// load-transport.ts imports them a stage at a time instead, a task apart:
//   - @twilio/conversations: sdk-stage-twilsock.ts, sdk-stage-notifications.ts (with the
//     media client), sdk-stage-sync.ts (twilio-sync), then the SDK with its adapter;
//   - twilio-chat (legacy-stages.ts): legacy-stage-twilsock.ts, legacy-stage-sync-twilsock.ts
//     (twilio-sync's own twilsock), legacy-stage-notifications.ts, legacy-stage-twilio-sync.ts,
//     then the SDK.
// This file
//   - resolves `legacy-sdk:<package>[><package>…]`, a package as twilio-chat resolves it
//     (its own copies, older than the Conversations SDK's), so that a stage evaluates the
//     very module the SDK imports;
//   - names the chunks those dependencies land in, sdk-<package>-<hash>.js and
//     legacy-<package>-<hash>.js, so that the size budgets (scripts/size-budget.ts) can
//     hold each one;
//   - makes each SDK's first stage's import preload all of its stages' files, so that the
//     stages cost one round trip, not four or five: each later import finds its files
//     fetched and compiled (and so needs no preload list of its own in the main chunk).
import type { OutputBundle, OutputChunk } from 'rolldown';
import type { Plugin } from 'vite';

/** The packages the Conversations stages evaluate before the SDK, by the chunk each one's files land in. */
const STAGED_PACKAGES = ['twilio-sync', 'twilsock', '@twilio/notifications'] as const;
/** The same for twilio-chat, by their place under it (the nested twilsock first: it is also under twilio-sync). */
const LEGACY_STAGED_PATHS = [
  ['/twilio-chat/node_modules/twilio-sync/node_modules/twilsock/', 'sync-twilsock'],
  ['/twilio-chat/node_modules/twilio-sync/', 'twilio-sync'],
  ['/twilio-chat/node_modules/twilsock/', 'twilsock'],
  ['/twilio-chat/node_modules/@twilio/notifications/', 'notifications'],
] as const;

interface Pipeline {
  first: RegExp;
  later: RegExp[];
}

const PIPELINES: Pipeline[] = [
  {
    first: /(^|\/)sdk-stage-twilsock-[\w-]+\.js$/,
    later: [/(^|\/)sdk-stage-notifications-[\w-]+\.js$/, /(^|\/)sdk-stage-sync-[\w-]+\.js$/, /(^|\/)conversations-transport-[\w-]+\.js$/],
  },
  {
    first: /(^|\/)legacy-stage-twilsock-[\w-]+\.js$/,
    later: [
      /(^|\/)legacy-stage-sync-twilsock-[\w-]+\.js$/,
      /(^|\/)legacy-stage-notifications-[\w-]+\.js$/,
      /(^|\/)legacy-stage-twilio-sync-[\w-]+\.js$/,
      /(^|\/)legacy-transport-[\w-]+\.js$/,
    ],
  },
];

const LEGACY_SDK = 'legacy-sdk:';

const slashed = (moduleIds: readonly string[]) => moduleIds.map((id) => id.replaceAll('\\', '/'));

/** The staged package a chunk holds files of (as @twilio/conversations uses it, not twilio-chat's own copies), as a file name part. */
export function stagedPackageIn(moduleIds: readonly string[]): string | undefined {
  const paths = slashed(moduleIds).filter((path) => !path.includes('/twilio-chat/'));
  const found = STAGED_PACKAGES.find((name) => paths.some((path) => path.includes(`/node_modules/${name}/`)));
  return found?.replace('@twilio/', '');
}

/** The same for twilio-chat's stages: which of its copies of a staged package a chunk holds files of, else "shared" for its other dependencies. */
export function legacyStagedPackageIn(moduleIds: readonly string[]): string | undefined {
  const paths = slashed(moduleIds);
  const staged = LEGACY_STAGED_PATHS.find(([place]) => paths.some((path) => path.includes(place)))?.[1];
  // What more than one of them needs (its operation retrier): a chunk of its own.
  return staged ?? (paths.some((path) => path.includes('/twilio-chat/node_modules/')) ? 'shared' : undefined);
}

/** `fileName` and every chunk it imports statically, at any depth. */
export function staticClosure(bundle: OutputBundle, fileName: string): string[] {
  const seen = new Set<string>();
  const visit = (name: string) => {
    const chunk = bundle[name];
    if (seen.has(name) || chunk?.type !== 'chunk') return;
    seen.add(name);
    for (const imported of (chunk as OutputChunk).imports) visit(imported);
  };
  visit(fileName);
  return [...seen];
}

/**
 * Resolves `legacy-sdk:a>b`: package `a` as twilio-chat imports it, then `b` as `a` does,
 * with the build's own resolver (so the same file, browser field and all, as the SDK's import).
 */
export function legacySdkResolver(): Plugin {
  return {
    name: 'flexchat-legacy-sdk',
    enforce: 'pre',
    async resolveId(id, importer) {
      if (!id.startsWith(LEGACY_SDK)) return null;
      let from = importer;
      for (const name of ['twilio-chat', ...id.slice(LEGACY_SDK.length).split('>')]) {
        const resolved = await this.resolve(name, from, { skipSelf: true });
        if (!resolved) throw new Error(`${id}: cannot resolve ${name} from ${from ?? 'the project'}`);
        from = resolved.id;
      }
      return from;
    },
  };
}

export function sdkStages(): { plugins: Plugin[]; resolveDependencies: (filename: string, deps: string[]) => string[] } {
  let bundle: OutputBundle | undefined;
  return {
    plugins: [
      legacySdkResolver(),
      // Runs before Vite writes the preload lists (its import analysis is a later plugin).
      {
        name: 'flexchat-sdk-stages',
        apply: 'build',
        generateBundle(_options, output) {
          bundle = output;
        },
      },
    ],
    resolveDependencies(filename, deps) {
      // Fetched with the first stage: a list of its own would only cost the main chunk bytes.
      if (PIPELINES.some((pipeline) => pipeline.later.some((stage) => stage.test(filename)))) return [];
      const pipeline = PIPELINES.find(({ first }) => first.test(filename));
      if (!pipeline) return deps;
      const files = new Set(deps);
      for (const stage of pipeline.later) {
        const name = bundle && Object.keys(bundle).find((file) => stage.test(file));
        if (!bundle || !name) throw new Error(`sdk-stages: no chunk matching ${stage} to preload with the first stage; review widget/src/transport/sdk-stages-plugin.ts`);
        // Not the entry chunk (a stage imports from it): the page has run it already.
        for (const file of staticClosure(bundle, name)) if (!(bundle[file] as OutputChunk).isEntry) files.add(file);
      }
      return [...files];
    },
  };
}
