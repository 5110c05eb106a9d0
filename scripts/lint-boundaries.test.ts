// The import boundaries in eslint.config.js, checked on made-up files: each
// forbidden import is reported with its rule's message, and the imports the
// layout allows are not.
import { ESLint } from 'eslint';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';

const root = resolve(import.meta.dirname, '..');
let eslint: ESLint;

beforeAll(() => {
  eslint = new ESLint({ cwd: root });
});

/** The boundary messages ESLint reports for `code` placed at `file` (other rules ignored). */
async function boundaryErrors(file: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: resolve(root, file) });
  return (result?.messages ?? [])
    .filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports' || m.ruleId === 'no-restricted-syntax')
    .map((m) => m.message);
}

const use = (specifier: string) => `import { x } from '${specifier}';\nexport const y = x;\n`;
const lazy = (specifier: string) => `export const load = () => import('${specifier}');\n`;
const typeOnly = (specifier: string) => `import type { X } from '${specifier}';\nexport type Y = X;\n`;

describe('import boundaries', () => {
  it('the loader imports nothing from the widget or the emulator', async () => {
    expect(await boundaryErrors('loader/src/new.ts', use('../../widget/src/bridge/host-bridge.ts'))).toEqual([
      expect.stringContaining('Nothing from the widget here'),
    ]);
    expect(await boundaryErrors('loader/src/new.ts', lazy('../../widget/src/main.tsx'))).toHaveLength(1);
    expect(await boundaryErrors('loader/src/new.ts', typeOnly('../../emulator/src/config.ts'))).toEqual([
      expect.stringContaining('nothing from the emulator'),
    ]);
    expect(await boundaryErrors('loader/src/new.ts', use('../../contracts/bridge-protocol.ts'))).toEqual([]);
  });

  it('the emulator imports nothing from the widget', async () => {
    expect(await boundaryErrors('emulator/src/new.ts', typeOnly('../../widget/src/transport/chat-transport.ts'))).toEqual([
      expect.stringContaining('Nothing from the widget here'),
    ]);
  });

  it('widget, server and demo site import nothing from the emulator', async () => {
    for (const file of ['widget/src/new.ts', 'widget/src/transport/new.ts', 'server/src/new.ts', 'demo-site/src/new.ts']) {
      expect(await boundaryErrors(file, use('../../emulator/src/emulator.ts')), file).toEqual([
        expect.stringContaining('nothing from the emulator'),
      ]);
    }
    expect(await boundaryErrors('widget/src/transport/new.ts', lazy('../../../emulator/src/emulator.ts'))).toHaveLength(1);
  });

  it('tests and test helpers may start an emulator', async () => {
    expect(await boundaryErrors('widget/src/transport/new.emulator.test.ts', use('../../../emulator/src/emulator.ts'))).toEqual([]);
    expect(await boundaryErrors('server/src/testing/new.ts', use('../../../emulator/src/emulator.ts'))).toEqual([]);
  });

  it('contracts/ imports nothing outside itself', async () => {
    expect(await boundaryErrors('contracts/new.ts', use('./offline-message.ts'))).toEqual([]);
    for (const specifier of ['../widget/src/strings.ts', 'ajv', 'node:fs', './sub/x.ts']) {
      expect(await boundaryErrors('contracts/new.ts', use(specifier)), specifier).toEqual([expect.stringContaining('contracts/ imports nothing')]);
    }
  });

  it('ui/ does not import transport/, session/ does not import ui/', async () => {
    expect(await boundaryErrors('widget/src/ui/New.tsx', typeOnly('../transport/chat-transport.ts'))).toEqual([
      expect.stringContaining('ui/ reaches Twilio only through the session'),
    ]);
    expect(await boundaryErrors('widget/src/ui/New.tsx', use('../session/session-store.ts'))).toEqual([]);
    expect(await boundaryErrors('widget/src/session/new.ts', use('../ui/App.tsx'))).toEqual([
      expect.stringContaining('session/ does not import ui/'),
    ]);
    expect(await boundaryErrors('widget/src/session/new.ts', lazy('../ui/ChatView.tsx'))).toHaveLength(1);
    expect(await boundaryErrors('widget/src/session/new.ts', use('../transport/chat-transport.ts'))).toEqual([]);
  });
});
