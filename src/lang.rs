//! Languages: lintas's own [`Lang`] type. whatlang and rust-stemmers types never leave their
//! wrapper modules.

macro_rules! languages {
    ($( $variant:ident, $wl:ident, $iso1:literal, $iso3:literal, $name:literal; )*) => {
        /// A language lintas can detect (every language whatlang 0.18 knows).
        ///
        /// English and Indonesian have full cross-language analysis (lexicon, morphology).
        /// Every other language is analysed language-locally: anchors always, plus stems
        /// where rust-stemmers has the language, or character bigrams for scripts written
        /// without spaces. **Malay is not a separate language here**: whatlang has no Malay
        /// model and reads Malay as Indonesian.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        #[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
        #[non_exhaustive]
        pub enum Lang {
            $( #[doc = $name] $variant, )*
        }

        impl Lang {
            /// Every language, in a fixed order.
            pub const ALL: &'static [Lang] = &[ $( Lang::$variant, )* ];

            /// The ISO 639-1 code where one exists (`"en"`, `"id"`), else ISO 639-3.
            ///
            /// ```
            /// assert_eq!(lintas::Lang::Indonesian.code(), "id");
            /// ```
            pub const fn code(self) -> &'static str {
                match self { $( Lang::$variant => $iso1, )* }
            }

            /// The ISO 639-3 code (`"eng"`, `"ind"`).
            pub const fn iso639_3(self) -> &'static str {
                match self { $( Lang::$variant => $iso3, )* }
            }

            /// The English name of the language.
            pub const fn name(self) -> &'static str {
                match self { $( Lang::$variant => $name, )* }
            }

            /// Parses an ISO 639-1 or 639-3 code, case-insensitively. Malay (`ms`, `msa`,
            /// `zsm`) parses as [`Lang::Indonesian`], the way detection reads it.
            ///
            /// ```
            /// use lintas::Lang;
            /// assert_eq!(Lang::from_code("EN"), Some(Lang::English));
            /// assert_eq!(Lang::from_code("ind"), Some(Lang::Indonesian));
            /// assert_eq!(Lang::from_code("xx"), None);
            /// ```
            pub fn from_code(code: &str) -> Option<Lang> {
                let c = code.trim().to_ascii_lowercase();
                match c.as_str() {
                    "ms" | "msa" | "zsm" | "may" => return Some(Lang::Indonesian),
                    "zh" | "zho" | "chi" => return Some(Lang::Mandarin),
                    "fa" | "fas" | "per" => return Some(Lang::Persian),
                    "no" | "nor" => return Some(Lang::Norwegian),
                    _ => {}
                }
                Lang::ALL.iter().copied().find(|l| l.code() == c || l.iso639_3() == c)
            }

            pub(crate) fn from_whatlang(l: whatlang::Lang) -> Lang {
                match l { $( whatlang::Lang::$wl => Lang::$variant, )* }
            }

            #[cfg(test)]
            pub(crate) fn to_whatlang(self) -> whatlang::Lang {
                match self { $( Lang::$variant => whatlang::Lang::$wl, )* }
            }
        }
    };
}

