//! Evidence found in one post, and turning it into the public [`Verdict`].

use crate::detect::{Detection, Detector};
use crate::lexicon::{Entry, Lexicon, SignalId};
use crate::matcher::Candidate;
use crate::normalize::{NormChar, Normalized, chinese::is_cjk};
use crate::rules::{Evidence, Outcome, PhraseMatch};
use crate::verdict::{Hit, MatchHow, Verdict};

/// Evidence sources for detectors and quote marks (entries use their own index).
const DETECTOR_SOURCE: u32 = 1 << 29;
const QUOTED_SOURCE: u32 = 1 << 28;

/// Where a piece of evidence came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Source {
    Entry(u32),
    Detector(Detector),
    Phrase(usize),
    Quoted,
    QuestionMark,
}

/// One piece of evidence with its positions in the folded view and the original text.
#[derive(Debug, Clone, Copy)]
pub(super) struct Found {
    pub signal: SignalId,
    pub weight: f32,
    /// Folded char span.
    pub fstart: usize,
    pub fend: usize,
    /// Original byte span.
    pub src: (usize, usize),
    pub source: Source,
    pub how: MatchHow,
    /// The author hid this term: see [`is_evasive`].
    pub evasive: bool,
}

impl Found {
    pub fn evidence(&self) -> Evidence {
        let source = match self.source {
            Source::Entry(i) => i,
            Source::Detector(d) => DETECTOR_SOURCE + d as u32,
            Source::Phrase(p) => crate::rules::PHRASE_SOURCE + p as u32,
            Source::Quoted => QUOTED_SOURCE,
            Source::QuestionMark => QUOTED_SOURCE + 1,
        };
        Evidence {
            signal: self.signal,
            weight: self.weight,
            start: self.fstart,
            end: self.fend,
            source,
        }
    }

    pub fn term(c: &Candidate, entry: &Entry, norm: &Normalized, text: &str) -> Found {
        let key = norm.key();
        let src = norm.key_src_span(c.start, c.end);
        let fstart = key[c.start].folded as usize;
        let fend = norm.folded_index_at_src(src.1.saturating_sub(1)) + 1;
        let how = if entry.pinyin_mix {
            MatchHow::Disguised
        } else {
            how_matched(key, c, entry, text.get(src.0..src.1))
        };
        Found {
            signal: entry.signal,
            weight: entry.weight,
            fstart,
            fend: fend.max(fstart + 1),
            src,
            source: Source::Entry(c.entry),
            how,
            evasive: entry.pinyin_mix
                || (how == MatchHow::Disguised && is_evasive(&key[c.start..c.end], entry, text))
                || fullwidth_by_choice(text.get(src.0..src.1), text),
        }
    }

    pub fn detection(
        d: &Detection,
        signal: SignalId,
        weight: f32,
        in_folded: bool,
        norm: &Normalized,
    ) -> Found {
        let last = d.end.saturating_sub(1).max(d.start);
        let (fstart, fend, src) = if in_folded {
            let (fs, fe) = (
                norm.folded_index_at_byte(d.start),
                norm.folded_index_at_byte(last) + 1,
            );
            (fs, fe, norm.folded_src_span(fs, fe))
        } else {
            (
                norm.folded_index_at_src(d.start),
                norm.folded_index_at_src(last) + 1,
                (d.start, d.end),
            )
        };
        Found {
            signal,
            weight,
            fstart,
            fend,
            src,
            source: Source::Detector(d.detector),
            how: MatchHow::Detected,
            evasive: false,
        }
    }

    /// A mark the filter sets itself (a question mark) over folded chars `fs..fe`.
    pub fn mark(
        signal: SignalId,
        fs: usize,
        fe: usize,
        src: (usize, usize),
        source: Source,
    ) -> Found {
        Found {
            signal,
            weight: 1.0,
            fstart: fs,
            fend: fe.max(fs + 1),
            src,
            source,
            how: MatchHow::Detected,
            evasive: false,
        }
    }

    /// A pictograph term at folded char `i`.
    pub fn pictograph(entry_index: u32, entry: &Entry, i: usize, norm: &Normalized) -> Found {
        Found {
            signal: entry.signal,
            weight: entry.weight,
            fstart: i,
            fend: i + 1,
            src: norm.folded_src_span(i, i + 1),
            source: Source::Entry(entry_index),
            how: MatchHow::Exact,
            evasive: false,
        }
    }

    /// A `quoted` mark over the same span as `term`.
    pub fn quoted(term: &Found, signal: SignalId) -> Found {
        Found {
            signal,
            weight: 1.0,
            source: Source::Quoted,
            how: MatchHow::Detected,
            evasive: false,
            ..*term
        }
    }

