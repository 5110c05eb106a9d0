import { act, cleanup, fireEvent, render, screen, waitFor, within } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { DeploymentConfig, FormFieldConfig } from '../../../config/types.ts';
import { activeHarness, allFieldsConfig, harness, initOk, testConfig, type Harness, type ScriptedResponse } from '../testing/fixtures.ts';
import { browserProfile } from '../testing/storage.ts';
import { TransportError } from '../transport/chat-transport.ts';
import { PreEngagementForm } from './PreEngagementForm.tsx';
import { SessionContext, useSession } from './session-context.ts';
import { ErrorView } from './StatusViews.tsx';

let profile: ReturnType<typeof browserProfile> | null = null;
const controllers: Harness[] = [];

afterEach(() => {
  cleanup();
  for (const h of controllers.splice(0)) h.controller.dispose();
  profile?.close();
  profile = null;
});

function withFields(fields: FormFieldConfig[], extra: Partial<DeploymentConfig['preEngagement']> = {}): DeploymentConfig {
  return { ...testConfig, preEngagement: { ...testConfig.preEngagement, ...extra, fields } };
}

/** A started harness (the form is showing), disposed after the test. */
function started(options: Parameters<typeof harness>[0] = {}): Harness {
  const h = harness(options);
  controllers.push(h);
  h.controller.start();
  return h;
}

function renderForm(h: Harness) {
  return render(
    <SessionContext.Provider value={h.controller}>
      <PreEngagementForm />
    </SessionContext.Provider>,
  );
}

/** The form, or the error view once the session failed (as the widget switches between them). */
function FormOrError() {
  const phase = useSession((s) => s.phase);
  if (phase === 'error') return <ErrorView />;
  if (phase === 'idle' || phase === 'pre-engagement') return <PreEngagementForm />;
  return <p>{`phase: ${phase}`}</p>;
}

function renderFormOrError(h: Harness) {
  return render(
    <SessionContext.Provider value={h.controller}>
      <FormOrError />
    </SessionContext.Provider>,
  );
}

const type = (label: string, value: string) => fireEvent.change(screen.getByLabelText(label), { target: { value } });

const input = (label: string) => screen.getByLabelText(label) as HTMLInputElement;

/** The texts an element's aria-describedby points at, in order. */
function descriptions(element: Element): Array<string | null | undefined> {
  return (element.getAttribute('aria-describedby') ?? '')
    .split(' ')
    .filter(Boolean)
    .map((id) => document.getElementById(id)?.textContent);
}

function fillDefaultForm() {
  type('Name', '  Zoë Ångström ');
  type('Email', 'zoe@example.com');
  type('How can we help?', 'Where is my order?');
}

function fillAllFieldsForm() {
  fillDefaultForm();
  fireEvent.change(screen.getByLabelText('Topic'), { target: { value: 'tech' } });
  fireEvent.click(screen.getByLabelText('I accept the privacy policy'));
}

async function submit(label = 'Start chat') {
  await act(async () => {
    fireEvent.click(screen.getByRole('button', { name: label }));
  });
}

function sentData(h: Harness, call = 0): unknown {
  const body = h.http.calls[call]?.body;
  return typeof body === 'object' && body !== null && 'preEngagementData' in body ? body.preEngagementData : undefined;
}

