// The marketers' form builder: edits a working copy of flexchat.config.json,
// validates it against config/schema.json on every change (config/validate.ts),
// previews every valid change in the real widget on this page (launcher options
// through FlexChat('boot'), everything else through FlexChat('preview')), and
// exports the file and the snippet.
import '../styles.css';
import '../agent/agent.css';
import './builder.css';
import type { DeploymentConfig } from '../../../config/types.ts';
import { embed, snippet } from '../embed.ts';
import { clone, exportConfig } from './model.ts';
import { $, config, deployed, el, flexChat, setConfig } from './state.ts';
import { changed, previewStatus, say, setChatOpen, updatePreview } from './check-preview.ts';
import { renderFields } from './fields-editor.ts';
import { refreshStaticControls } from './settings-controls.ts';

async function copy(text: string, what: string): Promise<void> {
  try {
    await navigator.clipboard.writeText(text);
  } catch {
    // No clipboard permission (e.g. an automated browser): select the text for Ctrl+C instead.
    const area = what === 'Snippet' ? $<HTMLTextAreaElement>('snippet') : $<HTMLTextAreaElement>('config-json');
    area.focus();
    area.select();
    say(`${what} selected: press Ctrl+C (⌘C on a Mac) to copy it.`);
    return;
  }
  say(`${what} copied to the clipboard.`);
}

$('copy-config').addEventListener('click', () => void copy(exportConfig(config), 'Config'));
$('copy-snippet').addEventListener('click', () => void copy(snippet(config.widgetOrigin), 'Snippet'));
$('download').addEventListener('click', () => {
  const url = URL.createObjectURL(new Blob([exportConfig(config)], { type: 'application/json' }));
  const link = el('a', { href: url, download: 'flexchat.config.json' });
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
  say('flexchat.config.json downloaded.');
});
$('reset').addEventListener('click', () => {
  if (exportConfig(config) !== exportConfig(deployed) && !window.confirm('Start over from the deployed config? The changes made here will be lost.')) {
    say('Nothing changed: your edits are kept.');
    return;
  }
  setConfig(clone(deployed));
  refreshStaticControls();
  renderFields();
  changed();
  say('Back to the deployed config.');
});
$<HTMLInputElement>('import').addEventListener('change', async (event) => {
  const file = (event.target as HTMLInputElement).files?.[0];
  if (!file) return;
  try {
    const parsed = JSON.parse(await file.text()) as DeploymentConfig;
    if (!parsed || typeof parsed !== 'object' || !Array.isArray(parsed.preEngagement?.fields)) throw new Error('no preEngagement.fields');
    parsed.allowedDomains = Array.isArray(parsed.allowedDomains) ? parsed.allowedDomains : [];
    setConfig(parsed);
    refreshStaticControls();
    renderFields();
    changed();
    say(`${file.name} loaded.`);
  } catch (error) {
    say(`${file.name} is not a flexchat config: ${(error as Error).message}`);
  }
});
$('open-preview').addEventListener('click', () => flexChat('open'));

refreshStaticControls();
renderFields();
changed();
// The real widget, embedded exactly as on any site (this origin is an allowed domain).
embed(document, deployed.widgetOrigin);
flexChat('on', 'open', () => setChatOpen(true));
flexChat('on', 'close', () => setChatOpen(false));
flexChat('on', 'error', (error: { code: string }) => {
  if (error.code === 'preview_invalid') previewStatus('The widget could not show this change; it keeps the last one it could.');
});
updatePreview();
