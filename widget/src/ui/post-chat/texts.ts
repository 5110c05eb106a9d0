// Texts of the e-mailed transcript form, in the widget's six languages. They live
// in this lazy chunk (not in i18n/en.ts, which is in the main chunk): the form is
// loaded only on the ended screen. i18n.test.ts-style check: texts.test.ts.
export interface TranscriptEmailTexts {
  heading: string;
  emailLabel: string;
  send: string;
  sending: string;
  sent: string;
  invalidEmail: string;
  failed: string;
  notAvailable: string;
}

const en: TranscriptEmailTexts = {
  heading: 'Get the transcript by e-mail',
  emailLabel: 'Your e-mail address',
  send: 'Send transcript',
  sending: 'Sending…',
  sent: 'The transcript is on its way to {email}.',
  invalidEmail: 'Enter a valid e-mail address.',
  failed: 'The transcript could not be sent. Please try again.',
  notAvailable: 'Sending transcripts by e-mail is not available.',
};

export const TRANSCRIPT_EMAIL_TEXTS: Readonly<Record<string, TranscriptEmailTexts>> = {
  en,
  de: {
    heading: 'Verlauf per E-Mail erhalten',
    emailLabel: 'Ihre E-Mail-Adresse',
    send: 'Verlauf senden',
    sending: 'Wird gesendet…',
    sent: 'Der Verlauf ist unterwegs an {email}.',
    invalidEmail: 'Geben Sie eine gültige E-Mail-Adresse ein.',
    failed: 'Der Verlauf konnte nicht gesendet werden. Bitte versuchen Sie es erneut.',
    notAvailable: 'Der Versand per E-Mail ist nicht verfügbar.',
  },
  es: {
    heading: 'Recibe la transcripción por correo',
    emailLabel: 'Tu correo electrónico',
    send: 'Enviar transcripción',
    sending: 'Enviando…',
    sent: 'La transcripción va de camino a {email}.',
    invalidEmail: 'Escribe un correo electrónico válido.',
    failed: 'No se pudo enviar la transcripción. Inténtalo de nuevo.',
    notAvailable: 'El envío por correo no está disponible.',
  },
  fr: {
    heading: 'Recevoir la transcription par e-mail',
    emailLabel: 'Votre adresse e-mail',
    send: 'Envoyer la transcription',
    sending: 'Envoi…',
    sent: 'La transcription est en route vers {email}.',
    invalidEmail: 'Saisissez une adresse e-mail valide.',
    failed: 'La transcription n’a pas pu être envoyée. Veuillez réessayer.',
    notAvailable: 'L’envoi par e-mail n’est pas disponible.',
  },
  'pt-BR': {
    heading: 'Receber a transcrição por e-mail',
    emailLabel: 'Seu e-mail',
    send: 'Enviar transcrição',
    sending: 'Enviando…',
    sent: 'A transcrição está a caminho de {email}.',
    invalidEmail: 'Digite um e-mail válido.',
    failed: 'Não foi possível enviar a transcrição. Tente novamente.',
    notAvailable: 'O envio por e-mail não está disponível.',
  },
  ar: {
    heading: 'احصل على نص المحادثة بالبريد الإلكتروني',
    emailLabel: 'بريدك الإلكتروني',
    send: 'إرسال نص المحادثة',
    sending: 'جارٍ الإرسال…',
    sent: 'نص المحادثة في طريقه إلى {email}.',
    invalidEmail: 'أدخل بريدًا إلكترونيًا صالحًا.',
    failed: 'تعذر إرسال نص المحادثة. يُرجى المحاولة مرة أخرى.',
    notAvailable: 'الإرسال بالبريد الإلكتروني غير متاح.',
  },
};

/** The texts for a locale tag ("pt-BR", "es-MX" → es), English otherwise. */
export function transcriptEmailTexts(locale: string): TranscriptEmailTexts {
  return TRANSCRIPT_EMAIL_TEXTS[locale] ?? TRANSCRIPT_EMAIL_TEXTS[locale.split('-')[0] ?? ''] ?? en;
}