describe('fields', () => {
  // Every visible field type with a placeholder and a description of its own.
  const describedConfig: DeploymentConfig = {
    ...allFieldsConfig,
    preEngagement: {
      ...allFieldsConfig.preEngagement,
      fields: allFieldsConfig.preEngagement.fields.map((field) =>
        field.type === 'hidden' ? field : { ...field, placeholder: `Your ${field.label}`, description: `About ${field.label}` },
      ),
    },
  };

  it('shows every field type under its label, with its placeholder and its description linked to it', () => {
    renderForm(started({ config: describedConfig }));
    const textLike = [
      ['Name', 'INPUT', 'text'],
      ['Email', 'INPUT', 'email'],
      ['How can we help?', 'TEXTAREA', 'textarea'],
      ['Phone', 'INPUT', 'tel'],
    ] as const;
    for (const [label, tag, kind] of textLike) {
      const control = screen.getByLabelText(label) as HTMLInputElement | HTMLTextAreaElement;
      expect(control.tagName).toBe(tag);
      expect(control.type).toBe(kind);
      expect(control.placeholder).toBe(`Your ${label}`);
      expect(descriptions(control)).toEqual([`About ${label}`]);
    }

    const topic = screen.getByLabelText('Topic') as HTMLSelectElement;
    expect(topic.tagName).toBe('SELECT');
    expect(Array.from(topic.options, (o) => o.textContent)).toEqual(['Your Topic', 'Billing', 'Technical']);
    expect(topic.value).toBe('');
    expect(descriptions(topic)).toEqual(['About Topic']);

    const contact = screen.getByRole('radiogroup', { name: 'Preferred contact' });
    expect(descriptions(contact)).toEqual(['About Preferred contact']);
    const chat = within(contact).getByLabelText('Chat') as HTMLInputElement;
    const emailMe = within(contact).getByLabelText('Email me') as HTMLInputElement;
    expect([chat.type, chat.checked, emailMe.checked]).toEqual(['radio', true, false]);
    fireEvent.click(emailMe);
    expect([chat.checked, emailMe.checked]).toEqual([false, true]);

    const consent = input('I accept the privacy policy');
    expect([consent.type, consent.checked]).toEqual(['checkbox', false]);
    expect(descriptions(consent)).toEqual(['About I accept the privacy policy']);
  });

  it('a hidden field is neither shown nor focusable, yet its value (also one set by the page) is sent', async () => {
    const h = started({ config: allFieldsConfig });
    renderForm(h);
    expect(screen.queryByLabelText('Source')).toBeNull();
    expect(screen.queryByText('Source')).toBeNull();
    const visibleControls = Array.from(document.querySelectorAll('input:not([type="hidden"]), select, textarea'));
    expect(visibleControls.map((c) => c.getAttribute('name'))).not.toContain('source');

    act(() => h.controller.applyPrefill({ source: 'newsletter' }));
    fillAllFieldsForm();
    await submit();
    expect(sentData(h)).toMatchObject({ source: 'newsletter' });
  });

  it("shows the marketer's texts in the visitor's language, falls back where one is missing, and follows setLocale", async () => {
    const spanish = withFields(
      [
        { name: 'friendlyName', type: 'text', label: { en: 'Name', es: 'Nombre' }, required: true, errorText: { en: 'Please tell us your name.', es: 'Dinos tu nombre.' } },
        { name: 'topic', type: 'select', label: { en: 'Topic', es: 'Tema' }, placeholder: { en: 'Choose…', es: 'Elige…' }, options: [{ value: 'orders', label: { en: 'Orders', es: 'Pedidos' } }] },
        { name: 'question', type: 'textarea', label: 'How can we help?' }, // not translated: the same for everyone
      ],
      { title: { en: 'Before we start', es: 'Antes de empezar' }, submitLabel: { en: 'Start chat', es: 'Empezar' }, description: 'Tell us who you are.' },
    );
    const { locale: _pinned, ...unpinned } = spanish;
    const h = started({ config: unpinned, controller: { browserLocales: ['es-MX', 'en'] } });
    renderForm(h);
    const form = screen.getByRole('form');
    expect(within(form).getByRole('heading', { name: 'Antes de empezar' })).toBeTruthy();
    expect(within(form).getByText('Tell us who you are.')).toBeTruthy(); // the fallback
    expect(within(form).getByRole('textbox', { name: /^Nombre/ })).toBeTruthy();
    expect(within(form).getByRole('combobox', { name: /^Tema/ })).toBeTruthy();
    expect(within(form).getByRole('option', { name: 'Pedidos' })).toBeTruthy();
    expect(within(form).getByRole('option', { name: 'Elige…' })).toBeTruthy();
    expect(within(form).getByRole('textbox', { name: /^How can we help\?/ })).toBeTruthy();
    await submit('Empezar');
    expect(within(form).getByText('Dinos tu nombre.')).toBeTruthy();

    act(() => h.controller.setLocale('en'));
    expect(within(form).getByRole('heading', { name: 'Before we start' })).toBeTruthy();
    expect(within(form).getByRole('textbox', { name: /^Name/ })).toBeTruthy();
    expect(within(form).getByText('Please tell us your name.')).toBeTruthy(); // the error follows the language
    expect(within(form).getByRole('button', { name: 'Start chat' })).toBeTruthy();
  });

  it('shows the configured title, description and submit label, and notes that * marks required fields', () => {
    renderForm(started({ config: withFields(testConfig.preEngagement.fields, { submitLabel: 'Talk to an expert' }) }));
    const form = screen.getByRole('form', { name: 'Pre-chat form' });
    expect(within(form).getByRole('heading', { name: 'Before we start' })).toBeTruthy();
    expect(within(form).getByText('Tell us who you are.')).toBeTruthy();
    expect(within(form).getByText('Fields marked with * are required.')).toBeTruthy();
    expect(within(form).getByRole('button', { name: 'Talk to an expert' })).toBeTruthy();
    expect(within(form).queryByRole('button', { name: 'Start chat' })).toBeNull();
  });

  it('without a configured submit label the button says "Start chat" in the visitor\'s language; no note when nothing visible is required', () => {
    const { submitLabel: _unset, title: _noTitle, ...pre } = testConfig.preEngagement;
    const config: DeploymentConfig = {
      ...testConfig,
      locale: 'de',
      preEngagement: {
        ...pre,
        fields: [
          { name: 'friendlyName', type: 'text', label: 'Name' },
          { name: 'source', type: 'hidden', label: 'Source', required: true, defaultValue: 'x' },
        ],
      },
    };
    renderForm(started({ config }));
    const form = screen.getByRole('form', { name: 'Formular vor dem Chat' });
    expect(within(form).getByRole('button', { name: 'Chat starten' })).toBeTruthy();
    expect(within(form).queryByRole('heading')).toBeNull();
    expect(within(form).queryByText('Mit * markierte Felder sind Pflichtfelder.')).toBeNull();
    expect(within(form).queryByText('*')).toBeNull();
  });

  it('lets the browser autofill name, email and phone', () => {
    renderForm(started({ config: allFieldsConfig }));
    expect(input('Name').autocomplete).toBe('name');
    expect(input('Email').autocomplete).toBe('email');
    expect(input('Phone').autocomplete).toBe('tel');
    expect(input('Phone').inputMode).toBe('tel');
    expect(screen.getByLabelText('How can we help?').hasAttribute('autocomplete')).toBe(false);
  });
});

