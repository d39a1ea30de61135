//! Lexicons: the term lists and rules a maintainer edits, loaded and checked.
//!
//! A lexicon directory holds `.terms` files (one entry per line, see [`terms`]) anywhere below it,
//! and one `rules.toml` at its root (see [`rules_file`]). The shipped lexicons (`lexicons/` in the
//! source tree) are compiled into the binary; [`Lexicon::from_dir`] loads a replacement.
//!
//! Loading never panics: every problem is reported as a [`LexiconError`] naming
//! `file:line:column`, and all problems are reported at once.
//!
//! ```
//! use coinsieve::lexicon::Lexicon;
//!
//! let lexicon = Lexicon::shipped()?;
//! assert!(lexicon.signals().id("trade_verb").is_some());
//! assert!(lexicon.entries().iter().any(|e| e.pattern == "收u"));
//! # Ok::<(), coinsieve::Error>(())
//! ```

pub mod pinyin;
pub mod rules_file;
pub mod terms;
pub mod walk;

use crate::error::{Error, LexiconError};
use crate::normalize::{
    BREAK_CHAR, NormChar, PatternKey, normalize_pattern, normalize_pattern_with, unicode,
};
use crate::rules::RuleSet;
use std::path::{Path, PathBuf};

/// Index of a signal in [`Signals`]. At most [`MAX_SIGNALS`] signals exist, so sets of signals fit
/// in a `u128` bit mask.
pub type SignalId = u16;

/// The most distinct signals a lexicon may define (terms sections + detectors + phrases).
pub const MAX_SIGNALS: usize = 128;
/// The most entries a lexicon may hold, so an untrusted lexicon cannot exhaust memory.
pub const MAX_ENTRIES: usize = 2_000_000;
/// The longest pattern, in characters.
pub const MAX_PATTERN_CHARS: usize = 200;
/// The most bytes of lexicon source (all files together), checked before parsing.
pub const MAX_LEXICON_BYTES: usize = 64 << 20;
/// The most bytes of patterns (all entries together), so the automaton stays buildable.
pub const MAX_PATTERN_BYTES: usize = 16 << 20;
/// How deep `from_dir` descends into subdirectories (a symlink loop must not recurse forever).
pub use walk::MAX_WALK_DEPTH as MAX_DIR_DEPTH;

/// Signal set by the filter when a term hit sits inside quotation marks (a mention, not a use).
pub const QUOTED_SIGNAL: &str = "quoted";
/// Signal set by the filter when the post contains a question mark.
pub const QUESTION_MARK_SIGNAL: &str = "question_mark";

/// Signal names produced by the structured detectors (see [`crate::detect`]).
pub const DETECTOR_SIGNALS: [&str; 19] = [
    "contact_handle",
    "phone",
    "email",
    "wallet",
    "rate",
    "amount",
    "multiplier",
    "percent_gain",
    "countdown",
    "yield_promise",
    "cashtag",
    "link",
    "id_token",
    "income_claim",
    "coin_reveal",
    "trade_setup",
    "promo_code",
    "named_person",
    "doubling",
];

/// How the edges of a match are checked, so a term does not fire inside an unrelated word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Boundary {
    /// Latin edges must be word edges (allowing English inflections: pump → pumps, pumped);
    /// CJK edges are not checked. The default.
    Auto,
    /// Same as `Auto`; spelled out for English lists.
    Word,
    /// Latin edges must be word edges, no inflection suffix.
    Strict,
    /// No checks: substring match.
    None,
    /// Like `Auto`, and CJK edges must fall on jieba word boundaries (币 not inside 人民币).
    Jieba,
    /// Only a quote currency ending a trading-pair symbol written in capitals, as signal
    /// channels write pairs (`ADAUSDT`, `XYZBTC`): glued on the left to a base of 2–10 letters,
    /// a word edge on the right, no inflection. A standalone `USDT` is the `[asset]` entry's;
    /// `#savebtc` and `Kenneth` are no pairs.
    Pair,
}

impl std::str::FromStr for Boundary {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "auto" => Boundary::Auto,
            "word" => Boundary::Word,
            "strict" => Boundary::Strict,
            "none" => Boundary::None,
            "jieba" => Boundary::Jieba,
            "pair" => Boundary::Pair,
            _ => {
                return Err(format!(
                    "boundary must be auto, word, strict, none, jieba or pair, found {s:?}"
                ));
            }
        })
    }
}