    pub fn phrase(p: &PhraseMatch, norm: &Normalized) -> Found {
        let e = p.evidence;
        Found {
            signal: e.signal,
            weight: e.weight,
            fstart: e.start,
            fend: e.end,
            src: norm.folded_src_span(e.start, e.end),
            source: Source::Phrase(p.phrase),
            how: MatchHow::Phrase,
            evasive: false,
        }
    }
}

/// Exact if the original reads as the pattern; disguised if any disguise was undone or separators
/// were slipped between characters of one script; normalized otherwise (width, case, script variant).
fn how_matched(key: &[NormChar], c: &Candidate, entry: &Entry, original: Option<&str>) -> MatchHow {
    let chars = &key[c.start..c.end];
    let slipped_gap = (1..chars.len()).any(|i| slipped_before(chars, i, entry));
    if slipped_gap || chars.iter().any(|ch| ch.has(NormChar::DISGUISED)) {
        return MatchHow::Disguised;
    }
    match original {
        Some(orig) if orig.eq_ignore_ascii_case(&entry.pattern) => MatchHow::Exact,
        _ => MatchHow::Normalized,
    }
}

/// True if the author hid the term rather than merely styled it: a character came from a
/// look-alike, leetspeak, a variant glyph or a zero-width neighbour (not from elongating a letter,
/// as in `moooon`), or separators were slipped between its characters twice (`比 特 币`,
/// `a i r d r o p`) or once as a hiding symbol (`U.S.DT`, `收*U`). One plain space inside a term is how
/// some people write words (`air drop`, `上 车`), not a disguise.
fn is_evasive(chars: &[NormChar], entry: &Entry, text: &str) -> bool {
    let mut slipped = 0;
    for (i, ch) in chars.iter().enumerate() {
        if ch.has(NormChar::DISGUISED) && !is_elongation(ch, text) {
            return true;
        }
        if i > 0 && slipped_before(chars, i, entry) {
            let between = text.get(chars[i - 1].src_end as usize..ch.src_start as usize);
            if ch.has(NormChar::SYMBOL_GAP) && between.is_some_and(has_hiding_symbol) {
                return true;
            }
            slipped += 1;
        }
    }
    slipped >= 2
}

/// Separators stand before match char `i` (of `chars`) where the pattern has none, between two
/// characters of one script: someone slipped them into the word.
fn slipped_before(chars: &[NormChar], i: usize, entry: &Entry) -> bool {
    let pattern_gap = i < 64 && entry.key.gaps & (1 << i) != 0;
    chars[i].has(NormChar::GAP_BEFORE) && !pattern_gap && same_script(chars[i - 1].ch, chars[i].ch)
}

/// Symbols people slip between letters to break up a word (`U.S.DT`, `收*U`, `b_t_c`). Not the
/// apostrophe of `don't`, nor `#` and `@`, which start hashtags and mentions.
fn has_hiding_symbol(separators: &str) -> bool {
    separators.chars().any(|c| {
        matches!(
            c,
            '*' | '.'
                | '_'
                | '|'
                | '/'
                | '\\'
                | '~'
                | '^'
                | '+'
                | '='
                | ','
                | '·'
                | '•'
                | '、'
                | '。'
                | '・'
                | '‧'
                | '×'
                | '＊'
                | '．'
                | '＿'
        )
    })
}

/// Full-width letters or digits in a term of a post typed without a CJK input method (no CJK
/// character, kana, hangul or CJK punctuation anywhere): `Ａｉｒｄｒｏｐ` in an English post was
/// chosen to slip past filters. In Chinese text the same forms come from ordinary typing.
fn fullwidth_by_choice(source: Option<&str>, text: &str) -> bool {
    let fullwidth_alnum = |c: char| matches!(c, '０'..='９' | 'Ａ'..='Ｚ' | 'ａ'..='ｚ');
    let cjk_typing = |c: char| {
        crate::normalize::chinese::is_cjk(c)
            || matches!(c, '\u{3000}'..='\u{30FF}' | '\u{AC00}'..='\u{D7AF}')
            || (('\u{FF01}'..='\u{FF65}').contains(&c) && !fullwidth_alnum(c))
    };
    source.is_some_and(|s| s.chars().any(fullwidth_alnum)) && !text.chars().any(cjk_typing)
}

/// A key character standing for a run of letters collapsed into one (`ooo` in `moooon`; a run
/// can mix in a leet digit, as `6b` in `0,6btc`): lengthening a word is emphasis, not hiding.
fn is_elongation(ch: &NormChar, text: &str) -> bool {
    text.get(ch.src_start as usize..ch.src_end as usize)
        .is_some_and(|source| {
            source
                .chars()
                .filter(|c| c.is_alphanumeric())
                .nth(1)
                .is_some()
        })
}

fn same_script(a: char, b: char) -> bool {
    (is_cjk(a) && is_cjk(b)) || (a.is_ascii_alphanumeric() && b.is_ascii_alphanumeric())
}

