import { languageTagSchema } from '@reelroom/contracts';

/** ISO 639-2 codes containers write for common languages -> the shorter BCP 47 form players show best. */
const ISO639_2_TO_1: Record<string, string> = {
  eng: 'en',
  fre: 'fr',
  fra: 'fr',
  ger: 'de',
  deu: 'de',
  spa: 'es',
  ita: 'it',
  por: 'pt',
  dut: 'nl',
  nld: 'nl',
  rus: 'ru',
  jpn: 'ja',
  chi: 'zh',
  zho: 'zh',
  kor: 'ko',
  ara: 'ar',
  pol: 'pl',
  swe: 'sv',
  nor: 'no',
  dan: 'da',
  fin: 'fi',
  tur: 'tr',
  gre: 'el',
  ell: 'el',
  heb: 'he',
  hin: 'hi',
  cze: 'cs',
  ces: 'cs',
  hun: 'hu',
  rum: 'ro',
  ron: 'ro',
  ukr: 'uk',
  vie: 'vi',
  tha: 'th',
  ind: 'id',
};

/** A container language tag (subtitle or audio) as BCP 47: "eng" -> "en", "fra" -> "fr"; unusable -> "und". */
export function trackLanguage(containerTag: string | undefined): string {
  const raw = (containerTag ?? '').trim().toLowerCase();
  const tag = ISO639_2_TO_1[raw] ?? raw;
  return tag && tag !== 'und' && languageTagSchema.safeParse(tag).success ? tag : 'und';
}
