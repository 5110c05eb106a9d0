// The API chunk's own words, in the widget's six languages (en, es, fr, de, pt-BR, ar).
// Few on purpose: what the deployment writes (the launcher's name, the chat's title, a
// teaser's text) comes from flexchat.config.json; these only say what the loader adds.
import { inLanguage } from './language.ts';

export interface Words {
  /** Appended to the launcher's name while messages wait: "Chat with us, 2 unread". `#`: the count. */
  unread: string;
  /** The teaser's close button. */
  dismiss: string;
}

export const WORDS: Record<string, Words> = {
  en: { unread: '# unread', dismiss: 'Dismiss' },
  es: { unread: '# sin leer', dismiss: 'Descartar' },
  fr: { unread: '# non lus', dismiss: 'Ignorer' },
  de: { unread: '# ungelesen', dismiss: 'Ausblenden' },
  'pt-BR': { unread: '# não lidas', dismiss: 'Dispensar' },
  ar: { unread: '# غير مقروءة', dismiss: 'إغلاق' },
};

/** The words for the first of `tags` there are words for (same rule as the texts), else English. */
export function wordsFor(tags: readonly unknown[]): Words {
  const keys = Object.fromEntries(Object.keys(WORDS).map((k) => [k, k]));
  return WORDS[inLanguage(keys, tags) ?? 'en']!;
}