/// Assemble the verdict: label and score from the outcome, hits in text order with categories.
pub(super) fn verdict<'a>(
    lexicon: &'a Lexicon,
    text: &'a str,
    found: &mut Vec<Found>,
    outcome: Outcome<&'a str>,
    capped: bool,
) -> Verdict<&'a str> {
    let rules = lexicon.rules();
    let category_of = categories_by_signal(lexicon, &outcome);
    found.sort_by_key(|f| (f.src.0, f.src.1));
    let hits_capped = capped || found.len() > rules.max_hits;
    found.truncate(rules.max_hits);
    // hits are sorted by start, so the chars before each one are counted once, left to right
    let (mut at, mut chars_before) = (0, 0);
    let hits = found
        .iter()
        .map(|f| {
            chars_before += char_starts(text, at, f.src.0);
            at = at.max(f.src.0);
            Hit {
                entry: source_name(lexicon, f.source),
                signal: lexicon.signals().name(f.signal),
                category: category_of.get(f.signal as usize).copied().flatten(),
                start: chars_before,
                end: chars_before + char_starts(text, f.src.0, f.src.1),
                byte_start: f.src.0,
                byte_end: f.src.1,
                text: text.get(f.src.0..f.src.1).unwrap_or(""),
                how: f.how,
            }
        })
        .collect();
    Verdict {
        label: rules.label_for(outcome.score),
        score: outcome.score,
        categories: outcome.categories.into_iter().map(|(c, _)| c).collect(),
        rules: outcome.fired,
        context: outcome.context,
        hits,
        hits_capped,
    }
}

fn source_name(lexicon: &Lexicon, source: Source) -> &str {
    match source {
        Source::Entry(i) => (lexicon.entries().get(i as usize)).map_or("", |e| &e.name),
        Source::Detector(d) => d.name(),
        Source::Quoted => crate::lexicon::QUOTED_SIGNAL,
        Source::QuestionMark => crate::lexicon::QUESTION_MARK_SIGNAL,
        Source::Phrase(p) => (lexicon.rules().phrases.get(p)).map_or("", |p| &p.name),
    }
}

/// For each signal, the category of the first fired rule that used it (directly or via a phrase).
fn categories_by_signal<'a>(lexicon: &'a Lexicon, outcome: &Outcome<&str>) -> Vec<Option<&'a str>> {
    let rules = lexicon.rules();
    // no rule fired (most posts with hits): no hit has a category, and no zeroed map is needed
    if outcome.fired_index.is_empty() {
        return Vec::new();
    }
    let mut map: Vec<Option<&str>> = vec![None; lexicon.signals().names().len()];
    for &ri in &outcome.fired_index {
        let Some(r) = rules.rules.get(ri) else {
            continue;
        };
        for s in r.evidence() {
            if let Some(slot) = map.get_mut(s as usize) {
                slot.get_or_insert(r.category.as_str());
            }
        }
    }
    for p in &rules.phrases {
        if let Some(c) = map.get(p.signal as usize).copied().flatten() {
            for s in [p.first, p.then] {
                if let Some(slot @ None) = map.get_mut(s as usize) {
                    *slot = Some(c);
                }
            }
        }
    }
    map
}

/// The number of chars of `text` that start at a byte in `from..to` (clamped to the text): the
/// bytes that are not UTF-8 continuation bytes.
fn char_starts(text: &str, from: usize, to: usize) -> usize {
    let bytes = text.as_bytes();
    let span = bytes.get(from..to.min(bytes.len())).unwrap_or_default();
    span.iter().filter(|&&b| (b as i8) >= -0x40).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chars_are_counted_by_their_first_byte() {
        let text = "收U 6.95";
        let before = |b| char_starts(text, 0, b);
        assert_eq!((before(0), before(3), before(4), before(9)), (0, 1, 2, 7));
        assert_eq!(char_starts(text, 3, 9), 6);
        assert_eq!(char_starts(text, 1, 3), 0, "inside 收");
        assert_eq!((char_starts(text, 5, 99), char_starts(text, 9, 4)), (4, 0));
    }

    #[test]
    fn fullwidth_hides_only_in_posts_typed_without_a_cjk_keyboard() {
        let post = "Ａｉｒｄｒｏｐ live: claim now";
        assert!(fullwidth_by_choice(post.get(0..21), post));
        let zh = "Ａｉｒｄｒｏｐ 活动，领币";
        assert!(
            !fullwidth_by_choice(zh.get(0..21), zh),
            "a Chinese IME types full width"
        );
        let punct = "ＢＴＣ！ buy now";
        assert!(
            !fullwidth_by_choice(punct.get(0..9), punct),
            "full-width punctuation too"
        );
        let plain = "Airdrop live";
        assert!(!fullwidth_by_choice(plain.get(0..7), plain));
    }
}
