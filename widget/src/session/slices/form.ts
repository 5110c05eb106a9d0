// The pre-engagement form: values typed or prefilled by the host, its validation,
// and its submission (which starts a session: see init.ts).
import { collectPreEngagementData, initialFormValues, validateForm, type FormValue } from '../form-validation.ts';
import type { Session } from './session.ts';

export interface FormSlice {
  /** The form answers of the session being started (kept for a retry). */
  submission: Record<string, FormValue> | null;
  /** The host page's URL (setContext), forwarded to the token service. */
  pageUrl: string | undefined;
  /** A signed identity of a logged-in visitor (host page), sent with the next /webchat/init. */
  userToken: string | undefined;
  setFieldValue(name: string, value: FormValue): void;
  /** Values supplied by the host page (FlexChat('identify')); only for configured fields,
   *  never over an answer the visitor gave (typed before the host's identify arrived, e.g.
   *  into the form shell before the app ran: widget/src/shell). */
  applyPrefill(prefill: Readonly<Record<string, string>>): void;
  setUserToken(userToken: string | undefined): void;
  /** Context supplied by the host page; `pageUrl` is forwarded to the token service. */
  setContext(context: Readonly<Record<string, string>>): void;
  /** The visitor chose the host page's teaser: the next chat starts with its text. */
  setTeaser(text: string): void;
  /** Skip-form mode: submit at once when the form needs nothing from the visitor. */
  maybeSkipForm(): void;
  /** Validates the form; when valid, asks for a session and connects. */
  submitForm(): Promise<void>;
}

export function createFormSlice(s: Session): FormSlice {
  /** Fields the visitor answered (setFieldValue is the form's, not the host's, way in). */
  const answered = new Set<string>();
  return {
    submission: null,
    pageUrl: undefined,
    userToken: undefined,

    setFieldValue(name, value) {
      answered.add(name);
      s.set((state) => {
        const errors = { ...state.form.errors };
        delete errors[name];
        return { form: { ...state.form, values: { ...state.form.values, [name]: value }, errors } };
      });
    },

    applyPrefill(prefill) {
      const phase = s.get().phase;
      if (phase !== 'idle' && phase !== 'pre-engagement' && phase !== 'offline') return;
      s.set((state) => {
        const values = { ...state.form.values };
        const initial = initialFormValues(s.form.fields);
        for (const field of s.form.fields) {
          const value = prefill[field.name];
          // The host page can never give consent on the visitor's behalf.
          if (value === undefined || field.type === 'consent') continue;
          // Nor overwrite an answer the visitor gave (one since cleared, by a reset, it may fill).
          if (answered.has(field.name) && values[field.name] !== initial[field.name]) continue;
          values[field.name] = field.type === 'checkbox' ? value === 'true' : value;
        }
        return { form: { ...state.form, values } };
      });
      s.maybeSkipForm();
    },

    setUserToken(userToken) {
      s.userToken = userToken === '' ? undefined : userToken;
    },

    setContext(context) {
      // The token service rejects anything but an absolute http(s) URL; drop others here.
      const pageUrl = context.pageUrl;
      if (typeof pageUrl === 'string' && /^https?:\/\//i.test(pageUrl) && URL.canParse(pageUrl)) s.pageUrl = pageUrl;
    },

    setTeaser(text) {
      // A chat under way began without it.
      const phase = s.get().phase;
      if (phase === 'connecting' || phase === 'queued' || phase === 'active') return;
      s.set({ teaser: { text, at: s.now() } });
    },

    maybeSkipForm() {
      // A preview never starts a real chat by itself.
      if (!s.options.skipForm || s.previewing || s.get().phase !== 'pre-engagement') return;
      if (Object.keys(validateForm(s.form.fields, s.get().form.values, s.strings)).length > 0) return;
      void s.submitForm();
    },

    async submitForm() {
      const state = s.get();
      if (state.phase !== 'pre-engagement') return;
      const fields = s.form.fields;
      const errors = validateForm(fields, state.form.values, s.strings);
      if (Object.keys(errors).length > 0) {
        s.set({ form: { ...state.form, errors, message: null, rejectedSubmits: state.form.rejectedSubmits + 1 } });
        return;
      }
      const data = collectPreEngagementData(fields, state.form.values);
      const nameField = s.config.preEngagement.friendlyNameField;
      const name = nameField !== undefined ? data[nameField] : undefined;
      s.submission = data;
      s.set({
        visitorName: typeof name === 'string' && name !== '' ? name : null,
        form: { ...state.form, errors: {}, message: null },
        notice: null,
      });
      await s.initAndConnect({ type: 'submit' });
    },
  };
}
