// The pre-engagement form, rendered from the deployment config's fields.
import { useEffect, useId, useRef, type FormEvent, type ReactNode } from 'react';
import type { FormField } from '../../../config/types.ts';
import { firstInvalidField, type FormValue } from '../session/form-validation.ts';
import type { Strings } from '../strings.ts';
import { useController, useSession, useStrings } from './session-context.ts';

function autoCompleteFor(field: FormField, friendlyNameField: string | undefined): string | undefined {
  if (field.name === friendlyNameField) return 'name';
  if (field.type === 'email') return 'email';
  if (field.type === 'tel') return 'tel';
  return undefined;
}

/**
 * A consent field's policy link, only when it is an absolute http(s) URL (the config
 * refuses others with contracts/consent.ts isPolicyUrl; a preview could still
 * send one). Written out here: importing the contract moves the chunk runtime into
 * the main chunk.
 */
function policyHref(url: string | undefined): string | null {
  if (url === undefined) return null;
  try {
    const { protocol } = new URL(url);
    return protocol === 'http:' || protocol === 'https:' ? url : null;
  } catch {
    return null;
  }
}

function focusField(form: HTMLFormElement | null, name: string): void {
  if (!form) return;
  const selector = `[data-field-control="${name}"]`;
  const target = form.querySelector<HTMLElement>(`${selector}:checked`) ?? form.querySelector<HTMLElement>(selector);
  target?.focus();
}

interface FieldProps {
  field: FormField;
  id: string;
  value: FormValue | undefined;
  error: string | undefined;
  autoComplete: string | undefined;
  strings: Strings;
  onChange: (value: FormValue) => void;
}

/**
 * A visual "*" next to (never inside) the label, so the label text is exactly the
 * configured label. Assistive technology learns "required" from the control.
 */
function RequiredMark({ field }: { field: FormField }) {
  return field.required ? (
    <span className="fc-required" aria-hidden="true">
      *
    </span>
  ) : null;
}

function Field({ field, id, value, error, autoComplete, strings, onChange }: FieldProps) {
  const descriptionId = field.description ? `${id}-description` : undefined;
  const errorId = error ? `${id}-error` : undefined;
  const describedBy = [descriptionId, errorId].filter(Boolean).join(' ') || undefined;
  const text = typeof value === 'string' ? value : '';
  const invalid = error ? true : undefined;

  const description = field.description ? (
    <p className="fc-field-description" id={descriptionId}>
      {field.description}
    </p>
  ) : null;
  const errorText = error ? (
    <p className="fc-field-error" id={errorId}>
      {error}
    </p>
  ) : null;
  /** What every text-like control carries: its name, label link, state and descriptions. */
  const control = {
    id,
    name: field.name,
    required: field.required,
    'aria-invalid': invalid,
    'aria-describedby': describedBy,
    'data-field-control': field.name,
  };
  /** A control under its label row, between the description and the error. */
  const labelled = (input: ReactNode) => (
    <div className="fc-field">
      <div className="fc-label-row">
        <label htmlFor={id}>{field.label}</label>
        <RequiredMark field={field} />
      </div>
      {description}
      {input}
      {errorText}
    </div>
  );

  switch (field.type) {
    case 'hidden':
      return <input type="hidden" name={field.name} value={typeof value === 'boolean' ? String(value) : text} />;

    case 'checkbox':
      return (
        <div className="fc-field fc-field--checkbox">
          <div className="fc-check">
            <input
              type="checkbox"
              id={id}
              name={field.name}
              checked={value === true}
              required={field.required}
              aria-invalid={invalid}
              aria-describedby={describedBy}
              data-field-control={field.name}
              onChange={(event) => onChange(event.target.checked)}
            />
            <label htmlFor={id}>{field.label}</label>
            <RequiredMark field={field} />
          </div>
          {description}
          {errorText}
        </div>
      );

    case 'consent': {
      // The link only when it is http(s) (the config refuses others; never trust it blindly).
      const policy = policyHref(field.policyUrl);
      return (
        <div className="fc-field fc-field--checkbox fc-field--consent" data-consent-version={field.version}>
          <div className="fc-check">
            <input
              type="checkbox"
              id={id}
              name={field.name}
              checked={value === true}
              required
              aria-required="true"
              aria-invalid={invalid}
              aria-describedby={describedBy}
              data-field-control={field.name}
              onChange={(event) => onChange(event.target.checked)}
            />
            <label htmlFor={id}>{field.label}</label>
            <span className="fc-required" aria-hidden="true">
              *
            </span>
          </div>
          {policy ? (
            <p className="fc-consent-link">
              <a href={policy} target="_blank" rel="noopener noreferrer">
                {field.linkText ?? strings.consentPolicyLink}
                <span className="fc-sr-only"> {strings.opensInNewTab}</span>
              </a>
            </p>
          ) : null}
          {description}
          {errorText}
        </div>
      );
    }

    case 'radio': {
      const legendId = `${id}-legend`; // the label text only, without the required mark
      return (
        <fieldset
          className="fc-field fc-field--radio"
          role="radiogroup"
          aria-labelledby={legendId}
          aria-describedby={describedBy}
          aria-required={field.required}
          aria-invalid={invalid}
        >
          <legend>
            <span id={legendId}>{field.label}</span>
            <RequiredMark field={field} />
          </legend>
          {description}
          {(field.options ?? []).map((option, i) => (
            <div className="fc-check" key={option.value}>
              <input
                type="radio"
                id={`${id}-${i}`}
                name={field.name}
                value={option.value}
                checked={text === option.value}
                data-field-control={field.name}
                onChange={() => onChange(option.value)}
              />
              <label htmlFor={`${id}-${i}`}>{option.label}</label>
            </div>
          ))}
          {errorText}
        </fieldset>
      );
    }

    case 'select':
      return labelled(
        <select {...control} value={text} onChange={(event) => onChange(event.target.value)}>
          <option value="">{field.placeholder ?? strings.selectPlaceholder}</option>
          {(field.options ?? []).map((option) => (
            <option key={option.value} value={option.value}>
              {option.label}
            </option>
          ))}
        </select>,
      );

    case 'textarea':
      return labelled(
        <textarea {...control} value={text} rows={3} placeholder={field.placeholder} onChange={(event) => onChange(event.target.value)} />,
      );

    default:
      return labelled(
        <input
          {...control}
          type={field.type}
          value={text}
          placeholder={field.placeholder}
          autoComplete={autoComplete}
          inputMode={field.type === 'tel' ? 'tel' : field.type === 'email' ? 'email' : undefined}
          spellCheck={field.type === 'email' ? false : undefined}
          onChange={(event) => onChange(event.target.value)}
        />,
      );
  }
}