describe('validation', () => {
  const requiredKinds = withFields([
    {
      name: 'contact',
      type: 'radio',
      label: 'Preferred contact',
      required: true,
      options: [
        { value: 'chat', label: 'Chat' },
        { value: 'phone', label: 'Phone call' },
      ],
    },
    { name: 'topic', type: 'select', label: 'Topic', required: true, options: [{ value: 'billing', label: 'Billing' }] },
    { name: 'consent', type: 'checkbox', label: 'I accept the privacy policy', required: true, errorText: 'You must accept to continue.' },
    { name: 'question', type: 'textarea', label: 'How can we help?', required: true },
  ]);

  it('marks every empty required field invalid with its message, sends nothing, and focuses each first invalid field in turn', async () => {
    const h = started({ config: requiredKinds });
    renderForm(h);
    expect((screen.getByRole('form') as HTMLFormElement).noValidate).toBe(true); // the configured messages, not the browser's
    const group = screen.getByRole('radiogroup', { name: 'Preferred contact' });
    expect(group.getAttribute('aria-required')).toBe('true');
    for (const label of ['Topic', 'I accept the privacy policy', 'How can we help?']) {
      expect(screen.getByLabelText(label).hasAttribute('required')).toBe(true);
    }

    await submit();
    expect(h.http.calls).toHaveLength(0);
    expect(group.getAttribute('aria-invalid')).toBe('true');
    expect(descriptions(group)).toEqual(['This field is required.']);
    for (const label of ['Topic', 'How can we help?']) {
      expect(screen.getByLabelText(label).getAttribute('aria-invalid')).toBe('true');
      expect(descriptions(screen.getByLabelText(label))).toEqual(['This field is required.']);
    }
    const consent = input('I accept the privacy policy');
    expect(consent.getAttribute('aria-invalid')).toBe('true');
    expect(descriptions(consent)).toEqual(['You must accept to continue.']);
    expect(document.activeElement).toBe(screen.getByLabelText('Chat'));

    fireEvent.click(screen.getByLabelText('Phone call'));
    expect(group.hasAttribute('aria-invalid')).toBe(false);
    await submit();
    expect(document.activeElement).toBe(screen.getByLabelText('Topic'));

    fireEvent.change(screen.getByLabelText('Topic'), { target: { value: 'billing' } });
    await submit();
    expect(document.activeElement).toBe(consent);

    fireEvent.click(consent);
    await submit();
    expect(document.activeElement).toBe(screen.getByLabelText('How can we help?'));
    expect(h.http.calls).toHaveLength(0);

    type('How can we help?', 'Invoice question');
    await submit();
    expect(sentData(h)).toEqual({ contact: 'phone', topic: 'billing', consent: true, question: 'Invoice question' });
  });

  it('an error is announced with the field: aria-describedby keeps the description and adds the error', async () => {
    renderForm(started());
    type('Email', 'zoe@example');
    await submit();
    const email = input('Email');
    expect(email.getAttribute('aria-invalid')).toBe('true');
    expect(descriptions(email)).toEqual(['We reply here if we get cut off.', 'Enter a valid email address.']);
  });

  it('a field with only spaces counts as empty', async () => {
    const h = started();
    renderForm(h);
    fillDefaultForm();
    type('Name', '    ');
    await submit();
    expect(descriptions(input('Name'))).toEqual(['Please tell us your name.']);
    expect(document.activeElement).toBe(input('Name'));
    expect(h.http.calls).toHaveLength(0);
  });

  it('a value that does not match the pattern shows the configured errorText, which goes as soon as the visitor edits the field', async () => {
    const h = started({
      config: withFields([{ name: 'order', type: 'text', label: 'Order number', pattern: 'A-\\d{4}', errorText: 'Order numbers look like A-1234.' }]),
    });
    renderForm(h);
    type('Order number', 'A-12');
    await submit();
    const order = input('Order number');
    expect(order.getAttribute('aria-invalid')).toBe('true');
    expect(descriptions(order)).toEqual(['Order numbers look like A-1234.']);
    expect(document.activeElement).toBe(order);
    // The whole value must match, as with the HTML pattern attribute.
    type('Order number', 'A-12345');
    expect(order.hasAttribute('aria-invalid')).toBe(false);
    expect(screen.queryByText('Order numbers look like A-1234.')).toBeNull();
    await submit();
    expect(descriptions(order)).toEqual(['Order numbers look like A-1234.']);

    type('Order number', 'A-1234');
    await submit();
    expect(sentData(h)).toEqual({ order: 'A-1234' });
  });

  it('minimum and maximum lengths count characters, not UTF-16 units', async () => {
    const h = started({ config: withFields([{ name: 'nickname', type: 'text', label: 'Nickname', minLength: 2, maxLength: 4 }]) });
    renderForm(h);
    type('Nickname', '李');
    await submit();
    expect(descriptions(input('Nickname'))).toEqual(['Enter at least 2 characters.']);
    type('Nickname', 'Ångström');
    await submit();
    expect(descriptions(input('Nickname'))).toEqual(['Enter at most 4 characters.']);
    expect(h.http.calls).toHaveLength(0);

    const fourAstral = '𠜎𠜱𠝹𠞉'; // 4 characters, 8 UTF-16 code units
    type('Nickname', fourAstral);
    await submit();
    expect(input('Nickname').hasAttribute('aria-invalid')).toBe(false);
    expect(sentData(h)).toEqual({ nickname: fourAstral });
  });

  it('refuses malformed email addresses and phone numbers, accepts international ones, and lets optional fields stay empty', async () => {
    const h = started({
      config: withFields([
        { name: 'email', type: 'email', label: 'Email', required: true },
        { name: 'phone', type: 'tel', label: 'Phone' },
        { name: 'company', type: 'text', label: 'Company' },
      ]),
    });
    renderForm(h);
    type('Email', 'zoe@@example.com');
    type('Phone', 'call me maybe');
    await submit();
    expect(descriptions(input('Email'))).toEqual(['Enter a valid email address.']);
    expect(descriptions(input('Phone'))).toEqual(['Enter a valid phone number.']);
    expect(input('Company').hasAttribute('aria-invalid')).toBe(false);
    expect(document.activeElement).toBe(input('Email'));

    type('Email', 'zoë@bücher.de');
    type('Phone', '+49 (30) 1234-5678');
    await submit();
    expect(sentData(h)).toEqual({ email: 'zoë@bücher.de', phone: '+49 (30) 1234-5678', company: '' });
  });

  // A letters-only rule as deployments write it: Unicode letters and marks, not just A–Z.
  const lettersOnly = withFields([
    { name: 'friendlyName', type: 'text', label: 'Name', required: true, maxLength: 80, pattern: "[\\p{L}\\p{M} .'’-]+", errorText: 'Use letters only.' },
  ]);

  it.each(['Zoë Ångström', '李小龙', 'Дмитрий', 'محمد الأمين', 'Siobhán Ní Dhuibhir', 'Nguyễn Thị Minh Khai'])(
    'accepts the name "%s" and sends it as typed',
    async (name) => {
      const h = started({ config: lettersOnly });
      renderForm(h);
      type('Name', ` ${name} `);
      await submit();
      expect(input('Name').hasAttribute('aria-invalid')).toBe(false);
      expect(sentData(h)).toEqual({ friendlyName: name });
      await waitFor(() => expect(h.controller.state.visitorName).toBe(name));
    },
  );

  it('a name with digits or markup breaks the letters-only rule', async () => {
    const h = started({ config: lettersOnly });
    renderForm(h);
    for (const bad of ['R2-D2', '<b>Zoë</b>']) {
      type('Name', bad);
      await submit();
      expect(descriptions(input('Name'))).toEqual(['Use letters only.']);
    }
    expect(h.http.calls).toHaveLength(0);
  });

  it('a value the page prefilled that is not one of the options asks the visitor to choose', async () => {
    const h = started({ config: allFieldsConfig });
    renderForm(h);
    act(() => h.controller.applyPrefill({ topic: 'sales', contact: 'fax' }));
    fillDefaultForm();
    fireEvent.click(screen.getByLabelText('I accept the privacy policy'));
    await submit();
    expect(descriptions(screen.getByLabelText('Topic'))).toEqual(['Choose one of the options.']);
    const contact = screen.getByRole('radiogroup', { name: 'Preferred contact' });
    expect(descriptions(contact)).toEqual(['Choose one of the options.']);
    expect(document.activeElement).toBe(screen.getByLabelText('Topic'));
    expect(h.http.calls).toHaveLength(0);
  });
});

