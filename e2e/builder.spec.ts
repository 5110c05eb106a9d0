import { readFile } from 'node:fs/promises';
import { validateDeploymentConfig } from '../config/validate.ts';
import type { Page } from '@playwright/test';
import { expect, localPorts, openClosedShadowRoots, test } from './kit.ts';

type FlexChatPage = Window & { FlexChat: (command: string, ...args: unknown[]) => void };

/** Calls FlexChat('preview', settings) on the page and resolves with the next error code. */
function previewExpectingError(page: Page, settings: unknown): Promise<string> {
  return page.evaluate(
    (s) =>
      new Promise<string>((resolve) => {
        const w = window as unknown as FlexChatPage;
        const once = (e: { code: string }) => {
          w.FlexChat('off', 'error', once);
          resolve(e.code);
        };
        w.FlexChat('on', 'error', once);
        w.FlexChat('preview', s);
      }),
    settings,
  );
}

// The marketers' form builder: edit, validate against the schema, export.
test.describe('form builder', () => {
  test.beforeEach(async ({ page }) => {
    await openClosedShadowRoots(page);
    await page.goto('/builder.html');
    await expect(page.getByText('No problems: the config is valid and ready to export.')).toBeVisible();
  });

  test('adds, edits, reorders and removes fields, and exports a valid config', async ({ page }) => {
    const fields = page.locator('#fields > li');
    await expect(fields).toHaveCount(3);

    await test.step('add a drop-down field with options', async () => {
      await page.getByLabel('New field type').selectOption({ label: 'Drop-down list' });
      await page.getByRole('button', { name: 'Add field' }).click();
      await expect(fields).toHaveCount(4);
      await expect(page.locator('#f3-label')).toBeFocused();
      await page.locator('#f3-label').fill('Topic');
      await page.locator('#f3-name').fill('topic');
      await page.locator('#f3-options').fill('orders | My order\nreturns | Returns\nOther');
      await page.locator('#f3-required').check();
    });

    await test.step('move it to the top and remove the question field', async () => {
      for (let i = 0; i < 3; i++) await page.getByRole('button', { name: /^Move up: Field \d: Topic$/ }).click();
      await expect(page.getByRole('group', { name: 'Field 1: Topic' })).toBeVisible();
      await page.getByRole('button', { name: 'Remove Field 4: How can we help?' }).click();
      await expect(fields).toHaveCount(3);
    });

    await test.step('theme, dark mode and locale', async () => {
      await page.getByLabel('Main colour', { exact: true }).fill('#8a2be2');
      await page.getByRole('radio', { name: 'Dark' }).check();
      await page.getByLabel('Language', { exact: true }).selectOption('de');
    });

    await test.step('the export is valid against the JSON Schema', async () => {
      await expect(page.getByText('No problems: the config is valid and ready to export.')).toBeVisible();
      const downloadPromise = page.waitForEvent('download');
      await page.getByRole('button', { name: 'Download flexchat.config.json' }).click();
      const download = await downloadPromise;
      expect(download.suggestedFilename()).toBe('flexchat.config.json');
      const exported = JSON.parse(await readFile(await download.path(), 'utf8')) as Record<string, unknown>;
      expect(validateDeploymentConfig(exported)).toMatchObject({ ok: true });
      expect(exported).toMatchObject({
        locale: 'de',
        theme: { primaryColor: '#8a2be2', mode: 'dark' },
        preEngagement: {
          fields: [
            { name: 'topic', type: 'select', label: 'Topic', required: true, options: [{ value: 'orders', label: 'My order' }, { value: 'returns', label: 'Returns' }, { value: 'other', label: 'Other' }] },
            { name: 'friendlyName' },
            { name: 'email' },
          ],
        },
      });
      expect(await page.getByLabel('flexchat.config.json').inputValue()).toBe(`${JSON.stringify(exported, null, 2)}\n`);
      await expect(page.getByLabel("Snippet for the site's pages")).toHaveValue(/<script async src="http:\/\/127\.0\.0\.1:\d+\/loader\.js"><\/script>/);
    });

    await test.step('the real widget on the page previews the launcher colour, the form and the language', async () => {
      const launcher = page.getByRole('button', { name: 'Chat with us' });
      await expect(launcher).toHaveCSS('background-color', 'rgb(138, 43, 226)');
      await page.getByRole('button', { name: 'Open the chat' }).click();
      const widget = page.frameLocator('iframe[title]');
      await expect(widget.getByText('Mit * markierte Felder sind Pflichtfelder.')).toBeVisible();
      await expect(widget.getByRole('combobox', { name: /Topic/ })).toBeVisible();
      await expect(widget.getByRole('textbox', { name: /How can we help/ })).toHaveCount(0);
    });
  });

  test('previews every valid edit live in the real widget: fields, texts, dark mode, closed hours', async ({ page }) => {
    await page.getByRole('button', { name: 'Open the chat' }).click();
    const widget = page.frameLocator('iframe[title]');
    await expect(widget.getByRole('textbox', { name: /^Name/ })).toBeVisible();

    await test.step('a field label edited in the builder shows in the widget', async () => {
      await page.locator('#f0-label').fill('Your full name');
      await expect(widget.getByRole('textbox', { name: /^Your full name/ })).toBeVisible();
      await expect(widget.getByRole('textbox', { name: /^Name/ })).toHaveCount(0);
    });

    await test.step('an added field shows in the widget, in its place', async () => {
      await page.getByLabel('New field type').selectOption({ label: 'Short text' });
      await page.getByRole('button', { name: 'Add field' }).click();
      await page.locator('#f3-label').fill('Order number');
      await expect(widget.getByRole('textbox', { name: /^Order number/ })).toBeVisible();
      await page.getByRole('button', { name: 'Move up: Field 4: Order number' }).click();
      const labels = widget.locator('form label');
      await expect(labels.nth(2)).toContainText('Order number');
    });

    await test.step('form texts and the chat title', async () => {
      await page.getByLabel('Form title').fill('Quick question');
      await page.getByLabel('Chat title').fill('Talk to Acme');
      await expect(widget.getByRole('heading', { name: 'Quick question' })).toBeVisible();
      await expect(widget.getByRole('heading', { level: 1 })).toHaveText('Talk to Acme');
    });

    await test.step("dark mode changes the widget's computed colours", async () => {
      const app = widget.locator('.fc-app');
      const colours = () => app.evaluate((el) => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color].join(' / '));
      const light = await colours();
      await page.getByRole('radio', { name: 'Dark' }).check();
      await expect(app).toHaveAttribute('data-theme', 'dark');
      await expect.poll(colours).not.toBe(light);
      await page.getByRole('radio', { name: 'Light' }).check();
      await expect.poll(colours).toBe(light);
    });

    await test.step('the closed-hours screen, and back to the form', async () => {
      await page.getByRole('radio', { name: 'Only read that you are closed' }).check();
      await page.getByLabel('Show the screen for outside business hours').check();
      await expect(widget.getByText('We are closed right now')).toBeVisible();
      await expect(widget.getByRole('textbox', { name: /^Your full name/ })).toHaveCount(0);
      await page.getByLabel('Show the screen for outside business hours').uncheck();
      await expect(widget.getByRole('textbox', { name: /^Your full name/ })).toBeVisible();
    });

    await test.step('an invalid edit is held back: the widget keeps the last valid preview', async () => {
      await page.locator('#f0-label').fill('');
      await expect(page.getByText('The preview shows the last valid version until the problems are fixed.')).toBeVisible();
      await expect(widget.getByRole('textbox', { name: /^Your full name/ })).toBeVisible();
    });
  });

  test('writes the texts per language and previews each, without fixing the language', async ({ page }) => {
    await page.getByLabel("Write the visitors' texts in").selectOption('es');
    await page.getByRole('button', { name: 'Open the chat' }).click();
    const widget = page.frameLocator('iframe[title]');
    await expect(widget.getByRole('textbox', { name: /^Nombre/ })).toBeVisible();

    await page.locator('#f0-label').fill('Nombre completo');
    await expect(page.locator('#f1-label')).toHaveValue('Correo electrónico');
    await page.locator('#f0-description').fill('Como quieres que te llamemos');
    await expect(widget.getByRole('textbox', { name: /^Nombre completo/ })).toBeVisible();
    await expect(widget.getByText('Como quieres que te llamemos')).toBeVisible();
    await page.getByLabel('Chat button name (read by screen readers)').fill('Chatea con nosotros');
    await expect(page.getByRole('button', { name: 'Chatea con nosotros' })).toBeVisible();

    await page.getByLabel("Write the visitors' texts in").selectOption('en');
    await expect(page.locator('#f0-label')).toHaveValue('Name');
    await expect(page.locator('#f0-description')).toHaveValue('');
    await expect(widget.getByRole('textbox', { name: /^Name/ })).toBeVisible();

    await expect(page.getByText('No problems: the config is valid and ready to export.')).toBeVisible();
    const exported = JSON.parse(await page.getByLabel('flexchat.config.json').inputValue()) as Record<string, unknown> & {
      preEngagement: { fields: Array<Record<string, unknown>> };
      launcher: Record<string, unknown>;
    };
    expect(exported.locale).toBeUndefined(); // browser-language detection stays on
    expect(exported.preEngagement.fields[0]).toMatchObject({ label: { en: 'Name', es: 'Nombre completo' }, description: { es: 'Como quieres que te llamemos' } });
    expect(exported.launcher.label).toEqual({ en: 'Chat with us', es: 'Chatea con nosotros' });
    await expect(page.getByLabel('Language', { exact: true })).toHaveValue('');
  });

  test("the survey's question is written per language, and emptied away", async ({ page }) => {
    const question = page.getByLabel('Question', { exact: true });
    await expect(page.getByLabel('Ask for a rating when a chat ends')).toBeChecked(); // the demo's config
    await expect(question).toHaveValue('');
    await question.fill('How did we do?');

    await page.getByLabel("Write the visitors' texts in").selectOption('es');
    await expect(question).toHaveValue('');
    await expect(question).toHaveAttribute('placeholder', 'How did we do?');
    await question.fill('¿Qué tal te atendimos?');
    await page.getByLabel("Write the visitors' texts in").selectOption('en');
    await expect(question).toHaveValue('How did we do?');

    await expect(page.getByText('No problems: the config is valid and ready to export.')).toBeVisible();
    const exported = JSON.parse(await page.getByLabel('flexchat.config.json').inputValue()) as Record<string, unknown>;
    expect(validateDeploymentConfig(exported)).toMatchObject({ ok: true });
    expect(exported.survey).toEqual({ enabled: true, question: { en: 'How did we do?', es: '¿Qué tal te atendimos?' } });
    expect(exported.locale).toBeUndefined();

    await question.fill('');
    await page.getByLabel("Write the visitors' texts in").selectOption('es');
    await question.fill('');
    const cleared = JSON.parse(await page.getByLabel('flexchat.config.json').inputValue()) as Record<string, unknown>;
    expect(cleared.survey).toEqual({ enabled: true });
  });

  test('a forged preview or invalid settings change nothing in the widget', async ({ page }) => {
    await page.getByRole('button', { name: 'Open the chat' }).click();
    const widget = page.frameLocator('iframe[title]');
    const title = widget.getByRole('heading', { level: 1 });
    await expect(title).toHaveText('Chat with Acme support');
    const app = widget.locator('.fc-app');
    await expect(app).toHaveAttribute('data-theme', 'light');

    await test.step('forged: a second hello with its own port, and a bare preview on the window', async () => {
      await page.evaluate((widgetOrigin) => {
        const iframe = document.querySelector('flex-chat')!.shadowRoot!.querySelector('iframe')!;
        const target = iframe.contentWindow!;
        const forged = { texts: { title: 'Forged' }, theme: { mode: 'dark' } };
        const { port1, port2 } = new MessageChannel();
        target.postMessage({ flexchat: 1, v: 1, type: 'hello', instance: 'forged' }, widgetOrigin, [port2]);
        port1.postMessage({ flexchat: 1, v: 1, instance: 'forged', type: 'preview', settings: forged });
        target.postMessage({ flexchat: 1, v: 1, instance: 'forged', type: 'preview', settings: forged }, widgetOrigin);
      }, new URL(await page.locator('flex-chat').evaluate((host) => host.shadowRoot!.querySelector('iframe')!.src)).origin);
    });

    await test.step('invalid settings are refused with preview_invalid, by the page or by the widget', async () => {
      expect(await previewExpectingError(page, { tokenUrl: 'https://evil.example' })).toBe('preview_invalid');
      expect(await previewExpectingError(page, { theme: { mode: 'sepia' }, texts: { title: 'Invalid' } })).toBe('preview_invalid');
      expect(await previewExpectingError(page, { preEngagement: { fields: [{ name: 'a', type: 'text', label: 'A' }, { name: 'a', type: 'text', label: 'B' }] } })).toBe(
        'preview_invalid',
      );
    });

    await expect(title).toHaveText('Chat with Acme support');
    await expect(app).toHaveAttribute('data-theme', 'light');
    await expect(widget.getByRole('textbox', { name: /^Email/ })).toBeVisible();
  });

  test("a duplicate key typed and corrected leaves the visitor's name where it was", async ({ page }) => {
    const nameField = page.getByLabel("Field with the visitor's name").locator('option:checked');
    await expect(nameField).toHaveText('Name (friendlyName)');
    await page.locator('#f2-name').fill('friendlyName'); // the question's key, typed over with a taken one…
    await expect(page.locator('#problems')).toContainText('duplicates field name "friendlyName"');
    await page.locator('#f2-name').fill('question'); // …and corrected
    await expect(page.getByText('No problems: the config is valid and ready to export.')).toBeVisible();
    await expect(nameField).toHaveText('Name (friendlyName)');
    const exported = JSON.parse(await page.getByLabel('flexchat.config.json').inputValue()) as { preEngagement: { friendlyNameField?: string } };
    expect(exported.preEngagement.friendlyNameField).toBe('friendlyName');
  });

  test('points each problem at its field and blocks export until fixed', async ({ page }) => {
    await page.locator('#f1-name').fill('e-mail');
    await page.locator('#f0-pattern').fill('([a-z]');
    await page.locator('#f2-label').fill('');

    const problems = page.locator('#problems');
    await expect(problems).toContainText('3 problems to fix before export');
    await expect(page.getByRole('button', { name: 'Download flexchat.config.json' })).toBeDisabled();

    // Each problem names the field and links to its control, which is marked invalid and described.
    const nameProblem = problems.getByRole('link', { name: /Field 2 \(Email\): name must start with a letter/ });
    await nameProblem.click();
    await expect(page.locator('#f1-name')).toBeFocused();
    await expect(page.locator('#f1-name')).toHaveAttribute('aria-invalid', 'true');
    await expect(page.locator('#f1-name')).toHaveAccessibleDescription(/must start with a letter/);
    await expect(problems.getByRole('link', { name: /Field 1 \(Name\): pattern is not a valid regular expression/ })).toBeVisible();
    await expect(problems.getByRole('link', { name: /Field 3: label must not be empty/ })).toBeVisible();

    await page.locator('#f1-name').fill('email');
    await page.locator('#f0-pattern').fill('');
    await page.locator('#f2-label').fill('Your question');
    await expect(page.getByText('No problems: the config is valid and ready to export.')).toBeVisible();
    await expect(page.getByRole('button', { name: 'Download flexchat.config.json' })).toBeEnabled();
  });
});

