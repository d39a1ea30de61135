//! Parser for `.terms` files: one lexicon entry per line, grouped under section headers.
//!
//! ```text
//! # A comment. Blank lines are ignored.
//! [trade_verb] lang=zh boundary=jieba     # header: the signal, and defaults for the lines below
//! 收
//! 出售 | boundary=auto                    # per-entry options after `|`
//!
//! [contact_channel] lang=zh
//! 微信
//! 薇 -> 微信                               # alias: matches 薇, reported as 微信
//!
//! [allow]                                 # exceptions: hits overlapping these are dropped
//! u盘
//! mooncake | suppresses=hype_phrase       # anywhere in the post, drops all hype_phrase hits
//!
//! [segment]                               # extra words for the jieba dictionary
//! u盘
//! ```
//!
//! Options: `weight=0.5` (0–10, default 1), `boundary=auto|word|strict|none|jieba`,
//! `lang=zh|en|any`, and for `[allow]` entries `suppresses=sig1,sig2`. A `#` starts a comment at the
//! start of a line or after whitespace; write `\#` for a literal `#` and `\|` for a literal `|`.

use super::{Boundary, Lang};
use crate::error::LexiconError;

/// One parsed line of a `.terms` file, before signal names are resolved.
#[derive(Debug, Clone, PartialEq)]
pub struct RawEntry {
    /// The section (signal name, `allow` or `segment`).
    pub section: String,
    /// The pattern as written, escapes resolved.
    pub pattern: String,
    /// Alias target (`-> name`), if any.
    pub alias_of: Option<String>,
    /// Entry weight.
    pub weight: f32,
    /// Boundary mode.
    pub boundary: Boundary,
    /// Language.
    pub lang: Lang,
    /// For `[allow]` entries: signals suppressed post-wide.
    pub suppresses: Vec<(String, usize)>,
    /// `pinyin=mix`: the builder adds pinyin-mixed spellings (`带dan` for 带单).
    pub pinyin_mix: bool,
    /// 1-based line.
    pub line: usize,
    /// 1-based column of the pattern.
    pub column: usize,
}

#[derive(Debug, Clone)]
struct Defaults {
    section: String,
    weight: f32,
    boundary: Boundary,
    lang: Lang,
    suppresses: Vec<(String, usize)>,
    pinyin_mix: bool,
}

/// Parse one `.terms` file. All errors are collected; entries parsed so far are returned with them.
pub fn parse(file: &str, text: &str) -> (Vec<RawEntry>, Vec<LexiconError>) {
    let mut entries = Vec::new();
    let mut errors = Vec::new();
    let mut defaults: Option<Defaults> = None;
    let text = text.strip_prefix('\u{FEFF}').unwrap_or(text);
    for (i, raw_line) in text.lines().enumerate() {
        let line_no = i + 1;
        let err = |column: usize, message: String| LexiconError {
            file: file.to_string(),
            line: line_no,
            column,
            message,
        };
        let line = strip_comment(raw_line);
        let trimmed = line.trim();
        if trimmed.is_empty() {
            continue;
        }
        let indent = col_of(raw_line, line.len() - line.trim_start().len());
        if trimmed.starts_with('[') {
            match parse_header(trimmed, indent) {
                Ok(d) => defaults = Some(d),
                Err((col, msg)) => {
                    errors.push(err(col, msg));
                    defaults = None;
                }
            }
            continue;
        }
        let Some(d) = &defaults else {
            errors.push(err(
                indent,
                "entry before any [section] header; start the file with e.g. [trade_verb]".into(),
            ));
            continue;
        };
        match parse_entry(line, d, raw_line) {
            Ok(mut e) => {
                e.line = line_no;
                entries.push(e);
            }
            Err((col, msg)) => errors.push(err(col, msg)),
        }
    }
    (entries, errors)
}

/// Cut a trailing comment: `#` at the start or after whitespace, unless escaped as `\#`.
fn strip_comment(line: &str) -> &str {
    let bytes = line.as_bytes();
    for (i, &b) in bytes.iter().enumerate() {
        if b == b'#' && (i == 0 || bytes[i - 1] == b' ' || bytes[i - 1] == b'\t') {
            return &line[..i];
        }
    }
    line
}

