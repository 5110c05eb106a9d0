import type { OutputBundle } from 'rolldown';
import { describe, expect, it } from 'vitest';
import { legacySdkResolver, legacyStagedPackageIn, sdkStages, stagedPackageIn, staticClosure } from './sdk-stages-plugin.ts';

/** A bundle of chunks by name, each with the chunks it imports statically. */
function bundleOf(chunks: Record<string, string[]>): OutputBundle {
  return Object.fromEntries(
    Object.entries(chunks).map(([fileName, imports]) => [fileName, { type: 'chunk', fileName, imports, isEntry: fileName.startsWith('assets/index-') }]),
  ) as unknown as OutputBundle;
}

const bundle = bundleOf({
  'assets/index-a.js': ['assets/rolldown-runtime-b.js'],
  'assets/rolldown-runtime-b.js': [],
  'assets/sdk-stage-twilsock-c.js': ['assets/sdk-twilsock-d.js'],
  'assets/sdk-twilsock-d.js': ['assets/sdk-shared-f.js', 'assets/rolldown-runtime-b.js'],
  'assets/sdk-stage-notifications-l.js': ['assets/sdk-notifications-e.js'],
  'assets/sdk-notifications-e.js': ['assets/sdk-twilsock-d.js'],
  'assets/sdk-shared-f.js': ['assets/rolldown-runtime-b.js'],
  'assets/sdk-stage-sync-g.js': ['assets/sdk-twilio-sync-h.js'],
  'assets/sdk-twilio-sync-h.js': ['assets/sdk-twilsock-d.js'],
  'assets/conversations-transport-i.js': ['assets/sdk-twilio-sync-h.js', 'assets/transport-shared-j.js', 'assets/index-a.js'],
  'assets/transport-shared-j.js': [],
  'assets/legacy-transport-k.js': ['assets/sdk-shared-f.js', 'assets/legacy-twilsock-m.js', 'assets/legacy-twilio-sync-p.js', 'assets/index-a.js'],
  'assets/legacy-stages-q.js': ['assets/index-a.js'],
  'assets/legacy-stage-twilsock-r.js': ['assets/legacy-twilsock-m.js'],
  'assets/legacy-twilsock-m.js': ['assets/legacy-shared-s.js', 'assets/sdk-shared-f.js'],
  'assets/legacy-shared-s.js': [],
  'assets/legacy-stage-sync-twilsock-t.js': ['assets/legacy-sync-twilsock-u.js'],
  'assets/legacy-sync-twilsock-u.js': ['assets/legacy-shared-s.js'],
  'assets/legacy-stage-notifications-v.js': ['assets/legacy-notifications-w.js'],
  'assets/legacy-notifications-w.js': ['assets/legacy-twilsock-m.js'],
  'assets/legacy-stage-twilio-sync-x.js': ['assets/legacy-twilio-sync-p.js'],
  'assets/legacy-twilio-sync-p.js': ['assets/legacy-sync-twilsock-u.js'],
});

