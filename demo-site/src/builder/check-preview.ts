// Checking the config (problems next to their controls), the export boxes and the live preview.
import { snippet } from '../embed.ts';
import { describePointer, exportConfig, nearestPointer, previewProblems, previewSettingsOf, validate } from './model.ts';
import { flexChat, DRAFT_KEY, config, $, el, editLocale, shown, editor } from './state.ts';

export function showProblems(): number {
  const problems = validate(config);
  for (const node of editor.querySelectorAll('[aria-invalid]')) node.removeAttribute('aria-invalid');
  for (const node of editor.querySelectorAll('.field-error')) node.remove();
  const known = new Set([...editor.querySelectorAll<HTMLElement>('[data-pointer]')].map((n) => n.dataset.pointer as string));
  const box = $('problems');
  if (problems.length === 0) {
    box.replaceChildren(el('p', { className: 'ok', textContent: 'No problems: the config is valid and ready to export.' }));
    return 0;
  }
  const list = el('ul', { className: 'problems' });
  for (const problem of problems) {
    const pointer = nearestPointer(problem.path, known);
    const target = pointer ? editor.querySelector<HTMLElement>(`[data-pointer="${CSS.escape(pointer)}"]`) : null;
    const text = `${describePointer(problem.path, config)} ${problem.message}`;
    if (target) {
      target.setAttribute('aria-invalid', 'true');
      const message = el('p', { className: 'field-error', id: `${target.id || 'x'}-error-${Math.random().toString(36).slice(2, 7)}`, textContent: problem.message });
      const describedBy = (target.getAttribute('aria-describedby') ?? '').split(' ').filter((id) => id && !id.includes('-error-'));
      target.setAttribute('aria-describedby', [...describedBy, message.id].join(' '));
      (target.tagName === 'FIELDSET' ? target.querySelector('legend')! : target).after(message);
      const link = el('a', { href: `#${target.id}`, textContent: text });
      link.addEventListener('click', (event) => {
        event.preventDefault();
        target.focus();
      });
      list.append(el('li', {}, link));
    } else list.append(el('li', { textContent: text }));
  }
  box.replaceChildren(el('p', { className: 'not-ok', textContent: `${problems.length} ${problems.length === 1 ? 'problem' : 'problems'} to fix before export:` }), list);
  return problems.length;
}

export function updateExport(valid: boolean): void {
  $<HTMLTextAreaElement>('config-json').value = exportConfig(config);
  $<HTMLTextAreaElement>('snippet').value = snippet(config.widgetOrigin);
  for (const id of ['download', 'copy-config', 'copy-snippet']) $<HTMLButtonElement>(id).disabled = !valid;
}

export const previewClosed = $<HTMLInputElement>('preview-closed');
previewClosed.addEventListener('change', () => {
  previewNow();
  if (previewClosed.checked) flexChat('open');
});

export function previewStatus(text: string): void {
  $('preview-status').textContent = text;
}

/** Launcher options through the loader, the rest through the widget's preview command. */
export function updatePreview(): void {
  const options: Record<string, string> = {};
  if (/^#([0-9a-f]{3}){1,2}$/i.test(config.theme?.primaryColor ?? '')) options.color = config.theme!.primaryColor!;
  if (config.launcher?.position) options.position = config.launcher.position;
  const label = shown(config.launcher?.label);
  if (label && label.length <= 60) options.label = label;
  const title = config.textsByLocale?.[editLocale]?.title ?? config.texts?.title;
  if (title) options.title = title;
  flexChat('boot', options);
  reserveChatSpace();
  if (previewProblems(validate(config)).length > 0) {
    previewStatus('The preview shows the last valid version until the problems are fixed.');
    return;
  }
  previewStatus('');
  flexChat('preview', previewSettingsOf(config, { closedHours: previewClosed.checked, locale: editLocale }));
}

let previewTimer: ReturnType<typeof setTimeout> | undefined;

export function changed(): void {
  const count = showProblems();
  updateExport(count === 0);
  localStorage.setItem(DRAFT_KEY, JSON.stringify(config));
  clearTimeout(previewTimer);
  previewTimer = setTimeout(updatePreview, 200);
}

export function say(text: string): void {
  $('export-status').textContent = text;
}

// The real widget's panel is fixed at the chat button's corner, over the page. While it is
// open the page keeps that strip free (builder.css), so it never covers the builder's own
// Check and Export column.
let chatOpen = false;
export function reserveChatSpace(): void {
  const side = config.launcher?.position === 'left' ? 'left' : 'right';
  if (chatOpen) document.body.dataset.chatOpen = side;
  else delete document.body.dataset.chatOpen;
  const offset = Number.isInteger(config.launcher?.offsetX) ? (config.launcher!.offsetX as number) : 20;
  document.body.style.setProperty('--chat-space', `${offset + 400 + 16}px`);
}
export function setChatOpen(open: boolean): void {
  chatOpen = open;
  reserveChatSpace();
}

/** Shows the preview now, not after the typing pause. */
export function previewNow(): void {
  clearTimeout(previewTimer);
  updatePreview();
}
