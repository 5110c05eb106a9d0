import { afterEach, describe, expect, it } from 'vitest';
import { allFieldsConfig, harness, testConfig } from '../testing/fixtures.ts';
import { readShell, restoreShellFocus, shellIsLive, clearShell } from './handover.ts';
import { prerenderFormShell } from './prerender.tsx';
import { SHELL_ID, SHELL_LIVE, SHELL_SUBMITTED } from './shell-dom.ts';

afterEach(() => document.body.replaceChildren());

/** #root holding the stamped shell, as the boot script leaves it: the real prerendered markup. */
async function liveShell(config = allFieldsConfig): Promise<HTMLElement> {
  const markup = await prerenderFormShell(config, { boot: './boot.js', app: './app.js' });
  // Parsed as the browser parses index.html.
  const template = new DOMParser().parseFromString(markup!, 'text/html').querySelector<HTMLTemplateElement>(`#${SHELL_ID}`)!;
  const root = document.createElement('div');
  root.id = 'root';
  root.append(document.importNode(template.content, true));
  root.setAttribute(SHELL_LIVE, '');
  document.body.append(root);
  return root;
}

const allFields = () => harness({ config: allFieldsConfig }).controller.form.fields;

const control = (root: HTMLElement, name: string, value?: string) =>
  root.querySelector<HTMLInputElement>(`[data-field-control="${name}"]${value === undefined ? '' : `[value="${value}"]`}`)!;

describe('reading the shell', () => {
  it('is nothing without a live shell', async () => {
    const root = await liveShell();
    root.removeAttribute(SHELL_LIVE);
    expect(shellIsLive(root)).toBe(false);
    expect(readShell(root, allFields())).toBeNull();
  });

  it('takes the answers that differ from the initial ones, of every kind of field', async () => {
    const root = await liveShell();
    control(root, 'friendlyName').value = 'Zoë';
    control(root, 'phone').value = '+44 20';
    (root.querySelector('[data-field-control="topic"]') as HTMLSelectElement).value = 'tech';
    control(root, 'contact', 'email').checked = true;
    control(root, 'consent').checked = true;
    const h = harness({ config: allFieldsConfig });
    const state = readShell(root, h.controller.form.fields);
    // Untouched fields (email, question) and the hidden one are left to the app's own state.
    expect(state).toEqual({ changed: { friendlyName: 'Zoë', phone: '+44 20', topic: 'tech', contact: 'email', consent: true }, focus: null, submitted: false });
  });

  it('notes a held submit', async () => {
    const root = await liveShell();
    root.querySelector('form')!.setAttribute(SHELL_SUBMITTED, '');
    expect(readShell(root, harness().controller.form.fields)?.submitted).toBe(true);
  });
});

describe('focus across the takeover', () => {
  it('finds the focused field again by name, with its caret', async () => {
    const root = await liveShell(testConfig);
    const name = control(root, 'friendlyName');
    name.value = 'Ada Lovelace';
    name.focus();
    name.setSelectionRange(3, 8, 'backward');
    const state = readShell(root, harness().controller.form.fields)!;
    expect(state.focus).toMatchObject({ field: 'friendlyName', selectionStart: 3, selectionEnd: 8, selectionDirection: 'backward' });

    // The app's form replaces the shell (here: the same markup again).
    clearShell(root);
    expect(root.hasAttribute(SHELL_LIVE)).toBe(false);
    const app = await liveShell(testConfig);
    const again = control(app, 'friendlyName');
    again.value = 'Ada Lovelace';
    expect(restoreShellFocus(app, state.focus!)).toBe(true);
    expect(document.activeElement).toBe(again);
    expect([again.selectionStart, again.selectionEnd, again.selectionDirection]).toEqual([3, 8, 'backward']);
  });

  it('finds a radio by its value, and any other control by its place', async () => {
    const root = await liveShell();
    control(root, 'contact', 'email').focus();
    const radio = readShell(root, allFields())!.focus!;
    root.querySelector<HTMLButtonElement>('button[type="submit"]')!.focus();
    const button = readShell(root, allFields())!.focus!;
    expect(button.field).toBeNull();

    const app = await liveShell();
    restoreShellFocus(app, radio);
    expect(document.activeElement).toBe(control(app, 'contact', 'email'));
    restoreShellFocus(app, button);
    expect(document.activeElement).toBe(app.querySelector('button[type="submit"]'));
  });
});