export function PreEngagementForm() {
  const controller = useController();
  const strings = useStrings();
  const pre = useSession((s) => s.preEngagement); // its texts in the current language
  const values = useSession((s) => s.form.values);
  const errors = useSession((s) => s.form.errors);
  const message = useSession((s) => s.form.message);
  const notice = useSession((s) => s.notice);
  const rejectedSubmits = useSession((s) => s.form.rejectedSubmits);
  const formRef = useRef<HTMLFormElement>(null);
  const idBase = useId();
  const errorsRef = useRef(errors);
  errorsRef.current = errors;

  // After a rejected submit (also when the form comes back after server-side
  // field errors), move focus to the first invalid field.
  useEffect(() => {
    if (rejectedSubmits === 0) return;
    const first = firstInvalidField(pre.fields, errorsRef.current);
    if (first) focusField(formRef.current, first);
  }, [rejectedSubmits, pre.fields]);

  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    void controller.submitForm();
  };

  const hasRequired = pre.fields.some((field) => field.required && field.type !== 'hidden');

  return (
    <form ref={formRef} className="fc-form" aria-label={strings.formLabel} noValidate onSubmit={onSubmit}>
      {pre.title ? <h2 className="fc-form-title">{pre.title}</h2> : null}
      {pre.description ? <p className="fc-form-description">{pre.description}</p> : null}
      {notice ? (
        <p className="fc-form-note" role="status">
          {notice}
        </p>
      ) : null}
      {hasRequired ? (
<p className="fc-form-note">{strings.requiredNote}</p>
      ) : null}
      {message ? (
        <p className="fc-form-message" role="alert">
          {message}
        </p>
      ) : null}
      {pre.fields.map((field) => (
        <Field
          key={field.name}
          field={field}
          id={`${idBase}-${field.name}`}
          value={values[field.name]}
          error={errors[field.name]}
          autoComplete={autoCompleteFor(field, pre.friendlyNameField)}
          strings={strings}
          onChange={(value) => controller.setFieldValue(field.name, value)}
        />
      ))}
      <button type="submit" className="fc-button fc-button--primary">
        {pre.submitLabel ?? strings.submitLabel}
      </button>
    </form>
  );
}