/// The language an entry is written for: reported in explanations and used by `lint`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Lang {
    /// Chinese.
    Zh,
    /// English.
    En,
    /// Any language (brand names, tickers, mixed).
    Any,
}

impl std::str::FromStr for Lang {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Ok(match s {
            "zh" => Lang::Zh,
            "en" => Lang::En,
            "any" => Lang::Any,
            _ => return Err(format!("lang must be zh, en or any, found {s:?}")),
        })
    }
}

/// What an entry does when it matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntryKind {
    /// Evidence for a signal.
    Term,
    /// An exception: drops term hits that overlap it (`收u` inside `收u盘`).
    Allow,
    /// An exception that, anywhere in the post, drops every hit of the listed signals.
    AllowPost(Vec<SignalId>),
}

/// Where an entry was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Origin {
    /// Lexicon file, relative to the lexicon directory.
    pub file: String,
    /// 1-based line.
    pub line: usize,
    /// 1-based column of the pattern.
    pub column: usize,
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}:{}", self.file, self.line, self.column)
    }
}

/// One lexicon entry, compiled.
#[derive(Debug, Clone)]
pub struct Entry {
    /// The pattern as written.
    pub pattern: String,
    /// The name hits report: the alias target, or the pattern itself.
    pub name: String,
    /// The signal it feeds (for exceptions: the signal named `allow`).
    pub signal: SignalId,
    /// Weight (0–10), multiplies the score of rules it satisfies.
    pub weight: f32,
    /// Boundary checks.
    pub boundary: Boundary,
    /// Language.
    pub lang: Lang,
    /// Term or exception.
    pub kind: EntryKind,
    /// The normalized key the automaton looks for.
    pub key: PatternKey,
    /// Where it was written.
    pub origin: Origin,
    /// A pictograph term (`✈`): matched by scanning the folded text, not by the automaton.
    pub pictograph: bool,
    /// A pinyin-mixed spelling the builder generated from a Chinese term (`带dan` from 带单,
    /// see [`pinyin`]); it reports the written term's name and counts as a disguise.
    pub pinyin_mix: bool,
}

/// The registry of signal names.
#[derive(Debug, Clone, Default)]
pub struct Signals {
    names: Vec<String>,
}

impl Signals {
    /// The id of `name`, if it is defined.
    pub fn id(&self, name: &str) -> Option<SignalId> {
        self.names
            .iter()
            .position(|n| n == name)
            .map(|i| i as SignalId)
    }

    /// The name of signal `id` (empty if out of range).
    pub fn name(&self, id: SignalId) -> &str {
        self.names.get(id as usize).map_or("", String::as_str)
    }

    /// All names, indexed by id.
    pub fn names(&self) -> &[String] {
        &self.names
    }

    /// The id of `name`, defining it if new. Errors past [`MAX_SIGNALS`].
    pub fn intern(&mut self, name: &str) -> Result<SignalId, String> {
        if let Some(id) = self.id(name) {
            return Ok(id);
        }
        if self.names.len() >= MAX_SIGNALS {
            return Err(format!("too many signals (at most {MAX_SIGNALS})"));
        }
        self.names.push(name.to_string());
        Ok((self.names.len() - 1) as SignalId)
    }
}

/// A loaded, checked lexicon: entries, signals and rules. Build a [`crate::Filter`] from it.
#[derive(Debug, Clone)]
pub struct Lexicon {
    entries: Vec<Entry>,
    segment_words: Vec<String>,
    symbols: Vec<char>,
    signals: Signals,
    rules: RuleSet,
    files: Vec<String>,
}

/// The files of the shipped lexicon, embedded at build time: `(path relative to lexicons/, text)`.
pub static SHIPPED: &[(&str, &str)] = include!(concat!(env!("OUT_DIR"), "/shipped_lexicons.rs"));

pub use walk::RULES_FILE;

impl Lexicon {
    /// The lexicons compiled into the crate.
    pub fn shipped() -> Result<Lexicon, Error> {
        Lexicon::from_sources(
            SHIPPED
                .iter()
                .map(|(name, text)| (name.to_string(), text.to_string())),
        )
    }

