//! FreeDict dictionaries (dictd format: `.index` plus `.dict` or `.dict.dz`) read at run time
//! into a [`Lexicon`]: they are CC BY-SA or GPL, so they are read from the user's system and
//! never embedded.

use super::lexicon::utf8_or_line_error;
use super::Lexicon;
use crate::{Error, Lang, Result};
use std::io::Read;
use std::path::Path;

/// Which way a FreeDict dictionary translates.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum FreedictDirection {
    /// `eng-xxx`: English headwords, translations in the other language (e.g. `eng-ind`).
    FromEnglish,
    /// `xxx-eng`: headwords in the other language, English translations.
    ToEnglish,
}

impl FreedictDirection {
    /// The direction a FreeDict file name says: `freedict-eng-xxx` translates from English,
    /// `freedict-xxx-eng` (any other name) into it.
    ///
    /// ```
    /// use lintas::FreedictDirection;
    /// assert_eq!(FreedictDirection::from_name("freedict-eng-ind"), FreedictDirection::FromEnglish);
    /// assert_eq!(FreedictDirection::from_name("freedict-fra-eng"), FreedictDirection::ToEnglish);
    /// ```
    pub fn from_name(file_name: &str) -> FreedictDirection {
        if file_name.contains("eng-") {
            FreedictDirection::FromEnglish
        } else {
            FreedictDirection::ToEnglish
        }
    }
}

/// One dictionary [`Lexicon::add_freedict_dir`] loaded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FreedictLoad {
    /// The language it translates to or from English.
    pub lang: Lang,
    /// Its path without extension (`/usr/share/dictd/freedict-fra-eng`).
    pub prefix: std::path::PathBuf,
    /// Words it added (it fills gaps only).
    pub added: usize,
}

/// The language of a FreeDict file name `freedict-xxx-eng` or `freedict-eng-xxx` (ISO 639-3
/// codes), when lintas knows it and the other side is English.
fn freedict_lang(name: &str) -> Option<Lang> {
    let pair = name.strip_prefix("freedict-")?;
    let (a, b) = pair.split_once('-')?;
    let other = match (a, b) {
        ("eng", x) | (x, "eng") if x != "eng" => x,
        _ => return None,
    };
    Lang::from_code(other)
}