/// 1-based character column of byte offset `byte` in `line`.
fn col_of(line: &str, byte: usize) -> usize {
    line.get(..byte).map_or(1, |s| s.chars().count() + 1)
}

fn parse_header(trimmed: &str, indent: usize) -> Result<Defaults, (usize, String)> {
    let Some(close) = trimmed.find(']') else {
        return Err((indent, "section header has no closing ']'".into()));
    };
    let name = trimmed[1..close].trim();
    if !is_signal_name(name) {
        return Err((
            indent + 1,
            format!("section name {name:?} must be a signal name like trade_verb (a-z, 0-9, _)"),
        ));
    }
    let mut d = Defaults {
        section: name.to_string(),
        weight: 1.0,
        boundary: Boundary::Auto,
        lang: Lang::Any,
        suppresses: Vec::new(),
        pinyin_mix: false,
    };
    let rest = &trimmed[close + 1..];
    let rest_col = indent + trimmed[..close + 1].chars().count() - 1;
    apply_options(rest, rest_col, &mut d)?;
    Ok(d)
}

fn parse_entry(line: &str, d: &Defaults, raw_line: &str) -> Result<RawEntry, (usize, String)> {
    let (pattern_part, options_part) = split_unescaped(line, '|');
    let (pattern_raw, alias) = match pattern_part.find("->") {
        Some(p) => (&pattern_part[..p], Some(pattern_part[p + 2..].trim())),
        None => (pattern_part, None),
    };
    let lead = pattern_raw.len() - pattern_raw.trim_start().len();
    let column = col_of(raw_line, lead);
    let pattern = unescape(pattern_raw.trim());
    if pattern.is_empty() {
        return Err((column, "empty pattern".into()));
    }
    if alias.is_some_and(str::is_empty) {
        let arrow = pattern_part.find("->").unwrap_or(0);
        return Err((
            col_of(raw_line, arrow),
            "alias '->' needs a name after it".into(),
        ));
    }
    let mut e = d.clone();
    if let Some(opts) = options_part {
        let opts_col = col_of(raw_line, line.len() - opts.len()) - 1;
        apply_options(opts, opts_col, &mut e)?;
    }
    Ok(RawEntry {
        section: e.section,
        pattern,
        alias_of: alias.map(unescape),
        weight: e.weight,
        boundary: e.boundary,
        lang: e.lang,
        suppresses: e.suppresses,
        pinyin_mix: e.pinyin_mix,
        line: 0,
        column,
    })
}

/// Split at the first unescaped `sep`; the second part excludes the separator.
fn split_unescaped(line: &str, sep: char) -> (&str, Option<&str>) {
    let mut prev = '\0';
    for (i, c) in line.char_indices() {
        if c == sep && prev != '\\' {
            return (&line[..i], Some(&line[i + c.len_utf8()..]));
        }
        prev = c;
    }
    (line, None)
}

fn unescape(s: &str) -> String {
    s.replace("\\#", "#").replace("\\|", "|")
}

/// Apply `key=value` options from `text`, whose first char is at 0-based column `col0`.
fn apply_options(text: &str, col0: usize, d: &mut Defaults) -> Result<(), (usize, String)> {
    let mut offset = 0;
    for word in text.split_whitespace() {
        let at = text[offset..].find(word).map_or(offset, |p| p + offset);
        offset = at + word.len();
        let col = col0 + text[..at].chars().count() + 1;
        let Some((key, value)) = word.split_once('=') else {
            return Err((col, format!("expected key=value, found {word:?}")));
        };
        let value_col = col + key.chars().count() + 1;
        apply_option(key, value, d)
            .map_err(|(on_value, msg)| (if on_value { value_col } else { col }, msg))?;
    }
    Ok(())
}

