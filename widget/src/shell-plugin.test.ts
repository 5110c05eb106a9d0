// @vitest-environment node
import { describe, expect, it } from 'vitest';
import { buildBootScript, insertShell, preloadInsteadOfRunning } from './shell-plugin.ts';

const html = `<head>
<script type="module" crossorigin src="./assets/index-a.js"></script>
</head><body><div id="root"></div></body>`;

describe('the form shell build step', () => {
  it('puts the markup right after the empty mount point', () => {
    expect(insertShell(html, '<template id="fc-shell"></template>')).toContain('<div id="root"></div><template id="fc-shell"></template></body>');
  });

  it('preloads the app instead of running it', () => {
    const out = preloadInsteadOfRunning(html, './assets/index-a.js', '<link rel="modulepreload" crossorigin="" href="./assets/index-a.js"/>');
    expect(out).not.toContain('<script');
    expect(out).toContain('<link rel="modulepreload" crossorigin="" href="./assets/index-a.js"/>');
  });

  it('refuses a page it does not know how to change', () => {
    expect(() => insertShell('<div id="root"></div><div id="root"></div>', 'x')).toThrow(/once/);
    expect(() => insertShell('<main></main>', 'x')).toThrow(/once/);
    expect(() => preloadInsteadOfRunning(html, './assets/index-b.js', 'x')).toThrow(/once/);
  });

  it('builds the boot script as one classic script: nothing imported, nothing exported', async () => {
    const code = await buildBootScript();
    expect(code).not.toMatch(/\bimport\b|\bexport\b/);
    expect(code).toMatch(/^\(function\(\)\{/);
    expect(code).toContain('flexchat:session');
  }, 30_000);
});