languages! {
    English, Eng, "en", "eng", "English";
    Indonesian, Ind, "id", "ind", "Indonesian (and Malay, which is read as Indonesian)";
    Esperanto, Epo, "eo", "epo", "Esperanto";
    Russian, Rus, "ru", "rus", "Russian";
    Mandarin, Cmn, "zh", "cmn", "Mandarin Chinese";
    Spanish, Spa, "es", "spa", "Spanish";
    Portuguese, Por, "pt", "por", "Portuguese";
    Italian, Ita, "it", "ita", "Italian";
    Bengali, Ben, "bn", "ben", "Bengali";
    French, Fra, "fr", "fra", "French";
    German, Deu, "de", "deu", "German";
    Ukrainian, Ukr, "uk", "ukr", "Ukrainian";
    Georgian, Kat, "ka", "kat", "Georgian";
    Arabic, Ara, "ar", "ara", "Arabic";
    Hindi, Hin, "hi", "hin", "Hindi";
    Japanese, Jpn, "ja", "jpn", "Japanese";
    Hebrew, Heb, "he", "heb", "Hebrew";
    Yiddish, Yid, "yi", "yid", "Yiddish";
    Polish, Pol, "pl", "pol", "Polish";
    Amharic, Amh, "am", "amh", "Amharic";
    Javanese, Jav, "jv", "jav", "Javanese";
    Korean, Kor, "ko", "kor", "Korean";
    Norwegian, Nob, "nb", "nob", "Norwegian Bokmål";
    Danish, Dan, "da", "dan", "Danish";
    Swedish, Swe, "sv", "swe", "Swedish";
    Finnish, Fin, "fi", "fin", "Finnish";
    Turkish, Tur, "tr", "tur", "Turkish";
    Dutch, Nld, "nl", "nld", "Dutch";
    Hungarian, Hun, "hu", "hun", "Hungarian";
    Czech, Ces, "cs", "ces", "Czech";
    Greek, Ell, "el", "ell", "Greek";
    Bulgarian, Bul, "bg", "bul", "Bulgarian";
    Belarusian, Bel, "be", "bel", "Belarusian";
    Marathi, Mar, "mr", "mar", "Marathi";
    Kannada, Kan, "kn", "kan", "Kannada";
    Romanian, Ron, "ro", "ron", "Romanian";
    Slovene, Slv, "sl", "slv", "Slovene";
    Croatian, Hrv, "hr", "hrv", "Croatian";
    Serbian, Srp, "sr", "srp", "Serbian";
    Macedonian, Mkd, "mk", "mkd", "Macedonian";
    Lithuanian, Lit, "lt", "lit", "Lithuanian";
    Latvian, Lav, "lv", "lav", "Latvian";
    Estonian, Est, "et", "est", "Estonian";
    Tamil, Tam, "ta", "tam", "Tamil";
    Vietnamese, Vie, "vi", "vie", "Vietnamese";
    Urdu, Urd, "ur", "urd", "Urdu";
    Thai, Tha, "th", "tha", "Thai";
    Gujarati, Guj, "gu", "guj", "Gujarati";
    Uzbek, Uzb, "uz", "uzb", "Uzbek";
    Punjabi, Pan, "pa", "pan", "Punjabi";
    Azerbaijani, Aze, "az", "aze", "Azerbaijani";
    Telugu, Tel, "te", "tel", "Telugu";
    Persian, Pes, "fa", "pes", "Persian";
    Malayalam, Mal, "ml", "mal", "Malayalam";
    Oriya, Ori, "or", "ori", "Oriya";
    Burmese, Mya, "my", "mya", "Burmese";
    Nepali, Nep, "ne", "nep", "Nepali";
    Sinhalese, Sin, "si", "sin", "Sinhalese";
    Khmer, Khm, "km", "khm", "Khmer";
    Turkmen, Tuk, "tk", "tuk", "Turkmen";
    Akan, Aka, "ak", "aka", "Akan";
    Zulu, Zul, "zu", "zul", "Zulu";
    Shona, Sna, "sn", "sna", "Shona";
    Afrikaans, Afr, "af", "afr", "Afrikaans";
    Latin, Lat, "la", "lat", "Latin";
    Slovak, Slk, "sk", "slk", "Slovak";
    Catalan, Cat, "ca", "cat", "Catalan";
    Tagalog, Tgl, "tl", "tgl", "Tagalog";
    Armenian, Hye, "hy", "hye", "Armenian";
    Welsh, Cym, "cy", "cym", "Welsh";
}

impl Lang {
    /// Whether lintas has cross-language analysis (lexicon and morphology) for this language:
    /// English (the concept space) and the languages with a built-in lexicon into it.
    ///
    /// ```
    /// use lintas::Lang;
    /// assert!(Lang::Indonesian.has_lexicon());
    /// assert!(!Lang::French.has_lexicon());
    /// ```
    pub fn has_lexicon(self) -> bool {
        crate::analysis::profile::profile(self).concepts
            != crate::analysis::profile::Concepts::Local
    }

    /// Whether lintas has a built-in dictionary into English for this language (French,
    /// Spanish, Portuguese, Russian, Chinese, Arabic, Persian, Urdu, Hindi, Bengali, Tagalog,
    /// and Swahili, which the detector reads as Shona: `data/lexicon/<lang>-en/`). Its words
    /// reach English concepts through it as through a dictionary loaded at run time, and a
    /// word it does not know stays a language-local feature. Unlike a runtime dictionary's,
    /// its cross-language pairs with English, the languages with a built-in lexicon and each
    /// other keep the cross-language threshold ([`crate::CorpusBuilder::cross_threshold`]).
    ///
    /// ```
    /// use lintas::Lang;
    /// assert!(Lang::French.has_builtin_dictionary());
    /// assert!(Lang::Russian.has_builtin_dictionary() && Lang::Mandarin.has_builtin_dictionary());
    /// assert!(Lang::Arabic.has_builtin_dictionary() && Lang::Shona.has_builtin_dictionary());
    /// assert!(!Lang::Indonesian.has_builtin_dictionary() && !Lang::German.has_builtin_dictionary());
    /// ```
    pub fn has_builtin_dictionary(self) -> bool {
        let p = crate::analysis::profile::profile(self);
        p.concepts == crate::analysis::profile::Concepts::Local && !p.lexicon.is_empty()
    }

    /// English, a language with a built-in lexicon ([`Lang::has_lexicon`]) or with a
    /// built-in dictionary ([`Lang::has_builtin_dictionary`]): its words reach English
    /// concepts through data compiled into lintas, whatever is loaded at run time.
    pub(crate) fn builtin_mapped(self) -> bool {
        self == Lang::English || self.has_lexicon() || self.has_builtin_dictionary()
    }
}

impl std::fmt::Display for Lang {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.code())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_language_round_trips_through_whatlang_and_codes() {
        assert_eq!(Lang::ALL.len(), whatlang::Lang::all().len());
        for &l in Lang::ALL {
            assert_eq!(Lang::from_whatlang(l.to_whatlang()), l);
            assert_eq!(Lang::from_code(l.iso639_3()), Some(l));
        }
        for &w in whatlang::Lang::all() {
            assert_eq!(Lang::from_whatlang(w).iso639_3(), w.code());
        }
    }

    #[test]
    fn malay_reads_as_indonesian() {
        assert_eq!(Lang::from_code("ms"), Some(Lang::Indonesian));
    }
}
