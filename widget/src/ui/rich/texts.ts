// Texts of rich replies (Content templates), in the widget's six languages. They
// live in this lazy chunk (not in i18n/en.ts, which is in the main chunk): they
// are needed only once an agent sends a template. The templates' own words
// (buttons, items, titles) come from the template, in the agent's language.
export interface RichTexts {
  /** Label of the group of quick-reply buttons. */
  replies: string;
  /** After a button's title, for screen readers, once the visitor chose it. */
  chosen: string;
  /** After a link's title, for screen readers: it opens a new tab. */
  newTab: string;
}

const en: RichTexts = { replies: 'Suggested replies', chosen: '(your answer)', newTab: '(opens in a new tab)' };

export const RICH_TEXTS: Readonly<Record<string, RichTexts>> = {
  en,
  de: { replies: 'Antwortvorschläge', chosen: '(Ihre Antwort)', newTab: '(öffnet in neuem Tab)' },
  es: { replies: 'Respuestas sugeridas', chosen: '(tu respuesta)', newTab: '(se abre en una pestaña nueva)' },
  fr: { replies: 'Réponses suggérées', chosen: '(votre réponse)', newTab: '(s’ouvre dans un nouvel onglet)' },
  'pt-BR': { replies: 'Respostas sugeridas', chosen: '(sua resposta)', newTab: '(abre em uma nova aba)' },
  ar: { replies: 'ردود مقترحة', chosen: '(إجابتك)', newTab: '(يفتح في علامة تبويب جديدة)' },
};

/** The texts for a locale tag ("pt-BR", "es-MX" → es), English otherwise. */
export function richTexts(locale: string): RichTexts {
  return RICH_TEXTS[locale] ?? RICH_TEXTS[locale.split('-')[0] ?? ''] ?? en;
}