describe('sdk-stages plugin', () => {
  it('names the chunk of a staged package, not twilio-chat’s own copy of it', () => {
    expect(stagedPackageIn(['/app/node_modules/twilsock/builds/browser.js', '/app/node_modules/@twilio/operation-retrier/builds/browser.js'])).toBe('twilsock');
    expect(stagedPackageIn(['/app/node_modules/@twilio/notifications/builds/browser.js'])).toBe('notifications');
    expect(stagedPackageIn(['C:\\app\\node_modules\\twilio-sync\\builds\\browser.js'])).toBe('twilio-sync');
    expect(stagedPackageIn(['/app/node_modules/twilio-chat/node_modules/twilsock/builds/browser.js'])).toBeUndefined();
    expect(stagedPackageIn(['/app/widget/src/transport/sdk-transport.ts'])).toBeUndefined();
  });

  it("names the chunks of twilio-chat's own copies of the staged packages, the nested twilsock apart", () => {
    expect(legacyStagedPackageIn(['/app/node_modules/twilio-chat/node_modules/twilsock/builds/browser.js'])).toBe('twilsock');
    expect(
      legacyStagedPackageIn([
        '/app/node_modules/twilio-chat/node_modules/twilio-sync/node_modules/@twilio/operation-retrier/builds/browser.js',
        '/app/node_modules/twilio-chat/node_modules/twilio-sync/node_modules/twilsock/builds/browser.js',
      ]),
    ).toBe('sync-twilsock');
    expect(legacyStagedPackageIn(['C:\\app\\node_modules\\twilio-chat\\node_modules\\twilio-sync\\builds\\browser.js'])).toBe('twilio-sync');
    expect(legacyStagedPackageIn(['/app/node_modules/twilio-chat/node_modules/@twilio/notifications/builds/browser.js'])).toBe('notifications');
    expect(legacyStagedPackageIn(['/app/node_modules/twilio-chat/node_modules/@twilio/operation-retrier/builds/browser.js'])).toBe('shared');
    expect(legacyStagedPackageIn(['/app/node_modules/twilsock/builds/browser.js'])).toBeUndefined();
    expect(legacyStagedPackageIn(['/app/node_modules/@babel/runtime/helpers/typeof.js'])).toBeUndefined();
  });

  it('resolves legacy-sdk:a>b as twilio-chat resolves a, then a resolves b; leaves other ids alone', async () => {
    const resolver = legacySdkResolver();
    const calls: Array<[string, string | undefined]> = [];
    const context = {
      resolve: async (id: string, importer: string | undefined) => {
        calls.push([id, importer]);
        return { id: `${importer ?? '/app'}|${id}` };
      },
    };
    const resolveId = resolver.resolveId as (this: typeof context, id: string, importer?: string) => Promise<string | null>;
    expect(await resolveId.call(context, 'legacy-sdk:twilio-sync>twilsock', '/app/stage.ts')).toBe('/app/stage.ts|twilio-chat|twilio-sync|twilsock');
    expect(calls).toEqual([
      ['twilio-chat', '/app/stage.ts'],
      ['twilio-sync', '/app/stage.ts|twilio-chat'],
      ['twilsock', '/app/stage.ts|twilio-chat|twilio-sync'],
    ]);
    expect(await resolveId.call(context, 'twilsock', '/app/stage.ts')).toBeNull();
    const unresolvable = { resolve: async () => null };
    await expect(resolveId.call(unresolvable as unknown as typeof context, 'legacy-sdk:twilsock', '/app/stage.ts')).rejects.toThrow(/cannot resolve twilio-chat/);
  });

  it('follows static imports at any depth, each chunk once', () => {
    expect(staticClosure(bundle, 'assets/sdk-stage-sync-g.js').sort()).toEqual([
      'assets/rolldown-runtime-b.js',
      'assets/sdk-shared-f.js',
      'assets/sdk-stage-sync-g.js',
      'assets/sdk-twilio-sync-h.js',
      'assets/sdk-twilsock-d.js',
    ]);
  });

  it("has the first stage's import preload every stage's files, the later stages' none, other imports' their own", () => {
    const stages = sdkStages();
    (stages.plugins.find((plugin) => plugin.name === 'flexchat-sdk-stages')!.generateBundle as (options: unknown, output: OutputBundle) => void)({}, bundle);
    const firstStageDeps = ['assets/sdk-stage-twilsock-c.js', 'assets/sdk-twilsock-d.js', 'assets/sdk-shared-f.js'];
    const preloaded = stages.resolveDependencies('assets/sdk-stage-twilsock-c.js', firstStageDeps);
    expect(preloaded.slice(0, firstStageDeps.length)).toEqual(firstStageDeps);
    expect(new Set(preloaded).size).toBe(preloaded.length);
    for (const file of [
      'assets/sdk-stage-notifications-l.js',
      'assets/sdk-notifications-e.js',
      'assets/sdk-stage-sync-g.js',
      'assets/sdk-twilio-sync-h.js',
      'assets/conversations-transport-i.js',
      'assets/transport-shared-j.js',
    ]) {
      expect(preloaded).toContain(file);
    }
    expect(preloaded).not.toContain('assets/legacy-transport-k.js');
    // The SDK imports from the entry chunk, which the page has already run.
    expect(preloaded).not.toContain('assets/index-a.js');
    expect(stages.resolveDependencies('assets/sdk-stage-sync-g.js', ['assets/sdk-stage-sync-g.js', 'assets/sdk-twilio-sync-h.js'])).toEqual([]);
    expect(stages.resolveDependencies('assets/conversations-transport-i.js', ['assets/conversations-transport-i.js'])).toEqual([]);
    expect(stages.resolveDependencies('assets/ChatView-y.js', ['assets/ChatView-y.js', 'assets/rolldown-runtime-b.js'])).toEqual(['assets/ChatView-y.js', 'assets/rolldown-runtime-b.js']);
  });

  it("has twilio-chat's first stage preload its stages' files, not the Conversations SDK's", () => {
    const stages = sdkStages();
    (stages.plugins.find((plugin) => plugin.name === 'flexchat-sdk-stages')!.generateBundle as (options: unknown, output: OutputBundle) => void)({}, bundle);
    const preloaded = stages.resolveDependencies('assets/legacy-stage-twilsock-r.js', ['assets/legacy-stage-twilsock-r.js', 'assets/legacy-twilsock-m.js']);
    expect(preloaded.sort()).toEqual(
      [
        'assets/legacy-notifications-w.js',
        'assets/legacy-shared-s.js',
        'assets/legacy-stage-notifications-v.js',
        'assets/legacy-stage-sync-twilsock-t.js',
        'assets/legacy-stage-twilio-sync-x.js',
        'assets/legacy-stage-twilsock-r.js',
        'assets/legacy-sync-twilsock-u.js',
        'assets/legacy-transport-k.js',
        'assets/legacy-twilio-sync-p.js',
        'assets/legacy-twilsock-m.js',
        'assets/rolldown-runtime-b.js',
        'assets/sdk-shared-f.js',
      ].sort(),
    );
    for (const later of ['assets/legacy-stage-sync-twilsock-t.js', 'assets/legacy-stage-notifications-v.js', 'assets/legacy-stage-twilio-sync-x.js', 'assets/legacy-transport-k.js']) {
      expect(stages.resolveDependencies(later, [later])).toEqual([]);
    }
    // The chunk that runs the stages loads with its own files only.
    expect(stages.resolveDependencies('assets/legacy-stages-q.js', ['assets/legacy-stages-q.js'])).toEqual(['assets/legacy-stages-q.js']);
  });

  it('fails the build when a stage is missing, rather than preloading less', () => {
    const stages = sdkStages();
    const { 'assets/conversations-transport-i.js': _last, ...withoutSdk } = bundle;
    (stages.plugins.find((plugin) => plugin.name === 'flexchat-sdk-stages')!.generateBundle as (options: unknown, output: OutputBundle) => void)({}, withoutSdk as OutputBundle);
    expect(() => stages.resolveDependencies('assets/sdk-stage-twilsock-c.js', [])).toThrow(/no chunk matching .*conversations-transport/);
  });
});
