// @vitest-environment node
import type { Rolldown } from 'vite';
import { describe, expect, it } from 'vitest';
import { formPathFiles, prefetchPage } from './prefetch-page-plugin.ts';

type Bundle = Record<string, Rolldown.OutputChunk | Rolldown.OutputAsset>;

const chunk = (fileName: string, extra: { isEntry?: boolean; imports?: string[]; css?: string[] } = {}) =>
  ({
    type: 'chunk',
    fileName,
    isEntry: extra.isEntry ?? false,
    imports: extra.imports ?? [],
    viteMetadata: { importedCss: new Set(extra.css ?? []), importedAssets: new Set() },
  }) as unknown as Rolldown.OutputChunk;

describe('prefetch.html', () => {
  it('lists the entry, its static imports (once each) and their CSS, not the lazy chunks', () => {
    const bundle: Bundle = {
      'assets/runtime-a.js': chunk('assets/runtime-a.js'),
      'assets/shared-b.js': chunk('assets/shared-b.js', { imports: ['assets/runtime-a.js'] }),
      'assets/index-c.js': chunk('assets/index-c.js', { isEntry: true, imports: ['assets/runtime-a.js', 'assets/shared-b.js'], css: ['assets/index-c.css'] }),
      'assets/ChatView-d.js': chunk('assets/ChatView-d.js', { imports: ['assets/runtime-a.js'], css: ['assets/ChatView-d.css'] }),
    };
    expect(formPathFiles(bundle)).toEqual(['assets/index-c.js', 'assets/index-c.css', 'assets/runtime-a.js', 'assets/shared-b.js']);
  });

  it("lists the form shell's boot script first, when the build has one", () => {
    const bundle: Bundle = {
      'assets/index-c.js': chunk('assets/index-c.js', { isEntry: true, css: ['assets/index-c.css'] }),
      'assets/shell-boot-e.js': { type: 'asset', fileName: 'assets/shell-boot-e.js' } as Rolldown.OutputAsset,
      'index.html': { type: 'asset', fileName: 'index.html' } as Rolldown.OutputAsset,
    };
    expect(formPathFiles(bundle)).toEqual(['assets/shell-boot-e.js', 'assets/index-c.js', 'assets/index-c.css']);
  });

  it('is prefetch links only, requested as the widget document requests them', () => {
    const page = prefetchPage(['assets/index-c.js', 'assets/index-c.css']);
    expect(page).not.toMatch(/<script/i);
    expect(page.match(/<link [^>]+>/g)).toEqual(['<link rel="prefetch" href="./assets/index-c.js" crossorigin>', '<link rel="prefetch" href="./assets/index-c.css" crossorigin>']);
  });

  it('refuses a file name it would have to escape', () => {
    expect(() => prefetchPage(['assets/a".js'])).toThrow(/unexpected file name/);
  });

  it('needs an entry chunk', () => {
    expect(() => formPathFiles({})).toThrow(/no entry chunk/);
  });
});
