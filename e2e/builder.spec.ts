import { readFile } from 'node:fs/promises';
import { validateDeploymentConfig } from '../config/validate.ts';
import { expect, openClosedShadowRoots, test } from './kit.ts';

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

    await test.step('the real widget on the page previews the launcher colour and the language', async () => {
      const launcher = page.getByRole('button', { name: 'Chat with us' });
      await expect(launcher).toHaveCSS('background-color', 'rgb(138, 43, 226)');
      await page.getByRole('button', { name: 'Open the chat' }).click();
      const widget = page.frameLocator('iframe[title]');
      await expect(widget.getByText('Mit * markierte Felder sind Pflichtfelder.')).toBeVisible();
    });
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
