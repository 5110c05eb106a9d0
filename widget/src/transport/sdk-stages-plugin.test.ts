import type { OutputBundle } from 'rolldown';
import { describe, expect, it } from 'vitest';
import { sdkStages, stagedPackageIn, staticClosure } from './sdk-stages-plugin.ts';

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
  'assets/legacy-transport-k.js': ['assets/sdk-shared-f.js'],
});

describe('sdk-stages plugin', () => {
  it('names the chunk of a staged package, not twilio-chat’s own copy of it', () => {
    expect(stagedPackageIn(['/app/node_modules/twilsock/builds/browser.js', '/app/node_modules/@twilio/operation-retrier/builds/browser.js'])).toBe('twilsock');
    expect(stagedPackageIn(['/app/node_modules/@twilio/notifications/builds/browser.js'])).toBe('notifications');
    expect(stagedPackageIn(['C:\\app\\node_modules\\twilio-sync\\builds\\browser.js'])).toBe('twilio-sync');
    expect(stagedPackageIn(['/app/node_modules/twilio-chat/node_modules/twilsock/builds/browser.js'])).toBeUndefined();
    expect(stagedPackageIn(['/app/widget/src/transport/sdk-transport.ts'])).toBeUndefined();
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
    (stages.plugin.generateBundle as (options: unknown, output: OutputBundle) => void)({}, bundle);
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
    expect(stages.resolveDependencies('assets/legacy-transport-k.js', ['assets/legacy-transport-k.js', 'assets/sdk-shared-f.js'])).toEqual(['assets/legacy-transport-k.js', 'assets/sdk-shared-f.js']);
  });

  it('fails the build when a stage is missing, rather than preloading less', () => {
    const stages = sdkStages();
    const { 'assets/conversations-transport-i.js': _last, ...withoutSdk } = bundle;
    (stages.plugin.generateBundle as (options: unknown, output: OutputBundle) => void)({}, withoutSdk as OutputBundle);
    expect(() => stages.resolveDependencies('assets/sdk-stage-twilsock-c.js', [])).toThrow(/no chunk matching .*conversations-transport/);
  });
});
