// Language switches: the texts already on screen follow.
import { describe, expect, it } from 'vitest';
import { fillValidForm, harness } from '../../testing/fixtures.ts';

describe('language', () => {
  it('a language switch translates the texts already shown: form errors and the error screen, not the custom errorText', async () => {
    const h = harness({ responses: [{ networkError: true }] });
    h.controller.start();
    h.controller.setFieldValue('email', 'not-an-email');
    await h.controller.submitForm();
    h.controller.setLocale('de');
    expect(h.controller.state.form.errors).toEqual({
      friendlyName: 'Please tell us your name.', // the deployment's own errorText, in no locale table
      email: 'Geben Sie eine gültige E-Mail-Adresse ein.',
      question: 'Dieses Feld ist erforderlich.',
    });

    fillValidForm(h.controller);
    await h.controller.submitForm(); // the token service cannot be reached
    expect(h.controller.state.error?.message).toBe('Der Chat-Dienst ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen Sie es erneut.');
    h.controller.setLocale('en');
    expect(h.controller.state.error).toMatchObject({ code: 'network', message: 'We could not reach the chat service. Check your connection and try again.' });
  });
});
