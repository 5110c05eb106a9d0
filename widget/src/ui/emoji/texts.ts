// Texts of the emoji picker and of `:shortcode:` completion, in the widget's six
// languages. They live in the emoji chunk (not in i18n/en.ts, which is in the main
// chunk). Emoji names stay English (they are shortcodes people type); these texts
// are what frames them. Counts are written "…: {count}" so no plural forms are needed.
import type { CategoryId } from './emoji-data.ts';

export interface EmojiTexts {
  /** The picker dialog's name. */
  picker: string;
  search: string;
  /** The category tabs' name. */
  categories: string;
  category: Record<CategoryId, string>;
  /** The grid's name while searching. */
  results: string;
  noResults: string;
  found: string;
  /** The completion list's name. */
  suggestions: string;
  /** Said when the completion list opens or its length changes. */
  suggestionsHint: string;
  /** Said when an emoji went into the message. */
  inserted: string;
}

const en: EmojiTexts = {
  picker: 'Emoji',
  search: 'Search emoji',
  categories: 'Emoji categories',
  category: {
    smileys: 'Smileys & emotion',
    people: 'People & gestures',
    animals: 'Animals & nature',
    food: 'Food & drink',
    travel: 'Travel & places',
    activities: 'Activities',
    objects: 'Objects',
    symbols: 'Symbols',
  },
  results: 'Search results',
  noResults: 'No emoji found',
  found: 'Emoji found: {count}',
  suggestions: 'Emoji suggestions',
  suggestionsHint: 'Emoji suggestions: {count}. Up and down arrows to choose, Enter or Tab to insert, Escape to dismiss.',
  inserted: '{name} inserted',
};

export const EMOJI_TEXTS: Readonly<Record<string, EmojiTexts>> = {
  en,
  es: {
    picker: 'Emojis',
    search: 'Buscar emoji',
    categories: 'Categorías de emojis',
    category: {
      smileys: 'Caras y emociones',
      people: 'Personas y gestos',
      animals: 'Animales y naturaleza',
      food: 'Comida y bebida',
      travel: 'Viajes y lugares',
      activities: 'Actividades',
      objects: 'Objetos',
      symbols: 'Símbolos',
    },
    results: 'Resultados de la búsqueda',
    noResults: 'No se encontró ningún emoji',
    found: 'Emojis encontrados: {count}',
    suggestions: 'Sugerencias de emojis',
    suggestionsHint: 'Sugerencias de emojis: {count}. Flechas arriba y abajo para elegir, Intro o Tab para insertar, Escape para cerrar.',
    inserted: '{name} insertado',
  },
  fr: {
    picker: 'Émojis',
    search: 'Rechercher un émoji',
    categories: 'Catégories d’émojis',
    category: {
      smileys: 'Smileys et émotions',
      people: 'Personnes et gestes',
      animals: 'Animaux et nature',
      food: 'Nourriture et boissons',
      travel: 'Voyages et lieux',
      activities: 'Activités',
      objects: 'Objets',
      symbols: 'Symboles',
    },
    results: 'Résultats de la recherche',
    noResults: 'Aucun émoji trouvé',
    found: 'Émojis trouvés : {count}',
    suggestions: 'Suggestions d’émojis',
    suggestionsHint: 'Suggestions d’émojis : {count}. Flèches haut et bas pour choisir, Entrée ou Tab pour insérer, Échap pour fermer.',
    inserted: '{name} inséré',
  },
  de: {
    picker: 'Emojis',
    search: 'Emoji suchen',
    categories: 'Emoji-Kategorien',
    category: {
      smileys: 'Smileys & Emotionen',
      people: 'Menschen & Gesten',
      animals: 'Tiere & Natur',
      food: 'Essen & Trinken',
      travel: 'Reisen & Orte',
      activities: 'Aktivitäten',
      objects: 'Objekte',
      symbols: 'Symbole',
    },
    results: 'Suchergebnisse',
    noResults: 'Kein Emoji gefunden',
    found: 'Gefundene Emojis: {count}',
    suggestions: 'Emoji-Vorschläge',
    suggestionsHint: 'Emoji-Vorschläge: {count}. Pfeil nach oben und unten zum Auswählen, Eingabe oder Tab zum Einfügen, Escape zum Schließen.',
    inserted: '{name} eingefügt',
  },
  'pt-BR': {
    picker: 'Emojis',
    search: 'Pesquisar emoji',
    categories: 'Categorias de emoji',
    category: {
      smileys: 'Carinhas e emoções',
      people: 'Pessoas e gestos',
      animals: 'Animais e natureza',
      food: 'Comida e bebida',
      travel: 'Viagens e lugares',
      activities: 'Atividades',
      objects: 'Objetos',
      symbols: 'Símbolos',
    },
    results: 'Resultados da pesquisa',
    noResults: 'Nenhum emoji encontrado',
    found: 'Emojis encontrados: {count}',
    suggestions: 'Sugestões de emoji',
    suggestionsHint: 'Sugestões de emoji: {count}. Setas para cima e para baixo para escolher, Enter ou Tab para inserir, Esc para fechar.',
    inserted: '{name} inserido',
  },
  ar: {
    picker: 'الرموز التعبيرية',
    search: 'ابحث عن رمز تعبيري',
    categories: 'فئات الرموز التعبيرية',
    category: {
      smileys: 'الوجوه والمشاعر',
      people: 'الأشخاص والإيماءات',
      animals: 'الحيوانات والطبيعة',
      food: 'الطعام والشراب',
      travel: 'السفر والأماكن',
      activities: 'الأنشطة',
      objects: 'الأشياء',
      symbols: 'الرموز',
    },
    results: 'نتائج البحث',
    noResults: 'لم يُعثر على أي رمز تعبيري',
    found: 'الرموز التي عُثر عليها: {count}',
    suggestions: 'اقتراحات الرموز التعبيرية',
    suggestionsHint: 'اقتراحات الرموز التعبيرية: {count}. استخدم السهمين لأعلى ولأسفل للاختيار، وEnter أو Tab للإدراج، وEscape للإغلاق.',
    inserted: 'تم إدراج {name}',
  },
};

/** The texts for a locale tag ("pt-BR", "es-MX" → es), English otherwise. */
export function emojiTexts(locale: string): EmojiTexts {
  return EMOJI_TEXTS[locale] ?? EMOJI_TEXTS[locale.split('-')[0] ?? ''] ?? en;
}