fn apply_option(key: &str, value: &str, d: &mut Defaults) -> Result<(), (bool, String)> {
    match key {
        "weight" => match value.parse::<f32>() {
            Ok(w) if (0.0..=10.0).contains(&w) => d.weight = w,
            _ => {
                return Err((
                    true,
                    format!("weight must be a number from 0 to 10, found {value:?}"),
                ));
            }
        },
        "boundary" => d.boundary = value.parse().map_err(|m| (true, m))?,
        "lang" => d.lang = value.parse().map_err(|m| (true, m))?,
        "pinyin" => {
            d.pinyin_mix = match value {
                "mix" => true,
                "none" => false,
                _ => return Err((true, format!("pinyin must be mix or none, found {value:?}"))),
            }
        }
        "suppresses" => {
            d.suppresses = value
                .split(',')
                .filter(|s| !s.is_empty())
                .map(|s| (s.to_string(), 0))
                .collect();
            if let Some((bad, _)) = d.suppresses.iter().find(|(s, _)| !is_signal_name(s)) {
                return Err((true, format!("{bad:?} is not a signal name")));
            }
        }
        _ => {
            return Err((
                false,
                format!(
                    "unknown option {key:?} (known: weight, boundary, lang, suppresses, pinyin)"
                ),
            ));
        }
    }
    Ok(())
}

/// Signal and section names: lowercase ASCII letters, digits and `_`, starting with a letter.
pub fn is_signal_name(s: &str) -> bool {
    let mut chars = s.chars();
    chars.next().is_some_and(|c| c.is_ascii_lowercase())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sections_defaults_aliases_and_options() {
        let text = "# header comment\n[trade_verb] lang=zh boundary=jieba\n收\n出售 | boundary=auto weight=0.5  # why\n\n[contact_channel]\n薇 -> 微信\n";
        let (entries, errors) = parse("t.terms", text);
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(entries.len(), 3);
        assert_eq!(
            (
                entries[0].pattern.as_str(),
                entries[0].boundary,
                entries[0].lang
            ),
            ("收", Boundary::Jieba, Lang::Zh)
        );
        assert_eq!(
            (entries[1].boundary, entries[1].weight, entries[1].line),
            (Boundary::Auto, 0.5, 4)
        );
        assert_eq!(entries[2].alias_of.as_deref(), Some("微信"));
        assert_eq!(entries[2].section, "contact_channel");
    }

    #[test]
    fn escapes_keep_literal_hash_and_bar() {
        let (entries, errors) = parse("t.terms", "[x]\n\\#每日一善 | weight=2\na\\|b\n");
        assert!(errors.is_empty(), "{errors:?}");
        assert_eq!(entries[0].pattern, "#每日一善");
        assert_eq!(entries[1].pattern, "a|b");
    }

    #[test]
    fn pinyin_option_per_section_and_entry() {
        let text = "[hype_phrase] lang=zh pinyin=mix\n上车\n稳赚 | pinyin=none\n[x]\n翻倍\nab | pinyin=tones\n";
        let (entries, errors) = parse("p.terms", text);
        let mixes: Vec<bool> = entries.iter().map(|e| e.pinyin_mix).collect();
        assert_eq!(mixes, [true, false, false]);
        assert_eq!(errors.len(), 1);
        assert_eq!((errors[0].line, errors[0].column), (6, 13));
        assert!(errors[0].message.contains("pinyin must be mix or none"));
    }

    #[test]
    fn errors_name_line_and_column() {
        let text = "收\n[trade verb]\n[ok]\nabc | weigth=1\nxyz | weight=eleven\n -> foo\n[bad";
        let (_, errors) = parse("z.terms", text);
        let got: Vec<String> = errors
            .iter()
            .map(|e| format!("{}:{}", e.line, e.column))
            .collect();
        assert_eq!(got, vec!["1:1", "2:2", "4:7", "5:14", "6:2", "7:1"]);
        assert!(errors[2].message.contains("unknown option \"weigth\""));
        assert!(
            errors[3]
                .to_string()
                .starts_with("z.terms:5:14: weight must be")
        );
    }
}