describe('prefill and what is sent', () => {
  it('values from identify appear in every kind of field and are what gets sent', async () => {
    const h = started({ config: allFieldsConfig });
    renderForm(h);
    act(() =>
      h.controller.applyPrefill({
        friendlyName: 'Дмитрий',
        email: 'dmitry@example.ru',
        question: 'Где мой заказ?',
        phone: '+7 495 123-45-67',
        topic: 'tech',
        contact: 'email',
        consent: 'true',
        notAField: 'ignored',
      }),
    );
    expect(input('Name').value).toBe('Дмитрий');
    expect(input('Email').value).toBe('dmitry@example.ru');
    expect((screen.getByLabelText('How can we help?') as HTMLTextAreaElement).value).toBe('Где мой заказ?');
    expect(input('Phone').value).toBe('+7 495 123-45-67');
    expect((screen.getByLabelText('Topic') as HTMLSelectElement).value).toBe('tech');
    expect(input('Email me').checked).toBe(true);
    expect(input('Chat').checked).toBe(false);
    expect(input('I accept the privacy policy').checked).toBe(true);

    await submit();
    expect(sentData(h)).toEqual({
      friendlyName: 'Дмитрий',
      email: 'dmitry@example.ru',
      question: 'Где мой заказ?',
      phone: '+7 495 123-45-67',
      topic: 'tech',
      contact: 'email',
      consent: true,
      source: 'pricing-page',
    });
  });

  it('values identified before the form appears are shown in it', () => {
    const h = harness();
    controllers.push(h);
    h.controller.applyPrefill({ friendlyName: 'Zoë Ångström', email: 'zoe@example.com' });
    h.controller.start();
    renderForm(h);
    expect(input('Name').value).toBe('Zoë Ångström');
    expect(input('Email').value).toBe('zoe@example.com');
  });

  it('sends the answers (trimmed), the page from setContext, the language and the signed user token to /webchat/init', async () => {
    const h = started();
    h.controller.setContext({ pageUrl: 'https://shop.example/checkout?step=2' });
    h.controller.setUserToken('signed.user.token');
    renderForm(h);
    fillDefaultForm();
    await submit();
    expect(h.http.calls[0]).toEqual({
      url: 'http://127.0.0.1:4020/webchat/init',
      body: {
        preEngagementData: { friendlyName: 'Zoë Ångström', email: 'zoe@example.com', question: 'Where is my order?' },
        context: { pageUrl: 'https://shop.example/checkout?step=2', locale: 'en' },
        userToken: 'signed.user.token',
      },
    });
    await waitFor(() => expect(h.controller.state.phase).toBe('active'));
  });

  it('a page address that is not http(s) is not forwarded; the current language is', async () => {
    const h = started();
    h.controller.setContext({ pageUrl: 'javascript:alert(1)' });
    renderForm(h);
    act(() => h.controller.setLocale('fr'));
    fillDefaultForm();
    await submit('Start chat');
    const body = h.http.calls[0]?.body;
    expect(body).toMatchObject({ context: { locale: 'fr' } });
    expect(body).not.toHaveProperty('context.pageUrl');
    expect(body).not.toHaveProperty('userToken');
  });
});

