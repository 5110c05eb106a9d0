// On the ended screen, when the deployment turned it on (survey.enabled): a rating
// (1–5 stars or thumbs up/down) with an optional comment, sent once to the token
// service (POST /webchat/survey, recorded on the chat's Flex task). Skippable.
// A chunk of its own with its own stylesheet (ChatStatus.tsx).
//
// Accessibility: the rating is a radio group (native radios: arrow keys move and
// choose, Tab leaves the group) named by the question; every star has a spoken
// name ("4 stars"); errors are alerts; the result is a status that takes focus,
// so it is announced and the keyboard does not fall back to the page.
import { useId, useLayoutEffect, useRef, useState, type FormEvent } from 'react';
import { localize } from '../../../../config/localized.ts';
import { MAX_SURVEY_COMMENT_LENGTH } from '../../../../contracts/survey.ts';
import { TokenServiceError } from '../../session/token-service.ts';
import { format } from '../../strings.ts';
import { useController, useSession } from '../session-context.ts';
import { surveyTexts, type SurveyTexts } from './survey-texts.ts';
import './survey.css';

type Status = { state: 'idle' | 'sending' | 'skipped' } | { state: 'done'; message: string } | { state: 'error'; message: string };

type Choice = { value: string; label: string; glyph: string };

function choicesFor(scale: 'stars' | 'thumbs', texts: SurveyTexts): Choice[] {
  if (scale === 'thumbs') {
    return [
      { value: 'up', label: texts.thumbsUp, glyph: '👍' },
      { value: 'down', label: texts.thumbsDown, glyph: '👎' },
    ];
  }
  return [1, 2, 3, 4, 5].map((n) => ({ value: String(n), label: format(n === 1 ? texts.star : texts.stars, { n }), glyph: '★' }));
}

/** What the service's answer means for the visitor: done (no second try) or an error to retry. */
function outcome(error: unknown, texts: SurveyTexts): Status {
  const status = error instanceof TokenServiceError ? error.status : undefined;
  if (status === 409) return { state: 'done', message: texts.alreadySent };
  if (status === 410 || status === 501) return { state: 'done', message: texts.unavailable };
  return { state: 'error', message: texts.failed };
}

export function Survey() {
  const controller = useController();
  const locale = useSession((s) => s.locale);
  const config = controller.config.survey;
  const texts = surveyTexts(locale);
  const scale = config?.scale ?? 'stars';
  const withComment = config?.comment ?? true;
  const question = localize(config?.question, locale) ?? texts.question;
  const [rating, setRating] = useState<string | null>(null);
  const [comment, setComment] = useState('');
  const [status, setStatus] = useState<Status>({ state: 'idle' });
  const [missing, setMissing] = useState(false);
  const root = useRef<HTMLFormElement>(null);
  const result = useRef<HTMLParagraphElement>(null);
  const firstChoice = useRef<HTMLInputElement>(null);
  const id = useId();
  /** Set when the form gives way to the result, which then takes the focus the form had. */
  const focusResult = useRef(false);
  // In the commit that draws the result, not on a timer nor after paint: the form goes in
  // that commit, and no frame (nor anything watching the DOM) may see the focus lost with it.
  useLayoutEffect(() => {
    if (status.state !== 'done' || !focusResult.current) return;
    focusResult.current = false;
    result.current?.focus();
  }, [status]);

  if (status.state === 'skipped') return null;
  if (status.state === 'done') {
    return (
      <p ref={result} className="fc-survey-result" role="status" tabIndex={-1}>
        {status.message}
      </p>
    );
  }

  const finish = (next: Status) => {
    // The form (and the focused control) goes: the result takes focus once it is drawn.
    focusResult.current = true;
    setStatus(next);
  };

  const skip = () => {
    // Focus goes where the ended screen starts: "Start a new chat".
    root.current?.closest('.fc-ended')?.querySelector<HTMLElement>('[data-autofocus]')?.focus();
    setStatus({ state: 'skipped' });
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (status.state === 'sending') return; // one request at a time
    if (rating === null) {
      setMissing(true);
      firstChoice.current?.focus();
      return;
    }
    setMissing(false);
    setStatus({ state: 'sending' });
    const text = comment.trim();
    try {
      await controller.postAfterEnd('survey', { scale, rating: scale === 'stars' ? Number(rating) : rating, ...(withComment && text ? { comment: text } : {}) });
      finish({ state: 'done', message: texts.thanks });
    } catch (error) {
      const next = outcome(error, texts);
      if (next.state === 'done') finish(next);
      else setStatus(next);
    }
  };

  const choices = choicesFor(scale, texts);
  const chosenIndex = choices.findIndex((c) => c.value === rating);
  const error = missing ? texts.chooseRating : status.state === 'error' ? status.message : null;
  return (
    <form ref={root} className="fc-survey" aria-labelledby={`${id}-q`} noValidate onSubmit={(event) => void submit(event)}>
      <fieldset className={`fc-survey-choices fc-survey-choices--${scale}`} role="radiogroup" aria-labelledby={`${id}-q`} aria-describedby={error ? `${id}-error` : undefined}>
        <legend className="fc-survey-question" id={`${id}-q`}>
          {question}
        </legend>
        {choices.map((choice, index) => (
          <span key={choice.value} className="fc-survey-choice">
            <input
              ref={index === 0 ? firstChoice : undefined}
              className="fc-survey-input"
              type="radio"
              id={`${id}-${choice.value}`}
              name={`${id}-rating`}
              value={choice.value}
              checked={rating === choice.value}
              onChange={() => {
                setRating(choice.value);
                setMissing(false);
              }}
            />
            <label htmlFor={`${id}-${choice.value}`} className={scale === 'stars' && index <= chosenIndex ? 'fc-survey-label fc-survey-label--on' : 'fc-survey-label'}>
              <span aria-hidden="true">{choice.glyph}</span>
              <span className={scale === 'stars' ? 'fc-sr-only' : 'fc-survey-text'}>{choice.label}</span>
            </label>
          </span>
        ))}
      </fieldset>
      {withComment ? (
        <>
          <label htmlFor={`${id}-comment`}>{texts.commentLabel}</label>
          <textarea id={`${id}-comment`} name="comment" rows={2} maxLength={MAX_SURVEY_COMMENT_LENGTH} value={comment} onChange={(event) => setComment(event.target.value)} />
        </>
      ) : null}
      {error ? (
        <p className="fc-field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
      <div className="fc-survey-actions">
        <button type="submit" className="fc-button fc-button--secondary" aria-disabled={status.state === 'sending' ? true : undefined}>
          {status.state === 'sending' ? texts.sending : texts.send}
        </button>
        <button type="button" className="fc-link-button" onClick={skip}>
          {texts.skip}
        </button>
      </div>
    </form>
  );
}
