// Build step (Node only): @twilio/conversations in stages (#18, no long task on resume).
// Evaluated as one module graph, the SDK and its dependencies made one task of about
// 100 ms on a slow machine. load-transport.ts imports them a stage at a time instead, a
// task apart: sdk-stage-twilsock.ts, sdk-stage-notifications.ts (with the media client),
// sdk-stage-sync.ts (twilio-sync), then the SDK with its adapter. This file
//   - names the chunks those dependencies land in, sdk-<package>-<hash>.js, so that the
//     size budgets (scripts/size-budget.ts) can hold each one;
//   - makes the first stage's import preload every stage's files, so that the stages cost
//     one round trip, not four: each later import finds its files fetched and compiled
//     (and so needs no preload list of its own in the main chunk).
import type { OutputBundle, OutputChunk } from 'rolldown';
import type { Plugin } from 'vite';

/** The packages the stages before the SDK evaluate, by the chunk each one's files land in. */
const STAGED_PACKAGES = ['twilio-sync', 'twilsock', '@twilio/notifications'] as const;
const FIRST_STAGE = /(^|\/)sdk-stage-twilsock-[\w-]+\.js$/;
const LATER_STAGES = [/(^|\/)sdk-stage-notifications-[\w-]+\.js$/, /(^|\/)sdk-stage-sync-[\w-]+\.js$/, /(^|\/)conversations-transport-[\w-]+\.js$/];

/** The staged package a chunk holds files of (as @twilio/conversations uses it, not twilio-chat's own copies), as a file name part. */
export function stagedPackageIn(moduleIds: readonly string[]): string | undefined {
  const paths = moduleIds.map((id) => id.replaceAll('\\', '/')).filter((path) => !path.includes('/twilio-chat/'));
  const found = STAGED_PACKAGES.find((name) => paths.some((path) => path.includes(`/node_modules/${name}/`)));
  return found?.replace('@twilio/', '');
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

export function sdkStages(): { plugin: Plugin; resolveDependencies: (filename: string, deps: string[]) => string[] } {
  let bundle: OutputBundle | undefined;
  return {
    // Runs before Vite writes the preload lists (its import analysis is a later plugin).
    plugin: {
      name: 'flexchat-sdk-stages',
      apply: 'build',
      generateBundle(_options, output) {
        bundle = output;
      },
    },
    resolveDependencies(filename, deps) {
      // Fetched with the first stage: a list of its own would only cost the main chunk bytes.
      if (LATER_STAGES.some((stage) => stage.test(filename))) return [];
      if (!FIRST_STAGE.test(filename)) return deps;
      const files = new Set(deps);
      for (const stage of LATER_STAGES) {
        const name = bundle && Object.keys(bundle).find((file) => stage.test(file));
        if (!bundle || !name) throw new Error(`sdk-stages: no chunk matching ${stage} to preload with the first stage; review widget/src/transport/sdk-stages-plugin.ts`);
        // Not the entry chunk (a stage imports from it): the page has run it already.
        for (const file of staticClosure(bundle, name)) if (!(bundle[file] as OutputChunk).isEntry) files.add(file);
      }
      return [...files];
    },
  };
}
