import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkBudgets, checkFormShell, formShellFiles, measure, type Budget } from './size-budget.ts';

const budgets: Budget[] = [
  { label: 'main', pattern: /^index-\w+\.js$/, maxBytes: 100 },
  { label: 'sdk', pattern: /^sdk-\w+\.js$/, maxBytes: 50 },
];

describe('widget size budgets', () => {
  it('passes files within their budgets and lists each one', () => {
    const result = checkBudgets([{ name: 'index-a1.js', gzipBytes: 100 }, { name: 'sdk-b2.js', gzipBytes: 10 }], budgets);
    expect(result.problems).toEqual([]);
    expect(result.lines).toHaveLength(2);
    expect(result.lines[0]).toMatch(/^ok +100 B \/ 100 B {2}main \(index-a1\.js\)$/);
  });

  it('fails a chunk over its budget, a missing or doubled chunk, and a chunk nobody budgeted', () => {
    const result = checkBudgets(
      [{ name: 'index-a1.js', gzipBytes: 101 }, { name: 'extra-c3.js', gzipBytes: 7 }, { name: 'index-a1.js.map', gzipBytes: 9 }],
      budgets,
    );
    expect(result.problems).toEqual([
      'main is 101 B gzip, over its budget of 100 B',
      'sdk: expected one file matching /^sdk-\\w+\\.js$/, found 0 (none)',
      'extra-c3.js (7 B gzip) has no budget: add one to scripts/size-budget.ts',
    ]);
    expect(checkBudgets([{ name: 'sdk-1.js', gzipBytes: 1 }, { name: 'sdk-2.js', gzipBytes: 1 }, { name: 'index-a.js', gzipBytes: 1 }], budgets).problems).toEqual([
      'sdk: expected one file matching /^sdk-\\w+\\.js$/, found 2 (sdk-1.js, sdk-2.js)',
    ]);
  });

  it('measures gzip -9 sizes of the files in a folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'flexchat-size-'));
    writeFileSync(join(dir, 'index-x.js'), 'a'.repeat(10_000));
    const [file] = measure(dir);
    expect(file?.name).toBe('index-x.js');
    expect(file!.gzipBytes).toBeGreaterThan(20);
    expect(file!.gzipBytes).toBeLessThan(100); // 10,000 equal bytes compress to a few dozen
  });

  it('budgets the chunks the widget build names (widget/vite.config.ts chunkFileNames)', () => {
    const names = [
      'index-Cju_CWHw.js',
      'rolldown-runtime-BWaJ3C7D.js',
      'ChatView-C3MvYhCQ.js',
      'ConfirmDialog-BHV3Jn_i.js',
      'OfflineView-qEUTNH0q.js',
      'notifier-B9P4twAi.js',
      'PostChat-DkRWGWp3.js',
      'PostChat-od-vwP3Y.css',
      'RichMessage--Vo-sT1x.js',
      'RichMessage-uq9I_Qzz.css',
      'locale-es-DamQNgVe.js',
      'locale-fr-BbKwbi4i.js',
      'locale-de-JXMFIw03.js',
      'locale-pt-BR-Qh3J_y1j.js',
      'locale-ar-NBRAJMpa.js',
      'hosted-init-B2dpH_t9.js',
      'conversations-transport-DydqMibt.js',
      'sdk-stage-twilsock-7FsEwLNP.js',
      'sdk-stage-notifications-BRMntZi0.js',
      'sdk-stage-sync-Cdtj9Gyp.js',
      'sdk-twilsock-CzMh-ht2.js',
      'sdk-notifications-B2i65JZe.js',
      'mcs-media-client-Sm7kaeIn.js',
      'sdk-twilio-sync-DC-e7Tlo.js',
      'sdk-shared-CEDb2Jiz.js',
      'legacy-transport-3pqxl1mn.js',
      'legacy-stages-BHjfE5fR.js',
      'legacy-stage-twilsock-De5v9JyJ.js',
      'legacy-stage-sync-twilsock-DugJ-qJx.js',
      'legacy-stage-notifications-EciW5Zur.js',
      'legacy-stage-twilio-sync-C1M_gM0X.js',
      'legacy-twilsock-a_ZbIaYl.js',
      'legacy-sync-twilsock-e3Nn9aBr.js',
      'legacy-notifications-DJHQbg-A.js',
      'legacy-twilio-sync-Bhuezk2K.js',
      'legacy-shared-Btowwp-c.js',
      'time-format.worker-Db6TRHOe.js',
      'transport-shared-DchFCSt2.js',
      'preview-2p_MAsq_.js',
      'EmojiLayer-BKJen5MT.js',
      'EmojiLayer-BMs1KPlQ.css',
      'index-DVD0dCT1.css',
      'shell-boot-CqP3RVl3.js',
      'takeover-fWOdNt69.js',
    ];
    expect(checkBudgets(names.map((name) => ({ name, gzipBytes: 1 }))).problems).toEqual([]);
  });
});

describe('bytes until the form is usable', () => {
  const indexHtml = `<head><link rel="modulepreload" crossorigin="" href="./assets/index-a.js"/>
<link rel="stylesheet" crossorigin href="./assets/index-b.css"></head>
<body><div id="root"></div><template id="fc-shell" data-app="./assets/index-a.js"></template><script src="./assets/shell-boot-c.js" crossorigin=""></script></body>`;
  const files = [
    { name: 'index-a.js', gzipBytes: 90_000 },
    { name: 'index-b.css', gzipBytes: 3_000 },
    { name: 'shell-boot-c.js', gzipBytes: 700 },
  ];

  it('are index.html, its stylesheet and the boot script, not the app', () => {
    expect(formShellFiles(indexHtml)).toEqual(['index-b.css', 'shell-boot-c.js']);
    const result = checkFormShell(1_000, files, formShellFiles(indexHtml), 4_700);
    expect(result.problems).toEqual([]);
    expect(result.lines[0]).toMatch(/^ok +4700 B \/ 4700 B {2}until the form is usable/);
    expect(checkFormShell(1_001, files, formShellFiles(indexHtml), 4_700).problems).toEqual(['the bytes until the form is usable are 4701 B gzip, over their budget of 4700 B']);
  });

  it('says so when the build has no shell, and refuses a shell it cannot account for', () => {
    expect(formShellFiles('<div id="root"></div>')).toBeNull();
    expect(checkFormShell(1_000, files, null).lines[0]).toMatch(/no form shell/);
    expect(() => formShellFiles('<template id="fc-shell"></template>')).toThrow(/no boot script/);
    expect(() => checkFormShell(1_000, [], ['index-b.css'])).toThrow(/not in the assets/);
  });
});