    /// Load every `.terms` file below `dir` and its `rules.toml`.
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Lexicon, Error> {
        let dir = dir.as_ref();
        let mut files = Vec::new();
        collect_files(dir, dir, 0, &mut files)?;
        files.sort();
        let mut sources = Vec::new();
        let mut total: u64 = 0;
        for (rel, path) in files {
            // Check sizes before reading, so a huge file is refused without loading it.
            total += std::fs::metadata(&path).map_or(0, |m| m.len());
            if total > MAX_LEXICON_BYTES as u64 {
                return Err(Error::TooLarge(format!(
                    "lexicon files in {} exceed {MAX_LEXICON_BYTES} bytes",
                    dir.display()
                )));
            }
            let text = std::fs::read_to_string(&path).map_err(|source| Error::Io {
                path: path.clone(),
                source,
            })?;
            sources.push((rel, text));
        }
        if !sources.iter().any(|(rel, _)| rel == RULES_FILE) {
            return Err(Error::Io {
                path: dir.join(RULES_FILE),
                source: std::io::Error::new(
                    std::io::ErrorKind::NotFound,
                    "a lexicon directory needs a rules.toml",
                ),
            });
        }
        Lexicon::from_sources(sources)
    }

    /// Build from in-memory files: `(name, text)` pairs, `.terms` files and one `rules.toml`.
    /// Names are used in error messages.
    pub fn from_sources(
        sources: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Lexicon, Error> {
        let mut errors = Vec::new();
        let mut raw = Vec::new();
        let mut rules_src = None;
        let mut files = Vec::new();
        let mut total = 0usize;
        for (name, text) in sources {
            total = total.saturating_add(text.len());
            if total > MAX_LEXICON_BYTES {
                return Err(Error::TooLarge(format!(
                    "lexicon sources exceed {MAX_LEXICON_BYTES} bytes (at {name})"
                )));
            }
            files.push(name.clone());
            if name.ends_with(RULES_FILE) {
                rules_src = Some((name, text));
            } else if name.ends_with(".terms") {
                let (entries, errs) = terms::parse(&name, &text);
                raw.extend(entries.into_iter().map(|e| (name.clone(), e)));
                errors.extend(errs);
            }
        }
        let generated: usize = (raw.iter())
            .filter(|(_, e)| e.pinyin_mix)
            .map(|(_, e)| pinyin::variant_count(&e.pattern))
            .sum();
        if raw.len() + generated > MAX_ENTRIES {
            return Err(Error::TooLarge(format!(
                "{} entries, {generated} of them pinyin=mix spellings (at most {MAX_ENTRIES})",
                raw.len() + generated
            )));
        }
        let pattern_bytes: usize = raw.iter().map(|(_, e)| e.pattern.len()).sum();
        if pattern_bytes > MAX_PATTERN_BYTES {
            return Err(Error::TooLarge(format!(
                "{pattern_bytes} bytes of patterns (at most {MAX_PATTERN_BYTES})"
            )));
        }
        let mut signals = Signals::default();
        let mut segment_words = Vec::new();
        let symbols = pictographs(&raw);
        let entries = compile_entries(raw, &symbols, &mut signals, &mut segment_words, &mut errors);
        for d in DETECTOR_SIGNALS
            .iter()
            .chain([&QUOTED_SIGNAL, &QUESTION_MARK_SIGNAL])
        {
            if let Err(m) = signals.intern(d) {
                errors.push(LexiconError {
                    file: "(detectors)".into(),
                    line: 1,
                    column: 1,
                    message: m,
                });
            }
        }
        let rules = match rules_src {
            Some((name, text)) => rules_file::parse(&name, &text, &mut signals, &mut errors),
            None => {
                errors.push(LexiconError {
                    file: RULES_FILE.into(),
                    line: 1,
                    column: 1,
                    message: "missing rules.toml".into(),
                });
                RuleSet::default()
            }
        };
        if !errors.is_empty() {
            return Err(Error::Lexicon(errors));
        }
        Ok(Lexicon {
            entries,
            segment_words,
            symbols,
            signals,
            rules,
            files,
        })
    }

    /// All entries, terms and exceptions, in file order.
    pub fn entries(&self) -> &[Entry] {
        &self.entries
    }

    /// Words added to the jieba dictionary (`[segment]` sections), folded.
    pub fn segment_words(&self) -> &[String] {
        &self.segment_words
    }

    /// Symbols that are terms in their own right (pictographs such as ✈ for Telegram), sorted.
    /// The filter finds them by scanning the folded text; everywhere else they are separators.
    pub fn symbols(&self) -> &[char] {
        &self.symbols
    }

    /// The signal registry.
    pub fn signals(&self) -> &Signals {
        &self.signals
    }

    /// The compiled rules.
    pub fn rules(&self) -> &RuleSet {
        &self.rules
    }

    /// The files the lexicon was loaded from.
    pub fn files(&self) -> &[String] {
        &self.files
    }
}

pub(crate) fn collect_files(
    root: &Path,
    dir: &Path,
    depth: usize,
    out: &mut Vec<(String, PathBuf)>,
) -> Result<(), Error> {
    walk::lexicon_files(root, dir, depth, out).map_err(|(path, source)| Error::Io { path, source })
}

/// Pictographs that are terms on their own (`✈ -> telegram`). They are found by a separate scan
/// of the folded text, so they never interrupt the key view that other patterns match across.
fn pictographs(raw: &[(String, terms::RawEntry)]) -> Vec<char> {
    let mut symbols = Vec::new();
    let mut folded: Vec<NormChar> = Vec::new();
    for (_, r) in raw {
        if r.section == "segment" || !is_symbol_only(&r.pattern, &mut folded) {
            continue;
        }
        symbols.extend(folded.iter().map(|c| c.ch).filter(|&c| is_pictograph(c)));
    }
    symbols.sort_unstable();
    symbols.dedup();
    symbols
}

/// True if `pattern` folds to pictographs only (`folded` receives its folded chars).
fn is_symbol_only(pattern: &str, folded: &mut Vec<NormChar>) -> bool {
    folded.clear();
    unicode::fold(pattern, folded);
    !folded.is_empty()
        && folded
            .iter()
            .all(|c| c.ch.is_whitespace() || is_pictograph(c.ch))
}

/// Pictographs that may stand for a word: emoji, dingbats and other symbols outside ASCII and
/// outside the punctuation blocks, so ordinary separators (`*`, `.`, `、`) are never kept.
pub fn is_pictograph(c: char) -> bool {
    !c.is_alphanumeric()
        && !c.is_ascii()
        && !c.is_whitespace()
        && !matches!(c, '\u{2000}'..='\u{206F}' | '\u{3000}'..='\u{303F}' | '\u{FF00}'..='\u{FFEF}' | '\u{FE30}'..='\u{FE4F}')
}

fn compile_entries(
    raw: Vec<(String, terms::RawEntry)>,
    symbols: &[char],
    signals: &mut Signals,
    segment_words: &mut Vec<String>,
    errors: &mut Vec<LexiconError>,
) -> Vec<Entry> {
    let mut entries = Vec::with_capacity(raw.len());
    for (file, r) in raw {
        let origin = Origin {
            file: file.clone(),
            line: r.line,
            column: r.column,
        };
        let err = |message: String| LexiconError {
            file: file.clone(),
            line: r.line,
            column: r.column,
            message,
        };
        if r.pattern.chars().count() > MAX_PATTERN_CHARS {
            errors.push(err(format!(
                "pattern longer than {MAX_PATTERN_CHARS} characters"
            )));
            continue;
        }
        if r.section == "segment" {
            segment_words.push(crate::normalize::squash_spaces(
                &normalize_pattern(&r.pattern).folded,
            ));
            continue;
        }
        let pictograph = is_symbol_only(&r.pattern, &mut Vec::new());
        let key = if pictograph {
            normalize_pattern_with(&r.pattern, symbols)
        } else {
            normalize_pattern(&r.pattern)
        };
        if key.key.is_empty() {
            errors.push(err(format!(
                "pattern {:?} has no letters or digits left after normalization",
                r.pattern
            )));
            continue;
        }
        if key.key.contains(BREAK_CHAR) {
            errors.push(err(format!(
                "pattern {:?} contains a sentence break; split it into two entries",
                r.pattern
            )));
            continue;
        }
        let signal = match signals.intern(&r.section) {
            Ok(id) => id,
            Err(m) => {
                errors.push(err(m));
                continue;
            }
        };
        let kind = match entry_kind(&r, signals) {
            Ok(k) => k,
            Err(m) => {
                errors.push(err(m));
                continue;
            }
        };
        let name = r.alias_of.clone().unwrap_or_else(|| r.pattern.clone());
        entries.push(Entry {
            pattern: r.pattern,
            name,
            signal,
            weight: r.weight,
            boundary: r.boundary,
            lang: r.lang,
            kind,
            key,
            origin,
            pictograph,
            pinyin_mix: false,
        });
        if r.pinyin_mix {
            add_pinyin_mixes(&mut entries);
        }
    }
    entries
}

/// After a Chinese term of 2–3 characters (not an exception) from a `pinyin=mix` section, its
/// pinyin-mixed spellings.
fn add_pinyin_mixes(entries: &mut Vec<Entry>) {
    let Some(term) = entries.last() else {
        return;
    };
    if term.kind != EntryKind::Term || term.pictograph {
        return;
    }
    let mixes = pinyin::mixed_variants(&term.pattern);
    let term = term.clone();
    for pattern in mixes {
        let key = normalize_pattern(&pattern);
        entries.push(Entry {
            pattern,
            key,
            pinyin_mix: true,
            ..term.clone()
        });
    }
}

fn entry_kind(r: &terms::RawEntry, signals: &mut Signals) -> Result<EntryKind, String> {
    if r.section != "allow" {
        if !r.suppresses.is_empty() {
            return Err("suppresses= only applies to [allow] entries".into());
        }
        return Ok(EntryKind::Term);
    }
    if r.suppresses.is_empty() {
        return Ok(EntryKind::Allow);
    }
    let ids = r
        .suppresses
        .iter()
        .map(|(s, _)| signals.intern(s))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(EntryKind::AllowPost(ids))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sources(terms: &str, rules: &str) -> Vec<(String, String)> {
        vec![
            ("a.terms".into(), terms.into()),
            (RULES_FILE.into(), rules.into()),
        ]
    }

    const RULES: &str = "[labels]\nreview = 0.5\nblock = 1.0\n[[rule]]\nname = \"r\"\ncategory = \"otc_offer\"\nscore = 1.0\nall = [\"trade_verb\"]\n";

    #[test]
    fn loads_entries_aliases_and_exceptions() {
        let lex = Lexicon::from_sources(sources("[trade_verb]\n收\n[contact_channel]\n薇 -> 微信\n[allow]\nu盘\nmooncake | suppresses=hype\n[segment]\nU盘\n", RULES)).expect("loads");
        let names: Vec<&str> = lex.entries().iter().map(|e| e.name.as_str()).collect();
        assert_eq!(names, vec!["收", "微信", "u盘", "mooncake"]);
        assert_eq!(
            lex.entries()[3].kind,
            EntryKind::AllowPost(vec![lex.signals().id("hype").expect("interned")])
        );
        assert_eq!(lex.segment_words(), ["u盘"]);
        assert!(lex.signals().id("contact_handle").is_some());
    }

    #[test]
    fn symbol_only_patterns_become_kept_symbols() {
        let lex = Lexicon::from_sources(sources(
            "[trade_verb]\n收\n[contact_channel]\n✈️ -> telegram\nvx\n",
            RULES,
        ))
        .expect("loads");
        assert_eq!(lex.symbols(), ['✈']);
        assert_eq!(lex.entries()[1].key.key, "✈");
    }

    #[test]
    fn bad_patterns_are_located() {
        let err = Lexicon::from_sources(sources(
            "[x]\nok\n  ***\n[allow]\nfoo | suppresses=Bad\n",
            RULES,
        ))
        .expect_err("fails");
        let text = err.to_string();
        assert!(
            text.contains("a.terms:3:3: pattern \"***\" has no letters"),
            "{text}"
        );
        assert!(
            text.contains("a.terms:5:18: \"Bad\" is not a signal name"),
            "{text}"
        );
    }

    #[test]
    fn missing_rules_file_is_an_error() {
        let err = Lexicon::from_sources(vec![("a.terms".to_string(), "[x]\na\n".to_string())])
            .expect_err("fails");
        assert!(err.to_string().contains("missing rules.toml"));
    }
}
