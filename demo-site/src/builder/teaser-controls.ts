// The proactive teaser's rules (config.teaser.rules): one card per rule with its text (per
// language), its triggers (seconds on the page, page path, scroll depth) and how often it
// shows. Off by default: no rules, no teaser. "Show on this page" previews a rule's text with
// the page's own loader, FlexChat('teaser').
import type { TeaserRule } from '../../../config/types.ts';
import { TEASER_KEY } from '../../../loader/src/teaser.ts';
import { changed, say } from './check-preview.ts';
import { onShowTexts } from './localized-controls.ts';
import { setOptional } from './model.ts';
import { $, config, edited, el, flexChat, shown, showLocalized } from './state.ts';

const list = $<HTMLOListElement>('teaser-rules');
const rules = (): TeaserRule[] => config.teaser?.rules ?? [];

/** A labelled control of rule `index`, linked to its place in the config for problems. */
function control(index: number, prop: string, label: string, input: HTMLInputElement | HTMLSelectElement, hint: string): HTMLElement {
  input.id = `teaser${index}-${prop}`;
  input.dataset.pointer = `/teaser/rules/${index}/${prop}`;
  const help = el('p', { className: 'hint', id: `${input.id}-hint`, textContent: hint });
  input.setAttribute('aria-describedby', help.id);
  return el('div', { className: 'control' }, el('label', { htmlFor: input.id, textContent: label }), input, help);
}

/** A number trigger: empty means the rule does not use it. */
function numberInput(rule: TeaserRule, key: 'timeOnPage' | 'scrollDepth', min: number, max: number): HTMLInputElement {
  const input = el('input', { type: 'number', min: String(min), max: String(max), step: '1', inputMode: 'numeric', value: rule[key] === undefined ? '' : String(rule[key]) });
  input.addEventListener('input', () => {
    setOptional(rule, key, input.value === '' ? undefined : Number(input.value));
    changed();
  });
  return input;
}

function card(rule: TeaserRule, index: number): HTMLLIElement {
  const text = el('input', { maxLength: 200 });
  showLocalized(text, rule.text);
  text.addEventListener('input', () => {
    rule.text = edited(rule.text, text.value) ?? '';
    changed();
  });
  const path = el('input', { value: rule.urlPattern ?? '', spellcheck: false, placeholder: '/pricing*' });
  path.addEventListener('input', () => {
    setOptional(rule, 'urlPattern', path.value.trim());
    changed();
  });
  const frequency = el(
    'select',
    {},
    el('option', { value: 'visitor', textContent: 'Once per visitor' }),
    el('option', { value: 'session', textContent: 'Once per browser session' }),
  );
  frequency.value = rule.frequency ?? 'visitor';
  frequency.addEventListener('change', () => {
    if (frequency.value === 'session') rule.frequency = 'session';
    else delete rule.frequency;
    changed();
  });
  const show = el('button', { type: 'button', className: 'button button--secondary', textContent: 'Show on this page' });
  show.addEventListener('click', () => {
    const words = shown(rule.text);
    if (!words) return say('Write the teaser’s text first.');
    // The marketer's own earlier dismissal must not hide the preview.
    localStorage.removeItem(TEASER_KEY);
    flexChat('teaser', { text: words });
    say('The teaser shows over the chat button, as visitors will see it.');
  });
  const remove = el('button', { type: 'button', className: 'button button--secondary', textContent: `Remove rule ${index + 1}` });
  remove.addEventListener('click', () => {
    rules().splice(index, 1);
    if (rules().length === 0) delete config.teaser;
    renderTeaserRules();
    changed();
    say(`Rule ${index + 1} removed.`);
    $('add-teaser-rule').focus();
  });
  const box = el(
    'fieldset',
    { className: 'field-card' },
    el('legend', { textContent: `Rule ${index + 1}` }),
    control(index, 'text', 'Text', text, 'At most 200 characters; kept per language. Choosing it opens the chat, which shows it as the first message from your side.'),
    control(index, 'timeOnPage', 'After seconds on the page', numberInput(rule, 'timeOnPage', 0, 3600), 'Empty: any time.'),
    control(index, 'urlPattern', 'On pages whose path matches', path, '"*" stands for any characters, e.g. /products/*. Empty: every page.'),
    control(index, 'scrollDepth', 'After scrolling down (percent)', numberInput(rule, 'scrollDepth', 1, 100), 'Empty: no scrolling needed. A rule needs at least one of these three.'),
    control(index, 'frequency', 'How often', frequency, 'A visitor who closes a teaser sees none again.'),
    el('div', { className: 'button-row' }, show, remove),
  );
  box.dataset.pointer = `/teaser/rules/${index}`;
  box.tabIndex = -1;
  return el('li', {}, box);
}

/** Draws the working copy's rules (after load, import, reset or a change of the list). */
export function renderTeaserRules(): void {
  list.replaceChildren(...rules().map(card));
}

// Another language being edited: the texts in it.
onShowTexts(renderTeaserRules);

$('add-teaser-rule').addEventListener('click', () => {
  const all = ((config.teaser ??= { rules: [] }).rules ??= []);
  all.push({ text: '', timeOnPage: 30 });
  renderTeaserRules();
  changed();
  $<HTMLInputElement>(`teaser${all.length - 1}-text`).focus();
});