impl Lexicon {
    /// Adds every FreeDict dictionary to or from English found in `dir` (Debian installs them
    /// in `/usr/share/dictd`: `freedict-fra-eng.index` with `.dict.dz`, `freedict-eng-rus`, …),
    /// in file-name order, each for the language its name gives. Dictionaries of a language
    /// lintas does not know, or between two other languages, are skipped. Nothing is read
    /// unless asked for: output never depends on what happens to be installed unless the
    /// caller chooses so.
    ///
    /// ```
    /// let mut lex = lintas::Lexicon::builtin();
    /// let loaded = lex.add_freedict_dir("/nonexistent/dictd").unwrap();
    /// assert!(loaded.is_empty());
    /// ```
    ///
    /// # Errors
    /// As [`Lexicon::add_freedict`], for the first dictionary that cannot be read (the ones
    /// before it stay added). A missing directory is no dictionary, not an error.
    pub fn add_freedict_dir(&mut self, dir: impl AsRef<Path>) -> Result<Vec<FreedictLoad>> {
        let dir = dir.as_ref();
        let Ok(entries) = std::fs::read_dir(dir) else {
            return Ok(Vec::new());
        };
        let mut found: Vec<(String, Lang)> = entries
            .flatten()
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let stem = name.strip_suffix(".index")?.to_string();
                let lang = freedict_lang(&stem)?;
                Some((stem, lang))
            })
            .collect();
        found.sort();
        let mut out = Vec::new();
        for (stem, lang) in found {
            let prefix = dir.join(&stem);
            let added = self.add_freedict_prefix(lang, &prefix)?;
            out.push(FreedictLoad {
                lang,
                prefix,
                added,
            });
        }
        Ok(out)
    }

    /// Adds a FreeDict dictionary given by its path without extension, as Debian installs
    /// them: `PREFIX.index` with `PREFIX.dict.dz` (or `PREFIX.dict`), the direction read from
    /// the file name ([`FreedictDirection::from_name`]). See [`Lexicon::add_freedict`].
    ///
    /// # Errors
    /// As [`Lexicon::add_freedict`]: [`Error::Io`] when `PREFIX.index` or the data file cannot
    /// be read.
    pub fn add_freedict_prefix(&mut self, lang: Lang, prefix: impl AsRef<Path>) -> Result<usize> {
        let prefix = prefix.as_ref();
        let with = |ext: &str| {
            let mut s = prefix.as_os_str().to_owned();
            s.push(ext);
            std::path::PathBuf::from(s)
        };
        let dz = with(".dict.dz");
        let dict = if dz.exists() { dz } else { with(".dict") };
        let name = prefix
            .file_name()
            .map(|f| f.to_string_lossy().into_owned())
            .unwrap_or_default();
        self.add_freedict(
            lang,
            FreedictDirection::from_name(&name),
            with(".index"),
            dict,
        )
    }

    /// Adds a FreeDict dictionary in dictd format (`.index` plus `.dict` or `.dict.dz`),
    /// for example Debian's `/usr/share/dictd/freedict-eng-ind.index` and `.dict.dz`.
    /// Entries **fill gaps only**: a word the lexicon already maps keeps its mapping. With
    /// [`FreedictDirection::FromEnglish`], each translation of an English headword maps back to
    /// that headword (the first headword wins: one best concept per word). All or nothing:
    /// on an error the lexicon is unchanged.
    ///
    /// # Errors
    /// [`Error::Io`] for unreadable files, [`Error::Lexicon`] for a malformed index line
    /// (with its line number) or an entry outside the data file.
    pub fn add_freedict(
        &mut self,
        lang: Lang,
        direction: FreedictDirection,
        index_path: impl AsRef<Path>,
        dict_path: impl AsRef<Path>,
    ) -> Result<usize> {
        let (ip, dp) = (index_path.as_ref(), dict_path.as_ref());
        fn io(p: &Path) -> impl Fn(std::io::Error) -> Error + '_ {
            move |e| Error::Io {
                path: p.display().to_string(),
                source: e,
            }
        }
        let index = std::fs::read(ip).map_err(io(ip))?;
        let raw = std::fs::read(dp).map_err(io(dp))?;
        let data = if raw.starts_with(&[0x1f, 0x8b]) {
            let mut out = Vec::new();
            flate2::read::MultiGzDecoder::new(&raw[..])
                .read_to_end(&mut out)
                .map_err(io(dp))?;
            out
        } else {
            raw
        };
        let index = utf8_or_line_error(&index, &ip.display().to_string())?;
        self.add_freedict_parsed(lang, direction, index, &data, &ip.display().to_string())
    }

    fn add_freedict_parsed(
        &mut self,
        lang: Lang,
        direction: FreedictDirection,
        index: &str,
        data: &[u8],
        source: &str,
    ) -> Result<usize> {
        // Every index line is checked before any entry is added (all or nothing).
        let mut entries: Vec<(String, String)> = Vec::new();
        for (i, line) in index.lines().enumerate() {
            let err = |r: &str| Error::Lexicon {
                source_name: source.to_string(),
                line: i + 1,
                reason: r.to_string(),
            };
            if line.is_empty() {
                continue;
            }
            let f: Vec<&str> = line.split('\t').collect();
            if f.len() < 3 {
                return Err(err("expected headword, offset and length"));
            }
            let head = f[0].trim();
            if head.starts_with("00-database") || head.starts_with("00database") || head.is_empty()
            {
                continue;
            }
            let off = dictd_b64(f[1]).ok_or_else(|| err("bad base64 offset"))?;
            let len = dictd_b64(f[2]).ok_or_else(|| err("bad base64 length"))?;
            let end = off
                .checked_add(len)
                .filter(|&e| e <= data.len())
                .ok_or_else(|| err("entry outside the data file"))?;
            let body = String::from_utf8_lossy(&data[off..end]);
            let translations = freedict_translations(&body);
            match direction {
                FreedictDirection::FromEnglish => {
                    if head.contains(' ') || head.chars().any(|c| !c.is_alphabetic() && c != '-') {
                        continue;
                    }
                    let english = head.to_lowercase();
                    entries.extend(translations.into_iter().map(|t| (t, english.clone())));
                }
                FreedictDirection::ToEnglish => {
                    if let Some(t) = translations.into_iter().find(|t| !t.contains(' ')) {
                        entries.push((head.to_string(), t));
                    }
                }
            }
        }
        let n = self.insert_words(
            lang,
            entries.iter().map(|(w, en)| (w.as_str(), en.as_str())),
            false,
        );
        Ok(n)
    }
}