// previewOrigins is a subset of allowedDomains. Locally both demo origins may embed
// the widget, only http://127.0.0.1:<demo port> may preview. The same host page and
// call from both: only the preview origin changes the widget.
test.describe('preview permission (previewOrigins)', () => {
  const localhostDemo = `http://localhost:${localPorts.demo}`;

  /** A forged preview, then setLocale: the port delivers in order, so once the widget
   *  is in German the preview has been handled (applied or dropped). The page's
   *  `error` events land in `window.heard`. */
  async function previewThenGerman(page: Page): Promise<void> {
    await page.evaluate(() => {
      const w = window as unknown as FlexChatPage & { heard?: unknown[] };
      w.heard = [];
      w.FlexChat('on', 'error', (e: unknown) => w.heard!.push(e));
      w.FlexChat('preview', { texts: { title: 'Forged' } });
      w.FlexChat('setLocale', 'de');
    });
  }

  /** Requests for the widget's preview chunk (loaded only when it accepts a preview). */
  function previewChunkRequests(page: Page): string[] {
    const urls: string[] = [];
    page.on('request', (r) => {
      if (/\/assets\/preview-[^/]*\.js$/.test(new URL(r.url()).pathname)) urls.push(r.url());
    });
    return urls;
  }

  test('from localhost (may embed, not a preview origin) the widget does not change, and the page hears nothing', async ({ demo, page }) => {
    const chunks = previewChunkRequests(page);
    await demo.goto(`${localhostDemo}/`);
    expect(new URL(page.url()).origin).toBe(localhostDemo);
    const widget = await demo.openChat();
    const title = widget.frame.getByRole('heading', { level: 1 });
    await expect(title).toHaveText('Chat with Acme support');

    await previewThenGerman(page);
    await expect(widget.frame.getByText('Mit * markierte Felder sind Pflichtfelder.')).toBeVisible();
    await expect(title).toHaveText('Chat with Acme support');
    expect(chunks, 'the widget never loaded its preview validator').toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { heard: unknown[] }).heard)).toEqual([]);
  });

  test('the same from 127.0.0.1 (a preview origin) changes the widget', async ({ demo, page }) => {
    const chunks = previewChunkRequests(page);
    await demo.goto('/');
    expect(new URL(page.url()).hostname).toBe('127.0.0.1');
    const widget = await demo.openChat();
    const title = widget.frame.getByRole('heading', { level: 1 });
    await expect(title).toHaveText('Chat with Acme support');

    await previewThenGerman(page);
    await expect(widget.frame.getByText('Mit * markierte Felder sind Pflichtfelder.')).toBeVisible();
    await expect(title).toHaveText('Forged');
    expect(chunks).toHaveLength(1);
  });
});

