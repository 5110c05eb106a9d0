// flexchat.d.mts, the declarations of the ES module API (loader/src/esm.ts), as one
// self-contained file: the public types of loader/src/types.ts followed by esm.ts's
// own declarations, whose imports and re-exports of './types.ts' are dropped (the
// types are declared above them). Per-file transpileDeclaration: no program needed.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import ts from 'typescript';

const compilerOptions: ts.CompilerOptions = {
  allowImportingTsExtensions: true,
  module: ts.ModuleKind.ESNext,
  target: ts.ScriptTarget.ES2022,
  strict: true,
};

function declarationsOf(root: string, file: string): string {
  const source = readFileSync(resolve(root, 'loader/src', file), 'utf8');
  return ts.transpileDeclaration(source, { fileName: file, compilerOptions }).outputText;
}

export function loaderDeclarations(root: string): string {
  const types = declarationsOf(root, 'types.ts');
  const esm = declarationsOf(root, 'esm.ts').replace(/^(?:import|export) type \{[^}]*\} from '\.\/types\.ts';\n/gm, '');
  const output = `${types}${esm}`;
  const leftover = /^\s*(?:import|export)\b[^;]*\bfrom\s+'[^']+'/m.exec(output);
  if (leftover) throw new Error(`flexchat.d.mts would import another file: ${leftover[0]}`);
  return output;
}
