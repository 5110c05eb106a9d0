// Texts of the post-chat survey, in the widget's six languages. They live in this
// lazy chunk (not in i18n/en.ts, which is in the main chunk): the survey loads only
// on the ended screen of a deployment that turned it on. `question` can be set per
// locale in flexchat.config.json (survey.question).
export interface SurveyTexts {
  question: string;
  /** Accessible name of star n: "{n} star" / "{n} stars". */
  star: string;
  stars: string;
  thumbsUp: string;
  thumbsDown: string;
  commentLabel: string;
  send: string;
  sending: string;
  skip: string;
  thanks: string;
  chooseRating: string;
  failed: string;
  /** Already rated (409), e.g. in another tab. */
  alreadySent: string;
  /** Too late (410) or not set up (501). */
  unavailable: string;
}

const en: SurveyTexts = {
  question: 'How was your chat?',
  star: '{n} star',
  stars: '{n} stars',
  thumbsUp: 'Good',
  thumbsDown: 'Bad',
  commentLabel: 'Comment (optional)',
  send: 'Send rating',
  sending: 'Sending…',
  skip: 'Skip',
  thanks: 'Thank you for your feedback.',
  chooseRating: 'Choose a rating first.',
  failed: 'Your rating could not be sent. Please try again.',
  alreadySent: 'This chat has been rated already. Thank you.',
  unavailable: 'This chat can no longer be rated.',
};

export const SURVEY_TEXTS: Readonly<Record<string, SurveyTexts>> = {
  en,
  de: {
    question: 'Wie war Ihr Chat?',
    star: '{n} Stern',
    stars: '{n} Sterne',
    thumbsUp: 'Gut',
    thumbsDown: 'Schlecht',
    commentLabel: 'Kommentar (optional)',
    send: 'Bewertung senden',
    sending: 'Wird gesendet…',
    skip: 'Überspringen',
    thanks: 'Vielen Dank für Ihr Feedback.',
    chooseRating: 'Wählen Sie zuerst eine Bewertung.',
    failed: 'Ihre Bewertung konnte nicht gesendet werden. Bitte versuchen Sie es erneut.',
    alreadySent: 'Dieser Chat wurde bereits bewertet. Vielen Dank.',
    unavailable: 'Dieser Chat kann nicht mehr bewertet werden.',
  },
  es: {
    question: '¿Qué tal fue tu chat?',
    star: '{n} estrella',
    stars: '{n} estrellas',
    thumbsUp: 'Bien',
    thumbsDown: 'Mal',
    commentLabel: 'Comentario (opcional)',
    send: 'Enviar valoración',
    sending: 'Enviando…',
    skip: 'Omitir',
    thanks: 'Gracias por tu opinión.',
    chooseRating: 'Elige primero una valoración.',
    failed: 'No se pudo enviar tu valoración. Inténtalo de nuevo.',
    alreadySent: 'Este chat ya se ha valorado. Gracias.',
    unavailable: 'Este chat ya no se puede valorar.',
  },
  fr: {
    question: 'Comment s’est passé votre chat ?',
    star: '{n} étoile',
    stars: '{n} étoiles',
    thumbsUp: 'Bien',
    thumbsDown: 'Pas bien',
    commentLabel: 'Commentaire (facultatif)',
    send: 'Envoyer la note',
    sending: 'Envoi…',
    skip: 'Passer',
    thanks: 'Merci pour votre avis.',
    chooseRating: 'Choisissez d’abord une note.',
    failed: 'Votre note n’a pas pu être envoyée. Veuillez réessayer.',
    alreadySent: 'Ce chat a déjà été noté. Merci.',
    unavailable: 'Ce chat ne peut plus être noté.',
  },
  'pt-BR': {
    question: 'Como foi o seu chat?',
    star: '{n} estrela',
    stars: '{n} estrelas',
    thumbsUp: 'Bom',
    thumbsDown: 'Ruim',
    commentLabel: 'Comentário (opcional)',
    send: 'Enviar avaliação',
    sending: 'Enviando…',
    skip: 'Pular',
    thanks: 'Obrigado pela sua opinião.',
    chooseRating: 'Escolha uma avaliação primeiro.',
    failed: 'Não foi possível enviar sua avaliação. Tente novamente.',
    alreadySent: 'Este chat já foi avaliado. Obrigado.',
    unavailable: 'Este chat não pode mais ser avaliado.',
  },
  ar: {
    question: 'كيف كانت محادثتك؟',
    star: '{n} نجمة',
    stars: '{n} نجوم',
    thumbsUp: 'جيدة',
    thumbsDown: 'سيئة',
    commentLabel: 'تعليق (اختياري)',
    send: 'إرسال التقييم',
    sending: 'جارٍ الإرسال…',
    skip: 'تخطٍّ',
    thanks: 'شكرًا على ملاحظاتك.',
    chooseRating: 'اختر تقييمًا أولًا.',
    failed: 'تعذر إرسال تقييمك. يُرجى المحاولة مرة أخرى.',
    alreadySent: 'تم تقييم هذه المحادثة من قبل. شكرًا لك.',
    unavailable: 'لم يعد بالإمكان تقييم هذه المحادثة.',
  },
};

/** The texts for a locale tag ("pt-BR", "es-MX" → es), English otherwise. */
export function surveyTexts(locale: string): SurveyTexts {
  return SURVEY_TEXTS[locale] ?? SURVEY_TEXTS[locale.split('-')[0] ?? ''] ?? en;
}
