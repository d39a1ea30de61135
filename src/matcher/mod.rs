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
use aho_corasick::automaton::Automaton as _;
use aho_corasick::dfa::DFA;
use aho_corasick::{AhoCorasick, Anchored, MatchKind};
use std::collections::HashMap;
use std::ops::ControlFlow;
use std::sync::Arc;

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
    automaton: Automaton,
    entries_of_pattern: Vec<Vec<(u32, bool)>>,
}

/// The automaton behind a [`Matcher`].
#[derive(Debug, Clone)]
enum Automaton {
    /// A full DFA, searched by [`dfa_matches`].
    Dfa(Arc<DFA>),
    /// aho-corasick's own choice of automaton, searched by its overlapping iterator.
    Chosen(AhoCorasick),
}

impl Automaton {
    /// Call `f(start, end, pattern)` for every occurrence of every pattern in `hay` (byte
    /// offsets), in order of `end`, as aho-corasick's overlapping search reports them, until
    /// `f` breaks.
    #[inline(always)]
    fn each_match(&self, hay: &str, mut f: impl FnMut(usize, usize, usize) -> ControlFlow<()>) {
        match self {
            Automaton::Dfa(dfa) => dfa_matches(dfa, hay.as_bytes(), f),
            Automaton::Chosen(ac) => {
                for m in ac.find_overlapping_iter(hay) {
                    if f(m.start(), m.end(), m.pattern().as_usize()).is_break() {
                        return;
                    }
                }
            }
        }
    }
}

/// The overlapping search of a standard-semantics DFA built without a prefilter, as a plain
/// loop over the bytes: aho-corasick's overlapping iterator resumes from a state struct it
/// updates on every byte, and this loop, which keeps the state in registers, searches the
/// benchmark dump's key texts ~17% faster. Same matches in the same order (tested below).
#[inline(always)]
fn dfa_matches(dfa: &DFA, hay: &[u8], mut f: impl FnMut(usize, usize, usize) -> ControlFlow<()>) {
    let Ok(mut sid) = dfa.start_state(Anchored::No) else {
        return;
    };
    let mut report = |sid, end: usize| -> ControlFlow<()> {
        for i in 0..dfa.match_len(sid) {
            let pattern = dfa.match_pattern(sid, i);
            f(end - dfa.pattern_len(pattern), end, pattern.as_usize())?;
        }
        ControlFlow::Continue(())
    };
    // an empty pattern matches before the first byte too
    if dfa.is_match(sid) && report(sid, 0).is_break() {
        return;
    }
    for (at, &byte) in hay.iter().enumerate() {
        sid = dfa.next_state(Anchored::No, sid, byte);
        // without a prefilter the only special states are the dead and the match states, and
        // an unanchored standard search never dies
        if dfa.is_special(sid) && (dfa.is_dead(sid) || report(sid, at + 1).is_break()) {
            return;
        }
    }
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
        let error = |e: aho_corasick::BuildError| Error::Automaton(e.to_string());
        let automaton = if dfa && patterns.len() <= DFA_MAX_PATTERNS {
            let mut builder = aho_corasick::dfa::Builder::new();
            builder.match_kind(MatchKind::Standard).prefilter(false);
            Automaton::Dfa(Arc::new(builder.build(&patterns).map_err(error)?))
        } else {
            let mut builder = AhoCorasick::builder();
            builder.match_kind(MatchKind::Standard);
            Automaton::Chosen(builder.build(&patterns).map_err(error)?)
        };
        Ok(Matcher {
            automaton,
            entries_of_pattern,
        })
    }

    /// True if any pattern occurs in `key_text` (a key view).
    pub fn has_match(&self, key_text: &str) -> bool {
        let mut found = false;
        self.automaton.each_match(key_text, |_, _, _| {
            found = true;
            ControlFlow::Break(())
        });
        found
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
        let mut over_cap = false;
        self.automaton.each_match(key_text, |start, end, pattern| {
            let (start, end) = (char_at(start), char_at(end));
            for &(entry, l_variant) in &self.entries_of_pattern[pattern] {
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
                        over_cap = true;
                        return ControlFlow::Break(());
                    }
                    out.push(candidate);
                }
            }
            ControlFlow::Continue(())
        });
        if over_cap {
            return None;
        }
        Some(complete)
    }

    /// Append every occurrence of every entry in the key view of `norm` to `out`, up to `cap`.
    /// Returns false if the cap cut the list short.
    pub fn candidates(&self, norm: &Normalized, cap: usize, out: &mut Vec<Candidate>) -> bool {
        let mut complete = true;
        self.automaton
            .each_match(norm.key_text(), |start, end, pattern| {
                let start = norm.key_index_at_byte(start);
                let end = norm.key_index_at_byte(end - 1) + 1;
                for &(entry, l_variant) in &self.entries_of_pattern[pattern] {
                    if out.len() >= cap {
                        complete = false;
                        return ControlFlow::Break(());
                    }
                    out.push(Candidate {
                        entry,
                        start,
                        end,
                        l_variant,
                    });
                }
                ControlFlow::Continue(())
            });
        complete
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
    use proptest::prelude::*;

    /// Overlapping, nested and multi-byte patterns, some sharing a key.
    const PATTERNS: [&str; 11] = [
        "a",
        "ab",
        "bab",
        "abc",
        "c",
        "比特",
        "比特币",
        "币",
        "特币u",
        "u",
        "ab",
    ];

    fn by_dfa_loop(hay: &str, stop_after: usize) -> Vec<(usize, usize, usize)> {
        let mut builder = aho_corasick::dfa::Builder::new();
        builder.match_kind(MatchKind::Standard).prefilter(false);
        let dfa = builder.build(PATTERNS).expect("patterns build");
        let mut got = Vec::new();
        dfa_matches(&dfa, hay.as_bytes(), |start, end, pattern| {
            got.push((start, end, pattern));
            match got.len() < stop_after {
                true => ControlFlow::Continue(()),
                false => ControlFlow::Break(()),
            }
        });
        got
    }

    fn by_aho_corasick(hay: &str) -> Vec<(usize, usize, usize)> {
        let ac = AhoCorasick::builder()
            .match_kind(MatchKind::Standard)
            .build(PATTERNS)
            .expect("patterns build");
        let found = ac.find_overlapping_iter(hay);
        found
            .map(|m| (m.start(), m.end(), m.pattern().as_usize()))
            .collect()
    }

    #[test]
    fn the_dfa_loop_reports_every_overlap_in_order_and_stops_when_told() {
        let hay = "xbabc比特币u";
        let all = by_dfa_loop(hay, usize::MAX);
        let pattern = |i: usize| PATTERNS[all[i].2];
        assert_eq!(all, by_aho_corasick(hay));
        assert_eq!((pattern(0), pattern(1), pattern(2)), ("a", "bab", "ab"));
        assert!(all.iter().any(|&(s, e, _)| &hay[s..e] == "特币u"));
        assert_eq!(by_dfa_loop(hay, 2), all[..2]);
    }

    proptest! {
        #[test]
        fn the_dfa_loop_finds_what_aho_corasick_finds(hay in "[abcux 比特币]{0,40}") {
            prop_assert_eq!(by_dfa_loop(&hay, usize::MAX), by_aho_corasick(&hay));
        }
    }

    #[test]
    fn l_variants_collapse_like_the_text_does() {
        assert_eq!(l_variant("seling").as_deref(), Some("seing"));
        assert_eq!(l_variant("sel").as_deref(), Some("sei"));
        assert_eq!(l_variant("usdt"), None);
        assert!(has_one_for_l("se11") && !has_one_for_l("sell"));
    }
}