/// dictd's base64 numbers (alphabet `A–Z a–z 0–9 + /`, most significant digit first).
fn dictd_b64(s: &str) -> Option<usize> {
    let s = s.trim();
    if s.is_empty() || s.len() > 10 {
        return None;
    }
    let mut v: usize = 0;
    for b in s.bytes() {
        let d = match b {
            b'A'..=b'Z' => b - b'A',
            b'a'..=b'z' => b - b'a' + 26,
            b'0'..=b'9' => b - b'0' + 52,
            b'+' => 62,
            b'/' => 63,
            _ => return None,
        } as usize;
        v = v.checked_mul(64)?.checked_add(d)?;
    }
    Some(v)
}

/// Translations in a FreeDict entry body. After the headword line, an entry lists either
/// numbered senses (`1. balai, rumah`), each followed by an English gloss line, or for a single
/// sense one translation line followed by its gloss. Only translation lines are read: the
/// numbered ones, or else the first line. They are split on `,` and `;`, with parentheses and
/// notes removed.
fn freedict_translations(body: &str) -> Vec<String> {
    let lines: Vec<&str> = body
        .lines()
        .skip(1)
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect();
    let numbered: Vec<&str> = lines
        .iter()
        .filter_map(|l| {
            let digits = l.chars().take_while(char::is_ascii_digit).count();
            (digits > 0 && l[digits..].starts_with(". ")).then(|| &l[digits + 2..])
        })
        .collect();
    let chosen: Vec<&str> = if numbered.is_empty() {
        lines.into_iter().take(1).collect()
    } else {
        numbered
    };
    let mut out = Vec::new();
    for line in chosen {
        let mut clean = String::with_capacity(line.len());
        let mut depth = 0i32;
        for c in line.chars() {
            match c {
                '(' | '[' | '<' => depth += 1,
                ')' | ']' | '>' => depth -= 1,
                _ if depth <= 0 => clean.push(c),
                _ => {}
            }
        }
        for t in clean.split([',', ';']) {
            let t = t.trim().to_lowercase();
            if !t.is_empty()
                && t.split_whitespace().count() <= 3
                && t.chars().all(|c| c.is_alphabetic() || c == ' ' || c == '-')
            {
                out.push(t);
            }
        }
    }
    out
}

#[cfg(test)]
mod dir_tests {
    use super::*;

    #[test]
    fn file_names_give_the_language_and_only_english_pairs_count() {
        assert_eq!(freedict_lang("freedict-fra-eng"), Some(Lang::French));
        assert_eq!(freedict_lang("freedict-eng-ind"), Some(Lang::Indonesian));
        assert_eq!(freedict_lang("freedict-deu-fra"), None);
        assert_eq!(freedict_lang("freedict-eng-eng"), None);
        assert_eq!(freedict_lang("freedict-eng-xyz"), None);
        assert_eq!(freedict_lang("wordnet"), None);
    }

