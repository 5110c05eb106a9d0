import { cleanup, render } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeploymentConfig } from '../../../config/types.ts';
import { allFieldsConfig, harness, testConfig } from '../testing/fixtures.ts';
import { App } from '../ui/App.tsx';
import { appPreload, prerenderFormShell, shellThemeCss, shellUnknowable } from './prerender.tsx';
import { SHELL_ID } from './shell-dom.ts';

afterEach(cleanup);

const scripts = { boot: './assets/shell-boot-a.js', app: './assets/index-b.js' };

async function parsed(config: DeploymentConfig) {
  const markup = await prerenderFormShell(config, scripts);
  return new DOMParser().parseFromString(markup!, 'text/html');
}

/** A form's controls as a visitor meets them: kind, name, label, required. */
function controls(root: ParentNode) {
  return Array.from(root.querySelectorAll<HTMLInputElement>('form [name]')).map((c) => ({
    tag: c.tagName,
    type: c.type,
    name: c.name,
    value: c.value,
    checked: c.checked,
    required: c.required,
    label: c.labels?.[0]?.textContent ?? null,
  }));
}

describe('the prerendered form shell', () => {
  it("is the app's first view: the same form, fields, labels and texts", async () => {
    const doc = await parsed(allFieldsConfig);
    const shell = doc.querySelector<HTMLTemplateElement>(`#${SHELL_ID}`)!.content;
    render(<App controller={harness({ config: allFieldsConfig }).controller} />);
    expect(controls(shell)).toEqual(controls(document));
    expect(shell.querySelector('.fc-app')!.textContent).toBe(document.querySelector('.fc-app')!.textContent);
    expect(shell.querySelector('form')!.getAttribute('aria-label')).toBe(document.querySelector('form')!.getAttribute('aria-label'));
    expect(controls(shell).length).toBeGreaterThan(5);
  });

  it('carries no style attribute (the CSP refuses them): the theme is a stylesheet rule', async () => {
    const doc = await parsed(testConfig);
    expect(doc.querySelector(`#${SHELL_ID}`)!.innerHTML).not.toMatch(/style=/);
    expect(shellThemeCss({ ...testConfig, theme: { primaryColor: '#ffcc00' } })).toMatch(/^\.fc-app\[data-theme\]\{--fc-primary:#[0-9a-f]{6};--fc-on-primary:#1b1b1f;/);
  });

  it('names its boot script and the app, and the languages to check only when none is pinned', async () => {
    const pinned = await parsed(testConfig);
    const template = pinned.querySelector<HTMLTemplateElement>(`#${SHELL_ID}`)!;
    expect(template.dataset).toMatchObject({ locale: 'en', app: scripts.app });
    expect(template.dataset.languages).toBeUndefined();
    expect(template.nextElementSibling?.outerHTML).toBe(`<script src="${scripts.boot}" crossorigin=""></script>`);

    const { locale: _locale, ...unpinned } = testConfig;
    const browser = (await parsed(unpinned)).querySelector<HTMLTemplateElement>(`#${SHELL_ID}`)!;
    expect(browser.dataset.languages!.split(' ')).toEqual(['en', 'es', 'fr', 'de', 'pt', 'ar']);
  });

  it("speaks the pinned language, right to left where it is written so", async () => {
    const doc = await parsed({ ...testConfig, locale: 'ar', texts: undefined });
    const app = doc.querySelector<HTMLTemplateElement>(`#${SHELL_ID}`)!.content.querySelector('.fc-app')!;
    expect([app.getAttribute('lang'), app.getAttribute('dir')]).toEqual(['ar', 'rtl']);
  });

  it('is not made when the first view depends on the visitor', async () => {
    const hours = { ...testConfig, businessHours: { timezone: 'UTC', schedule: [] } } as unknown as DeploymentConfig;
    expect(shellUnknowable(hours)).toBe('business hours');
    expect(await prerenderFormShell(hours, scripts)).toBeNull();
    const skip = { ...testConfig, preEngagement: { ...testConfig.preEngagement, skipForm: true } };
    expect(shellUnknowable(skip)).toBe('skipForm');
    expect(shellUnknowable(testConfig)).toBeNull();
  });

  it('preloads the app in its place', () => {
    expect(appPreload('./assets/index-b.js')).toBe('<link rel="modulepreload" crossorigin="" href="./assets/index-b.js"/>');
  });
});
