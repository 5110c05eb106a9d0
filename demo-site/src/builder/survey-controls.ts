// The post-chat survey's controls (config.survey): on or off, stars or thumbs, a
// comment box, the question (per language). Off by default; the survey needs the
// token service (hosted: not offered).
import { $, config } from './state.ts';
import { changed } from './check-preview.ts';
import { bindLocalized } from './localized-controls.ts';
import { setOptional } from './model.ts';

const enabled = $<HTMLInputElement>('survey-enabled');
const details = $('survey-details');
const comment = $<HTMLInputElement>('survey-comment');
const scales = () => document.querySelectorAll<HTMLInputElement>('input[name=survey-scale]');

/** Shows the working copy's survey settings (after load, import or reset). */
export function refreshSurveyControls(): void {
  enabled.checked = config.survey?.enabled === true;
  details.hidden = !enabled.checked;
  comment.checked = config.survey?.comment !== false;
  for (const radio of scales()) radio.checked = radio.value === (config.survey?.scale ?? 'stars');
}

enabled.addEventListener('change', () => {
  if (enabled.checked) (config.survey ??= {}).enabled = true;
  else delete config.survey;
  refreshSurveyControls();
  changed();
});
comment.addEventListener('change', () => {
  if (comment.checked) delete (config.survey ??= {}).comment;
  else (config.survey ??= {}).comment = false;
  changed();
});
for (const radio of scales()) {
  radio.addEventListener('change', () => {
    (config.survey ??= {}).scale = radio.value as 'stars' | 'thumbs';
    changed();
  });
}
// Empty in every language: the widget's own question, in the visitor's language.
bindLocalized('survey-question', () => config.survey?.question, (value) => setOptional((config.survey ??= {}), 'question', value));
