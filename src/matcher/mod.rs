//! Match: one Aho-Corasick automaton over the key view for every lexicon entry, then boundary checks.
//!
//! The automaton reports every occurrence, overlapping ones included; [`boundary`] then decides
//! which are real words (`pump` yes, `pumpkin` no). Entries whose keys coincide share one
//! automaton pattern, so duplicate spellings across files cost nothing at match time.
//!
//! Leetspeak `1` reads as `i` in the key (`b1tc01n` → `bitcoin`), but it also stands for `l`
//! (`se11`, `a1tcoin`). So every Latin pattern with an `l` gets a second automaton key with
//! `l` → `i`; a hit on that variant counts only if the original text really has a `1` there
//! ([`Candidate::l_variant`]), so `fail` never matches a pattern `fall`.

pub mod boundary;

use crate::error::Error;
use crate::lexicon::Entry;
use crate::normalize::{Glyph, Normalized};
use aho_corasick::{AhoCorasick, AhoCorasickKind, MatchKind};
use std::collections::HashMap;

/// Up to this many automaton patterns [`Matcher::build_for_throughput`] makes a full DFA: it
/// searches about twice as fast as the default (contiguous NFA) and, for the shipped lexicon
/// (~2,000 patterns), costs ~6 MB and ~20 ms more at build time. Larger lexicons keep
/// aho-corasick's own choice, whose memory stays small.
pub const DFA_MAX_PATTERNS: usize = 10_000;

/// A raw automaton hit: entry `entry` at key chars `start..end`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Candidate {
    /// Index into the lexicon's entries.
    pub entry: u32,
    /// Start, in key chars.
    pub start: usize,
    /// End (exclusive), in key chars.
    pub end: usize,
    /// Matched through the `l` → `i` variant key: valid only if the original span has a `1`.
    pub l_variant: bool,
}

/// The compiled automaton and the entries behind each of its patterns.
#[derive(Debug, Clone)]
pub struct Matcher {
    automaton: AhoCorasick,
    entries_of_pattern: Vec<Vec<(u32, bool)>>,
}

impl Matcher {
    /// Build the automaton for `entries` (their normalized keys), quick to build: what a
    /// filter built once per process, or rebuilt on every lexicon edit, wants.
    pub fn build(entries: &[Entry]) -> Result<Matcher, Error> {
        Matcher::build_kind(entries, false)
    }

    /// Like [`Matcher::build`], but a full DFA (up to [`DFA_MAX_PATTERNS`] patterns): slower to
    /// build, faster to search. For batch scans, where the build is paid once per dump.
    pub fn build_for_throughput(entries: &[Entry]) -> Result<Matcher, Error> {
        Matcher::build_kind(entries, true)
    }

    fn build_kind(entries: &[Entry], dfa: bool) -> Result<Matcher, Error> {
        let mut index: HashMap<String, usize> = HashMap::new();
        let mut patterns: Vec<String> = Vec::new();
        let mut entries_of_pattern: Vec<Vec<(u32, bool)>> = Vec::new();
        let mut add = |key: String, entry: u32, variant: bool| {
            let p = *index.entry(key.clone()).or_insert_with(|| {
                patterns.push(key);
                entries_of_pattern.push(Vec::new());
                patterns.len() - 1
            });
            entries_of_pattern[p].push((entry, variant));
        };
        for (i, e) in entries.iter().enumerate().filter(|(_, e)| !e.pictograph) {
            add(e.key.key.clone(), i as u32, false);
            if let Some(v) = l_variant(&e.key.key) {
                add(v, i as u32, true);
            }
        }
        let automaton = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .kind((dfa && patterns.len() <= DFA_MAX_PATTERNS).then_some(AhoCorasickKind::DFA))
            .build(&patterns)
            .map_err(|e| Error::Automaton(e.to_string()))?;
        Ok(Matcher {
            automaton,
            entries_of_pattern,
        })
    }

    /// True if any pattern occurs in `key_text` (a key view).
    pub fn has_match(&self, key_text: &str) -> bool {
        self.automaton.is_match(key_text)
    }