describe('submitting', () => {
  it('pressing Start chat again while the request is in flight sends nothing more', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => (release = resolve));
    let requests = 0;
    const h = started({
      controller: {
        fetch: async (url, init) => {
          requests++;
          await gate;
          return h.http.fetch(url, init);
        },
      },
    });
    renderForm(h);
    fillDefaultForm();
    const button = screen.getByRole('button', { name: 'Start chat' });
    fireEvent.click(button);
    fireEvent.click(button);
    fireEvent.submit(screen.getByRole('form'));
    expect(requests).toBe(1);
    expect(h.controller.state.phase).toBe('connecting');

    await act(async () => release());
    await waitFor(() => expect(h.controller.state.phase).toBe('active'));
    expect(requests).toBe(1);
    expect(h.http.calls).toHaveLength(1);
  });

  it('says above the form that the previous chat ended when a stored chat turned out to be over, until a new one starts', async () => {
    profile = browserProfile();
    (await activeHarness({ sync: profile.tab() })).controller.dispose();
    const h = harness({ sync: profile.tab(), responses: [initOk] });
    controllers.push(h);
    h.transport.failNextConnect(new TransportError('not-found', 'participant removed'));
    renderForm(h);
    act(() => h.controller.start());
    const notice = await screen.findByText('Your previous chat has ended.');
    expect(notice.getAttribute('role')).toBe('status');
    expect(h.controller.state.phase).toBe('pre-engagement');

    fillDefaultForm();
    await submit();
    expect(screen.queryByText('Your previous chat has ended.')).toBeNull();
  });
});