    #[test]
    fn a_directory_of_dictionaries_loads_each_for_its_language() {
        let dir = std::env::temp_dir().join(format!("lintas-freedict-dir-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // dictd format: `headword<TAB>offset<TAB>length` in base64 digits, the data file.
        let write = |stem: &str, head: &str, body: &str| {
            let b64 = |mut n: usize| {
                const D: &[u8] =
                    b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
                let mut s = Vec::new();
                loop {
                    s.push(D[n % 64]);
                    n /= 64;
                    if n == 0 {
                        break;
                    }
                }
                s.reverse();
                String::from_utf8(s).unwrap()
            };
            std::fs::write(dir.join(format!("{stem}.dict")), body).unwrap();
            std::fs::write(
                dir.join(format!("{stem}.index")),
                format!("{head}\t{}\t{}\n", b64(0), b64(body.len())),
            )
            .unwrap();
        };
        // A word the built-in French dictionary does not hold (it is added, not kept).
        write(
            "freedict-fra-eng",
            "palimpseste",
            "palimpseste\npalimpsest\n",
        );
        write("freedict-deu-fra", "hochwasser", "hochwasser\ninondation\n");
        std::fs::write(dir.join("README"), "not a dictionary").unwrap();
        let mut lex = Lexicon::builtin();
        let loaded = lex.add_freedict_dir(&dir).unwrap();
        assert_eq!(loaded.len(), 1, "{loaded:?}");
        assert_eq!(loaded[0].lang, Lang::French);
        assert_eq!(loaded[0].added, 1);
        assert!(loaded[0].prefix.ends_with("freedict-fra-eng"));
        // A damaged one is an error naming its file.
        std::fs::write(dir.join("freedict-spa-eng.index"), "roto\tnot-base64\n").unwrap();
        std::fs::write(dir.join("freedict-spa-eng.dict"), "x").unwrap();
        let e = Lexicon::builtin()
            .add_freedict_dir(&dir)
            .unwrap_err()
            .to_string();
        assert!(e.contains("freedict-spa-eng"), "{e}");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::concepts::Target;

    #[test]
    fn dictd_base64() {
        assert_eq!(dictd_b64("A"), Some(0));
        assert_eq!(dictd_b64("B"), Some(1));
        assert_eq!(dictd_b64("BA"), Some(64));
        assert_eq!(dictd_b64("/"), Some(63));
        assert_eq!(dictd_b64("!"), None);
        assert_eq!(dictd_b64(""), None);
    }

    fn b64(mut v: usize) -> String {
        const A: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        let mut out = vec![A[v % 64]];
        v /= 64;
        while v > 0 {
            out.push(A[v % 64]);
            v /= 64;
        }
        out.reverse();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn freedict_from_english_fills_gaps_only() {
        // The shape of Debian's freedict-eng-ind: numbered senses with English glosses, or one
        // translation line and a gloss.
        let e1 = "house //haus// <n>\n1. rumah, wisma\narchetypal structure of an abode\n2. wangsa\ndynasty, familiar descent\n";
        let e2 = "cat //kat// <n>\nkucing (animal)\ndomestic feline\n";
        let data = format!("{e1}{e2}");
        let index = format!(
            "house\t{}\t{}\ncat\t{}\t{}\n",
            b64(0),
            b64(e1.len()),
            b64(e1.len()),
            b64(e2.len())
        );
        let mut lex = Lexicon::empty();
        lex.add_tsv(Lang::Indonesian, "wisma\tlodge\n", "t")
            .unwrap();
        let n = lex
            .add_freedict_parsed(
                Lang::Indonesian,
                FreedictDirection::FromEnglish,
                &index,
                data.as_bytes(),
                "idx",
            )
            .unwrap();
        assert_eq!(n, 3, "rumah, wangsa and kucing added, wisma kept");
        // Gloss lines are not translations.
        assert!(lex.word(Lang::Indonesian, "dynasty").is_none());
        assert!(lex.word(Lang::Indonesian, "domestic feline").is_none());
        assert!(lex.word(Lang::Indonesian, "archetypal").is_none());
        assert!(
            matches!(lex.word(Lang::Indonesian, "rumah"), Some(Target::Concepts(c)) if &*c[0] == "hous")
        );
        assert!(
            matches!(lex.word(Lang::Indonesian, "kucing"), Some(Target::Concepts(c)) if &*c[0] == "cat")
        );
        assert!(
            matches!(lex.word(Lang::Indonesian, "wisma"), Some(Target::Concepts(c)) if &*c[0] == "lodg")
        );
        let e = lex
            .add_freedict_parsed(
                Lang::Indonesian,
                FreedictDirection::FromEnglish,
                "x\tA\tzzzz\n",
                data.as_bytes(),
                "idx",
            )
            .unwrap_err();
        assert!(matches!(e, Error::Lexicon { line: 1, .. }));
    }

    #[test]
    fn a_dictionary_opens_by_its_prefix() {
        let dir = std::env::temp_dir().join(format!("lintas-freedict-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let entry = "cat //kat// <n>\nkucing (animal)\ndomestic feline\n";
        let prefix = dir.join("freedict-eng-ind");
        std::fs::write(dir.join("freedict-eng-ind.dict"), entry).unwrap();
        std::fs::write(
            dir.join("freedict-eng-ind.index"),
            format!("cat\t{}\t{}\n", b64(0), b64(entry.len())),
        )
        .unwrap();
        let mut lex = Lexicon::empty();
        assert_eq!(
            lex.add_freedict_prefix(Lang::Indonesian, &prefix).unwrap(),
            1
        );
        assert!(
            matches!(lex.word(Lang::Indonesian, "kucing"), Some(Target::Concepts(c)) if &*c[0] == "cat")
        );
        let missing = lex.add_freedict_prefix(Lang::Indonesian, dir.join("freedict-xxx-eng"));
        assert!(matches!(missing, Err(Error::Io { .. })));
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