    /// Append to `out` the candidates in `key_text` that pass the Latin edge and slipped-gap
    /// checks of [`boundary`], stopping once there are more than `cap`. `key` are the key chars `key_text` renders (any
    /// [`Glyph`] with the key view's flags), `entries` the lexicon entries the matcher was built
    /// from. Every other candidate of the full pipeline is rejected by those same checks: when
    /// `out` stays empty the post has no verified term (the clean-post fast path).
    ///
    /// `all` gets every match, as [`Matcher::candidates`] lists them on the same key view, so
    /// the full pipeline need not search again. Returns `Some(complete)` (as
    /// [`Matcher::candidates`] returns) if `all` holds the whole list, `None` if this stopped
    /// early because `out` passed `cap`.
    pub fn plausible<G: Glyph>(
        &self,
        key_text: &str,
        key: &[G],
        entries: &[Entry],
        cap: usize,
        out: &mut Vec<Candidate>,
        all: &mut Vec<Candidate>,
    ) -> Option<bool> {
        let bytes = key_text.as_bytes();
        // char index of a byte offset, from a cursor that follows the matches (they come in
        // order of their end, so it moves by about a pattern's length each time)
        let is_start = |x: &u8| (*x as i8) >= -0x40;
        let (mut at_byte, mut at_char) = (0usize, 0usize);
        let mut char_at = |b: usize| {
            if b >= at_byte {
                at_char += bytes[at_byte..b].iter().filter(|x| is_start(x)).count();
            } else {
                at_char -= bytes[b..at_byte].iter().filter(|x| is_start(x)).count();
            }
            at_byte = b;
            at_char
        };
        let mut complete = true;
        for m in self.automaton.find_overlapping_iter(key_text) {
            let start = char_at(m.start());
            let end = char_at(m.end());
            for &(entry, l_variant) in &self.entries_of_pattern[m.pattern().as_usize()] {
                let candidate = Candidate {
                    entry,
                    start,
                    end,
                    l_variant,
                };
                complete &= all.len() < cap;
                if complete {
                    all.push(candidate);
                }
                let passes = entries.get(entry as usize).is_none_or(|e| {
                    boundary::check_latin_edges(key, start, end, e.boundary)
                        .and_then(|()| boundary::check_slipped_gaps(key, start, end, e.key.gaps))
                        .is_ok()
                });
                if passes {
                    if out.len() > cap {
                        return None;
                    }
                    out.push(candidate);
                }
            }
        }
        Some(complete)
    }

    /// Append every occurrence of every entry in the key view of `norm` to `out`, up to `cap`.
    /// Returns false if the cap cut the list short.
    pub fn candidates(&self, norm: &Normalized, cap: usize, out: &mut Vec<Candidate>) -> bool {
        for m in self.automaton.find_overlapping_iter(norm.key_text()) {
            let start = norm.key_index_at_byte(m.start());
            let end = norm.key_index_at_byte(m.end() - 1) + 1;
            for &(entry, l_variant) in &self.entries_of_pattern[m.pattern().as_usize()] {
                if out.len() >= cap {
                    return false;
                }
                out.push(Candidate {
                    entry,
                    start,
                    end,
                    l_variant,
                });
            }
        }
        true
    }
}

/// The `l` → `i` variant of a key that has an ASCII `l`, for `1`-for-`l` leetspeak.
fn l_variant(key: &str) -> Option<String> {
    if !key.contains('l') {
        return None;
    }
    // the text side collapses repeated letters after leet, so `se11` → `seii` → `sei`
    let mut out = String::with_capacity(key.len());
    for c in key.chars().map(|c| if c == 'l' { 'i' } else { c }) {
        if !(c.is_ascii_alphabetic() && out.ends_with(c)) {
            out.push(c);
        }
    }
    Some(out)
}

/// True if `original` (the text a variant candidate covers) has a character that reads as `l`.
pub fn has_one_for_l(original: &str) -> bool {
    original
        .chars()
        .any(|c| matches!(c, '1' | '|' | '１' | 'ǀ' | 'Ɩ'))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn l_variants_collapse_like_the_text_does() {
        assert_eq!(l_variant("seling").as_deref(), Some("seing"));
        assert_eq!(l_variant("sel").as_deref(), Some("sei"));
        assert_eq!(l_variant("usdt"), None);
        assert!(has_one_for_l("se11") && !has_one_for_l("sell"));
    }
}