describe('token service errors', () => {
  it('fields it rejects are marked (with the configured errorText first), the first is focused, and every answer stays', async () => {
    const h = started({
      responses: [
        {
          status: 422,
          body: { error: { code: 'invalid_fields', message: 'Invalid fields', fields: { question: 'Please say a bit more.', friendlyName: 'Name not allowed.' } } },
        },
        initOk,
      ],
    });
    renderFormOrError(h);
    fillDefaultForm();
    await submit();

    expect(await screen.findByText('Please say a bit more.')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toBe('Please correct the highlighted fields.');
    const name = input('Name');
    expect(name.getAttribute('aria-invalid')).toBe('true');
    expect(descriptions(name)).toEqual(['Please tell us your name.']);
    expect(screen.queryByText('Name not allowed.')).toBeNull();
    expect(descriptions(screen.getByLabelText('How can we help?'))).toEqual(['Please say a bit more.']);
    expect(input('Email').hasAttribute('aria-invalid')).toBe(false);
    expect(document.activeElement).toBe(name);
    expect(name.value).toBe('  Zoë Ångström ');
    expect(input('Email').value).toBe('zoe@example.com');
    expect((screen.getByLabelText('How can we help?') as HTMLTextAreaElement).value).toBe('Where is my order?');

    type('How can we help?', 'Where is my order #1234? It was due Monday.');
    await submit();
    expect(h.http.calls).toHaveLength(2);
    expect(sentData(h, 1)).toEqual({ friendlyName: 'Zoë Ångström', email: 'zoe@example.com', question: 'Where is my order #1234? It was due Monday.' });
    expect(await screen.findByText('phase: active')).toBeTruthy();
  });

  const refusals: Array<[string, ScriptedResponse]> = [
    ['a typed 400 error', { status: 400, body: { error: { code: 'origin_not_allowed', message: 'Origin not allowed' } } }],
    ['a 400 about a field the visitor cannot see', { status: 400, body: { error: { code: 'invalid', message: 'Invalid', fields: { source: 'Unknown source' } } } }],
  ];

  it.each(refusals)('%s: a clear error offers a new chat, which brings back the form with everything typed', async (_, refusal) => {
    const h = started({ config: allFieldsConfig, responses: [refusal] });
    renderFormOrError(h);
    fillAllFieldsForm();
    fireEvent.click(screen.getByLabelText('Email me'));
    await submit();

    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toBe('Something went wrong. Please try again.');
    expect(screen.queryByText(/Origin not allowed|Unknown source/)).toBeNull(); // service internals are not shown
    await act(async () => {
      fireEvent.click(screen.getByRole('button', { name: 'Start a new chat' }));
    });

    expect(screen.getByRole('form', { name: 'Pre-chat form' })).toBeTruthy();
    expect(input('Name').value).toBe('  Zoë Ångström ');
    expect(input('Email').value).toBe('zoe@example.com');
    expect((screen.getByLabelText('Topic') as HTMLSelectElement).value).toBe('tech');
    expect(input('Email me').checked).toBe(true);
    expect(input('I accept the privacy policy').checked).toBe(true);
    expect(h.http.calls).toHaveLength(1);
  });

  const failures: Array<[string, ScriptedResponse, string]> = [
    ['the service fails (503)', { status: 503, body: { error: { code: 'unavailable', message: 'Upstream down' } } }, 'Something went wrong. Please try again.'],
    ['the network is down', { networkError: true }, 'We could not reach the chat service. Check your connection and try again.'],
  ];

  it.each(failures)('%s: the error says so, and Retry sends the same answers again', async (_, failure, message) => {
    const h = started({ responses: [failure, initOk] });
    renderFormOrError(h);
    fillDefaultForm();
    await submit();

    expect((await screen.findByRole('alert')).textContent).toBe(message);
    expect(screen.queryByText('Upstream down')).toBeNull();
    const retry = screen.getByRole('button', { name: 'Retry' });
    await act(async () => {
      fireEvent.click(retry);
    });
    expect(h.http.calls).toHaveLength(2);
    expect(h.http.calls[1]).toEqual(h.http.calls[0]);
    expect(sentData(h, 1)).toEqual({ friendlyName: 'Zoë Ångström', email: 'zoe@example.com', question: 'Where is my order?' });
    expect(await screen.findByText('phase: active')).toBeTruthy();
  });
});
