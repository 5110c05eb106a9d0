// The composer's emoji button's name, in the widget's six languages. It lives with
// the composer (the chat view chunk); everything else of the emoji feature, texts
// included, is in the emoji chunk (texts.ts), loaded on first use.
const LABELS: Readonly<Record<string, string>> = {
  en: 'Insert emoji',
  es: 'Insertar emoji',
  fr: 'Insérer un émoji',
  de: 'Emoji einfügen',
  'pt-BR': 'Inserir emoji',
  ar: 'إدراج رمز تعبيري',
};

/** The label for a locale tag ("pt-BR", "es-MX" → es), English otherwise. */
export function emojiButtonLabel(locale: string): string {
  return LABELS[locale] ?? LABELS[locale.split('-')[0] ?? ''] ?? LABELS.en!;
}