// Issue 16, items 10 and 11: the builder's own column stays usable, and the settings and
// limits a marketer meets are explained in the builder's words.
test.describe('form builder: polish', () => {
  test.beforeEach(async ({ page }) => {
    await openClosedShadowRoots(page);
    await page.goto('/builder.html');
    await expect(page.getByText('No problems: the config is valid and ready to export.')).toBeVisible();
  });

  test('the open preview covers none of the Check and Export column', async ({ page }) => {
    await page.getByRole('button', { name: 'Open the chat' }).click();
    await expect(page.locator('flex-chat iframe[title]')).toBeVisible();
    await expect(page.frameLocator('iframe[title]').locator('form.fc-form')).toBeVisible();
    for (const id of ['problems', 'open-preview', 'preview-closed', 'config-json', 'download', 'copy-config', 'snippet', 'copy-snippet', 'import', 'reset']) {
      const target = page.locator(`#${id}`);
      await target.scrollIntoViewIfNeeded();
      // What a click at the control's centre would hit: the control, not the chat panel over it.
      const hit = await target.evaluate((el) => {
        const box = el.getBoundingClientRect();
        const found = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return found === el || el.contains(found) || (found instanceof HTMLLabelElement && found.control === el) ? 'itself' : (found?.tagName.toLowerCase() ?? 'nothing');
      });
      expect(hit, `#${id}`).toBe('itself');
    }
    await page.getByRole('radio', { name: 'Bottom left' }).check(); // the panel moves to the left corner: still nothing covered
    await expect(page.locator('body')).toHaveAttribute('data-chat-open', 'left');
    await page.locator('#problems').scrollIntoViewIfNeeded();
    const iframe = await page.locator('flex-chat iframe[title]').boundingBox();
    const editor = await page.locator('#editor').boundingBox();
    const side = await page.locator('aside.side').boundingBox();
    expect(iframe && editor && side).toBeTruthy();
    expect(iframe!.x + iframe!.width).toBeLessThanOrEqual(Math.min(editor!.x, side!.x));
  });

  test("warns when the chat button's white icon would be hard to see on the main colour", async ({ page }) => {
    const colour = page.getByLabel('Main colour', { exact: true });
    const warning = page.locator('#primary-color-warning');
    await expect(warning).toBeHidden();
    await colour.fill('#ffd400');
    await expect(warning).toHaveText(/^The chat button's white icon is hard to see on #ffd400: contrast 1\.\d:1, at least 3:1 is needed\./);
    await expect(colour).toHaveAccessibleDescription(/hard to see on #ffd400/);
    await expect(page.getByText('No problems: the config is valid and ready to export.')).toBeVisible(); // a warning, not an error
    await colour.fill('#0b57d0');
    await expect(warning).toBeHidden();
  });

  test('the 30-field limit is said in our words', async ({ page }) => {
    const add = page.getByRole('button', { name: 'Add field' });
    for (let count = 3; count < 31; count++) await add.click();
    await expect(page.locator('#fields > li')).toHaveCount(31);
    await expect(page.locator('#problems')).toContainText('The pre-chat form has 31 fields; a form can have at most 30. Remove one.');
    await expect(page.locator('#problems')).not.toContainText('must NOT have');
    await page.getByRole('button', { name: /^Remove Field 31:/ }).click();
    await expect(page.getByText('No problems: the config is valid and ready to export.')).toBeVisible();
  });

  test('"Start over" asks before it throws the changes away', async ({ page }) => {
    const title = page.getByLabel('Form title');
    await title.fill('Quick question');
    const answers: string[] = [];
    page.on('dialog', (dialog) => {
      answers.push(dialog.message());
      void (answers.length === 1 ? dialog.dismiss() : dialog.accept());
    });
    const reset = page.getByRole('button', { name: 'Start over from the deployed config' });
    await reset.click();
    await expect(page.getByText('Nothing changed: your edits are kept.')).toBeVisible();
    await expect(title).toHaveValue('Quick question');
    await reset.click();
    await expect(title).toHaveValue('Before we start');
    expect(answers).toEqual([
      'Start over from the deployed config? The changes made here will be lost.',
      'Start over from the deployed config? The changes made here will be lost.',
    ]);
    await reset.click(); // nothing to lose: no question
    expect(answers).toHaveLength(2);
  });

  test('business hours and notifications are edited in the builder and exported, without fixing the language', async ({ page }) => {
    await expect(page.getByLabel('Time zone')).toBeHidden();
    await page.getByLabel('Chat only during business hours').check();
    await page.getByLabel('Time zone').fill('Europe/Madrid');
    await expect(page.getByLabel('Monday', { exact: true })).toHaveValue('09:00-17:00');
    await expect(page.getByLabel('Saturday', { exact: true })).toHaveValue('');

    await page.getByLabel('Tuesday', { exact: true }).fill('9-5');
    await expect(page.locator('#problems')).toContainText('Business hours on Tuesday (opening 1) must be times like 09:00-17:30');
    await expect(page.getByLabel('Tuesday', { exact: true })).toHaveAttribute('aria-invalid', 'true');
    await page.getByLabel('Tuesday', { exact: true }).fill('09:00-13:00, 14:00-18:00');
    await page.getByLabel('Saturday', { exact: true }).fill('10:00-14:00');
    await page.getByLabel('Closed days (holidays)').fill('2026-12-25\n2027-01-01');
    await page.getByLabel('Play a short sound').check();
    await page.getByLabel('Show a browser notification while the page is hidden').check();

    await expect(page.getByText('No problems: the config is valid and ready to export.')).toBeVisible();
    const exported = JSON.parse(await page.getByLabel('flexchat.config.json').inputValue()) as Record<string, unknown>;
    expect(validateDeploymentConfig(exported)).toMatchObject({ ok: true });
    expect(exported.businessHours).toEqual({
      timezone: 'Europe/Madrid',
      weekly: {
        mon: [['09:00', '17:00']],
        tue: [['09:00', '13:00'], ['14:00', '18:00']],
        wed: [['09:00', '17:00']],
        thu: [['09:00', '17:00']],
        fri: [['09:00', '17:00']],
        sat: [['10:00', '14:00']],
      },
      closedDates: ['2026-12-25', '2027-01-01'],
    });
    expect(exported.notifications).toEqual({ sound: true, browser: true });
    expect(exported.locale).toBeUndefined(); // browser-language detection stays on

    await page.getByLabel('Chat only during business hours').uncheck();
    await page.getByLabel('Play a short sound').uncheck();
    await page.getByLabel('Show a browser notification while the page is hidden').uncheck();
    const after = JSON.parse(await page.getByLabel('flexchat.config.json').inputValue()) as Record<string, unknown>;
    expect(after.businessHours).toBeUndefined();
    expect(after.notifications).toBeUndefined();
    expect(after.locale).toBeUndefined();
  });
});
