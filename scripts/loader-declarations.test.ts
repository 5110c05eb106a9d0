import { resolve } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { loaderDeclarations } from './loader-declarations.ts';

const root = resolve(import.meta.dirname, '..');
const dir = resolve(root, 'virtual-dts');

/** Type errors per consumer file, each compiled against flexchat.d.mts alone (no other file of the repo). */
function typeErrors(consumers: Record<string, string>): Record<string, string[]> {
  const files = new Map([[resolve(dir, 'flexchat.d.mts'), loaderDeclarations(root)]]);
  for (const [name, text] of Object.entries(consumers)) files.set(resolve(dir, name), text);
  const options: ts.CompilerOptions = {
    strict: true,
    noEmit: true,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    target: ts.ScriptTarget.ES2022,
    lib: ['lib.es5.d.ts'],
    types: [],
  };
  const host = ts.createCompilerHost(options);
  const { getSourceFile, fileExists, readFile, directoryExists } = host;
  host.fileExists = (name) => files.has(name) || fileExists.call(host, name);
  host.directoryExists = (name) => name === dir || (directoryExists?.call(host, name) ?? false);
  host.readFile = (name) => files.get(name) ?? readFile.call(host, name);
  host.getSourceFile = (name, version, ...rest) => {
    const text = files.get(name);
    return text === undefined ? getSourceFile.call(host, name, version, ...rest) : ts.createSourceFile(name, text, version);
  };
  const program = ts.createProgram(Object.keys(consumers).map((name) => resolve(dir, name)), options, host);
  const errors: Record<string, string[]> = {};
  for (const name of Object.keys(consumers)) {
    const file = program.getSourceFile(resolve(dir, name));
    errors[name] = [...program.getSyntacticDiagnostics(file), ...program.getSemanticDiagnostics(file)].map((d) =>
      ts.flattenDiagnosticMessageText(d.messageText, '\n'),
    );
  }
  errors['flexchat.d.mts'] = program.getSemanticDiagnostics(program.getSourceFile(resolve(dir, 'flexchat.d.mts'))).map((d) =>
    ts.flattenDiagnosticMessageText(d.messageText, '\n'),
  );
  return errors;
}

describe('flexchat.d.mts', () => {
  it('stands alone and carries the public types', () => {
    const errors = typeErrors({
      'spa.ts': `
        import { boot, on, preview, FlexChat, type LauncherOptions, type FlexChatEvents } from './flexchat.mjs';
        const options: LauncherOptions = { position: 'left', offsetX: 12 };
        boot(options);
        const off: () => void = on('unread', (count: number) => void count);
        off();
        on('error', (e: FlexChatEvents['error']) => void e.code);
        preview({ theme: { mode: 'dark' } });
        FlexChat('setLocale', 'de');
      `,
      'misuse.ts': `
        import { boot, on } from './flexchat.mjs';
        boot({ position: 'middle' });
        on('unread', (count: string) => void count);
      `,
    });
    expect(errors['flexchat.d.mts']).toEqual([]);
    expect(errors['spa.ts']).toEqual([]);
    expect(errors['misuse.ts']).toEqual([
      expect.stringContaining(`'"middle"' is not assignable to type '"left" | "right"`),
      expect.stringContaining(`'number' is not assignable to type 'string'`),
    ]);
  });
});
