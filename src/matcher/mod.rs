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
use crate::normalize::fast::KeyObserver;
use crate::normalize::{Glyph, Normalized};
use aho_corasick::automaton::{Automaton as _, StateID};
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
    /// The length of each pattern in chars.
    pattern_chars: Vec<u32>,
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
///
/// A long haystack is walked in several lanes at once ([`lanes`]): each step of a DFA walk waits
/// for the load of the step before, so one walk leaves the core idle most of the time, and a few
/// independent walks in one loop take little longer than one.
#[inline(always)]
pub(crate) fn dfa_matches(
    dfa: &DFA,
    hay: &[u8],
    mut f: impl FnMut(usize, usize, usize) -> ControlFlow<()>,
) {
    let Ok(start) = dfa.start_state(Anchored::No) else {
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
    if dfa.is_match(start) && report(start, 0).is_break() {
        return;
    }
    let (sid, at) = match split_walk(dfa, start, hay, &mut report) {
        Some(Lanes::Stopped) => return,
        Some(Lanes::Resume { sid, at }) => (sid, at),
        None => (start, 0),
    };
    let _ = walk(dfa, sid, hay, at, &mut report);
}

/// The walk of `dfa` from state `sid` over `hay[at..]`, reporting every match state (with the
/// end offset of its matches): the state it ended in, and `Break` when `report` broke.
#[inline(always)]
fn walk(
    dfa: &DFA,
    mut sid: StateID,
    hay: &[u8],
    at: usize,
    report: &mut impl FnMut(StateID, usize) -> ControlFlow<()>,
) -> (StateID, ControlFlow<()>) {
    let rest = hay.get(at..).unwrap_or_default();
    for (i, &byte) in rest.iter().enumerate() {
        sid = dfa.next_state(Anchored::No, sid, byte);
        // without a prefilter the only special states are the dead and the match states, and
        // an unanchored standard search never dies
        if dfa.is_special(sid) && (dfa.is_dead(sid) || report(sid, at + i + 1).is_break()) {
            return (sid, ControlFlow::Break(()));
        }
    }
    (sid, ControlFlow::Continue(()))
}

/// A lane is worth its overlap with the lane before it (the longest pattern) when it walks at
/// least this many bytes more.
const LANE_MIN: usize = 16;

/// How [`lanes`] left the search.
enum Lanes {
    /// `report` broke.
    Stopped,
    /// Every match ending before `at` is reported; the walk goes on from state `sid` at `at`.
    Resume { sid: StateID, at: usize },
}

/// Walk `hay` in four lanes or two (the most its length is worth, by [`LANE_MIN`]), or `None`
/// if it is too short for two.
#[inline(always)]
fn split_walk(
    dfa: &DFA,
    start: StateID,
    hay: &[u8],
    report: &mut impl FnMut(StateID, usize) -> ControlFlow<()>,
) -> Option<Lanes> {
    let overlap = dfa.max_pattern_len();
    if hay.len() >= 4 * (overlap + LANE_MIN) {
        lanes::<4>(dfa, start, hay, overlap, report)
    } else if hay.len() >= 2 * (overlap + LANE_MIN) {
        lanes::<2>(dfa, start, hay, overlap, report)
    } else {
        None
    }
}

/// How many matches a lane other than the first keeps for later in [`lanes`] before it stops.
const LANE_BUFFER: usize = 8;

/// Walk `N` stretches of `hay` in one loop.
///
/// Lane 0 walks `hay[..seg]` and reports its matches at once. Lane `i` starts from the start
/// state `overlap` bytes (the longest pattern) before the end of lane `i - 1`: a DFA state is the
/// longest suffix of the bytes read that begins some pattern, never longer than the longest
/// pattern, so from that end on lane `i` is in the very states one walk from the start of `hay`
/// would be in. The other lanes report nothing in the loop: each keeps its first
/// [`LANE_BUFFER`] match states past the end of the lane before it, and at the next one it stops.
/// After the loop each lane, in order, reports what it kept and, if it stopped, that match, then
/// walks the rest of its stretch alone. So matches still come in order of their end, and a lane
/// with a few matches does not fall back to a walk of one lane.
#[inline(always)]
fn lanes<const N: usize>(
    dfa: &DFA,
    start: StateID,
    hay: &[u8],
    overlap: usize,
    report: &mut impl FnMut(StateID, usize) -> ControlFlow<()>,
) -> Option<Lanes> {
    // lane i walks hay[i * step .. i * step + seg]; step = seg - overlap; the last lane ends at
    // the end of `hay` or up to N - 1 bytes before it
    let seg = (hay.len() + (N - 1) * overlap) / N;
    let step = seg.checked_sub(overlap)?;
    let begin = |lane: usize| lane * step;
    // the first byte a lane may report a match at: the end of the lane before it
    let reports_from = |lane: usize| begin(lane) + overlap;
    let stretch = |lane: usize| hay.get(begin(lane)..begin(lane) + seg);
    let mut bytes: [&[u8]; N] = [&[]; N];
    for (lane, b) in bytes.iter_mut().enumerate() {
        *b = stretch(lane)?;
    }
    let mut sid = [start; N];
    // the match states each lane kept (state, end), how many, and where it stopped: the end of
    // the match past its buffer
    let mut kept = [[(start, 0usize); LANE_BUFFER]; N];
    let mut n_kept = [0usize; N];
    let mut stopped: [Option<usize>; N] = [None; N];
    for (k, &first_lane_byte) in bytes[0].iter().enumerate() {
        sid[0] = dfa.next_state(Anchored::No, sid[0], first_lane_byte);
        if dfa.is_special(sid[0]) && (dfa.is_dead(sid[0]) || report(sid[0], k + 1).is_break()) {
            return Some(Lanes::Stopped);
        }
        for lane in 1..N {
            if stopped[lane].is_none() {
                sid[lane] = dfa.next_state(Anchored::No, sid[lane], bytes[lane][k]);
                let end = begin(lane) + k + 1;
                if dfa.is_special(sid[lane]) && end > reports_from(lane) {
                    match kept[lane].get_mut(n_kept[lane]) {
                        Some(slot) => {
                            *slot = (sid[lane], end);
                            n_kept[lane] += 1;
                        }
                        None => stopped[lane] = Some(end),
                    }
                }
            }
        }
    }
    for lane in 1..N {
        for &(state, end) in kept[lane].get(..n_kept[lane]).unwrap_or_default() {
            if dfa.is_dead(state) || report(state, end).is_break() {
                return Some(Lanes::Stopped);
            }
        }
        if let Some(end) = stopped[lane] {
            if dfa.is_dead(sid[lane]) || report(sid[lane], end).is_break() {
                return Some(Lanes::Stopped);
            }
            // (its stretch was checked above: this is never all of `hay` but for that)
            let rest = hay.get(..begin(lane) + seg).unwrap_or(hay);
            let (state, flow) = walk(dfa, sid[lane], rest, end, report);
            if flow.is_break() {
                return Some(Lanes::Stopped);
            }
            sid[lane] = state;
        }
    }
    Some(Lanes::Resume {
        sid: sid[N - 1],
        at: begin(N - 1) + seg,
    })
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
        let pattern_chars = (patterns.iter())
            .map(|p| u32::try_from(p.chars().count()).unwrap_or(u32::MAX))
            .collect();
        Ok(Matcher {
            automaton,
            entries_of_pattern,
            pattern_chars,
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
        let mut sorter = Plausible::new(key, entries, cap, out, all);
        self.automaton.each_match(key_text, |start, end, pattern| {
            let (start, end) = (char_at(start), char_at(end));
            sorter.sort(&self.entries_of_pattern[pattern], start, end)
        });
        sorter.finish()
    }

    /// A walk of this matcher's automaton over a key text as it is written, to be shown the
    /// text's bytes by [`FastKey::build_observed`](crate::normalize::fast::FastKey::build_observed);
    /// it keeps the match states it passes in `hits` (cleared first). `None` if the automaton is
    /// no full DFA (see [`Matcher::build_for_throughput`]).
    pub fn key_walk<'a>(&'a self, hits: &'a mut Vec<KeyHit>) -> Option<KeyWalk<'a>> {
        let Automaton::Dfa(dfa) = &self.automaton else {
            return None;
        };
        let start = dfa.start_state(Anchored::No).ok()?;
        // an empty pattern would match before the first byte: not worth a special case
        if dfa.is_match(start) {
            return None;
        }
        hits.clear();
        Some(KeyWalk {
            dfa,
            sid: start,
            chars: 0,
            hits,
        })
    }

    /// [`Matcher::plausible`] from the match states a [`KeyWalk`] kept while it was shown every
    /// byte of the key text of `key`: the same lists, without a search of its own. `hits` must
    /// come from this matcher's [`Matcher::key_walk`]; a matcher with no full DFA has no walk,
    /// so no hits, and adds nothing.
    pub fn plausible_from_walk<G: Glyph>(
        &self,
        hits: &[KeyHit],
        key: &[G],
        entries: &[Entry],
        cap: usize,
        out: &mut Vec<Candidate>,
        all: &mut Vec<Candidate>,
    ) -> Option<bool> {
        let Automaton::Dfa(dfa) = &self.automaton else {
            return Some(true);
        };
        let mut sorter = Plausible::new(key, entries, cap, out, all);
        'hits: for hit in hits {
            for i in 0..dfa.match_len(hit.sid) {
                let pattern = dfa.match_pattern(hit.sid, i).as_usize();
                let (Some(of_pattern), Some(&chars)) = (
                    self.entries_of_pattern.get(pattern),
                    self.pattern_chars.get(pattern),
                ) else {
                    continue;
                };
                let (end, start) = (hit.end as usize, hit.end.saturating_sub(chars) as usize);
                if sorter.sort(of_pattern, start, end).is_break() {
                    break 'hits;
                }
            }
        }
        sorter.finish()
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

/// The candidate lists of [`Matcher::plausible`], filled one automaton match at a time.
struct Plausible<'a, G> {
    key: &'a [G],
    entries: &'a [Entry],
    cap: usize,
    out: &'a mut Vec<Candidate>,
    all: &'a mut Vec<Candidate>,
    complete: bool,
    over_cap: bool,
}

impl<'a, G: Glyph> Plausible<'a, G> {
    fn new(
        key: &'a [G],
        entries: &'a [Entry],
        cap: usize,
        out: &'a mut Vec<Candidate>,
        all: &'a mut Vec<Candidate>,
    ) -> Self {
        Plausible {
            key,
            entries,
            cap,
            out,
            all,
            complete: true,
            over_cap: false,
        }
    }

    /// A match of a pattern at key chars `start..end` (the pattern's entries `of_pattern`):
    /// every candidate to `all` (up to the cap), those that pass the boundary checks to `out`;
    /// `Break` once `out` passed the cap.
    #[inline(always)]
    fn sort(&mut self, of_pattern: &[(u32, bool)], start: usize, end: usize) -> ControlFlow<()> {
        for &(entry, l_variant) in of_pattern {
            let candidate = Candidate {
                entry,
                start,
                end,
                l_variant,
            };
            self.complete &= self.all.len() < self.cap;
            if self.complete {
                self.all.push(candidate);
            }
            let passes = self.entries.get(entry as usize).is_none_or(|e| {
                boundary::check_latin_edges(self.key, start, end, e.boundary)
                    .and_then(|()| boundary::check_slipped_gaps(self.key, start, end, e.key.gaps))
                    .is_ok()
            });
            if passes {
                if self.out.len() > self.cap {
                    self.over_cap = true;
                    return ControlFlow::Break(());
                }
                self.out.push(candidate);
            }
        }
        ControlFlow::Continue(())
    }

    /// What [`Matcher::plausible`] returns.
    fn finish(self) -> Option<bool> {
        (!self.over_cap).then_some(self.complete)
    }
}

/// A match state a [`KeyWalk`] passed: the automaton's matches ending after key char `end`.
#[derive(Debug, Clone, Copy)]
pub struct KeyHit {
    sid: StateID,
    end: u32,
}

/// A walk of a [`Matcher`]'s DFA over a key text, byte by byte as it is written (see
/// [`Matcher::key_walk`]).
#[derive(Debug)]
pub struct KeyWalk<'a> {
    dfa: &'a DFA,
    sid: StateID,
    /// Chars begun so far.
    chars: u32,
    hits: &'a mut Vec<KeyHit>,
}

impl KeyWalk<'_> {
    /// Keep the state the walk is in if it is a match state, the matches ending after char
    /// `self.chars`. Without a prefilter the only special states are the dead and the match
    /// states, and an unanchored standard search never dies.
    #[inline(always)]
    fn keep_match(&mut self) {
        if self.dfa.is_special(self.sid) {
            self.hits.push(KeyHit {
                sid: self.sid,
                end: self.chars,
            });
        }
    }
}

impl KeyObserver for KeyWalk<'_> {
    #[inline(always)]
    fn byte(&mut self, b: u8) {
        self.sid = self.dfa.next_state(Anchored::No, self.sid, b);
        // a UTF-8 lead byte or ASCII begins a char
        self.chars += u32::from((b as i8) >= -0x40);
        self.keep_match();
    }

    /// A pattern is whole chars, so a match ends only at the end of a char: one check.
    #[inline(always)]
    fn char_bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.sid = self.dfa.next_state(Anchored::No, self.sid, b);
        }
        self.chars += 1;
        self.keep_match();
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

    #[test]
    fn the_lanes_meet_without_a_gap_or_a_repeat() {
        // long enough for two lanes, and for four (the longest pattern is 9 bytes): matches
        // before, across and after the lanes' ends, and at both ends of the haystack
        for (x, y, z) in [(20, 14, 30), (30, 40, 50)] {
            let hay = format!(
                "ab{}比特币{}bab{}u",
                "x".repeat(x),
                "y".repeat(y),
                "z".repeat(z)
            );
            let all = by_dfa_loop(&hay, usize::MAX);
            assert!(hay.len() >= 2 * (9 + LANE_MIN));
            assert_eq!(all, by_aho_corasick(&hay));
            assert!(all.iter().any(|&(s, e, _)| &hay[s..e] == "bab"));
            for stop in 1..all.len() {
                assert_eq!(by_dfa_loop(&hay, stop), all[..stop], "stopped after {stop}");
            }
        }
    }

    #[test]
    fn a_match_is_found_wherever_it_sits_against_the_middle() {
        // every placement of the longest pattern (and a short one after it) in a haystack that
        // is walked in two lanes or four: some of them straddle where a lane starts or ends
        for filler in [40, 45, 95, 111] {
            for before in 0..=filler {
                let hay = format!(
                    "{}比特币u{}",
                    "x".repeat(before),
                    "y".repeat(filler - before)
                );
                assert!(hay.len() >= 2 * (9 + LANE_MIN));
                assert_eq!(
                    by_dfa_loop(&hay, usize::MAX),
                    by_aho_corasick(&hay),
                    "{hay}"
                );
            }
        }
        // the one match at the very last byte, whichever lane reads it
        for len in (50..54).chain(100..104) {
            let hay = format!("{}u", "x".repeat(len - 1));
            assert_eq!(by_dfa_loop(&hay, usize::MAX), [(len - 1, len, 9)], "{hay}");
        }
    }

    proptest! {
        #[test]
        fn the_dfa_loop_finds_what_aho_corasick_finds(hay in "[abcux 比特币]{0,160}") {
            prop_assert_eq!(by_dfa_loop(&hay, usize::MAX), by_aho_corasick(&hay));
        }

        /// Few matches in a long text: the lanes keep them all and none stops.
        #[test]
        fn the_dfa_loop_finds_sparse_matches(hay in "[xyz 特]{0,40}(a|比特币|u)?[xyz 特]{0,60}(bab|c)?[xyz 特]{0,120}") {
            prop_assert_eq!(by_dfa_loop(&hay, usize::MAX), by_aho_corasick(&hay));
        }

        #[test]
        fn the_dfa_loop_stops_where_it_is_told(hay in "[abcux 比特币]{20,80}", stop in 1usize..12) {
            let all = by_aho_corasick(&hay);
            let want = &all[..stop.min(all.len())];
            prop_assert_eq!(by_dfa_loop(&hay, stop), want);
        }
    }

    /// The shipped lexicon and its batch (full DFA) matcher.
    fn shipped_dfa() -> &'static (crate::lexicon::Lexicon, Matcher) {
        static M: std::sync::OnceLock<(crate::lexicon::Lexicon, Matcher)> =
            std::sync::OnceLock::new();
        M.get_or_init(|| {
            let lexicon = crate::lexicon::Lexicon::shipped().expect("shipped lexicon");
            let matcher = Matcher::build_for_throughput(lexicon.entries()).expect("matcher");
            (lexicon, matcher)
        })
    }

    /// [`Matcher::plausible_from_walk`] on a walk shown the key text as it was written gives
    /// what [`Matcher::plausible`] gives searching that text, at the lexicon's cap and at a
    /// small one. True if the key view was built with the walk watching.
    fn walk_agrees(text: &str) -> Result<bool, String> {
        use crate::normalize::fast::{Built, FastKey};
        let (lexicon, matcher) = shipped_dfa();
        let (mut fast, mut hits) = (FastKey::default(), Vec::new());
        let mut walk = matcher.key_walk(&mut hits).ok_or("no DFA")?;
        if fast.build_observed(text, &[], &mut walk) != Built::Observed {
            return Ok(false);
        }
        let (entries, key) = (lexicon.entries(), fast.key_chars());
        for cap in [lexicon.rules().max_hits * 4, 2] {
            let lists = |walked: bool| {
                let (mut out, mut all) = (Vec::new(), Vec::new());
                let complete = if walked {
                    matcher.plausible_from_walk(&hits, key, entries, cap, &mut out, &mut all)
                } else {
                    matcher.plausible(fast.key_text(), key, entries, cap, &mut out, &mut all)
                };
                (complete, out, all)
            };
            let (walked, searched) = (lists(true), lists(false));
            if walked != searched {
                return Err(format!(
                    "{text:?} (cap {cap}): walk {walked:?} vs search {searched:?}"
                ));
            }
        }
        Ok(true)
    }

    #[test]
    fn the_walk_while_the_key_is_written_finds_what_the_search_finds_on_the_corpora() {
        let texts = crate::eval::corpus::project_corpus_texts();
        let walked: usize = (texts.iter())
            .map(|t| usize::from(walk_agrees(t).unwrap()))
            .sum();
        assert!(walked * 2 > texts.len(), "{walked} of {} rows", texts.len());
    }

    /// Words of the lexicon and pieces of them, glued by nothing, spaces, symbols and letters
    /// (edges, gaps, breaks, runs and disguises around and inside the patterns).
    fn lexicon_word() -> impl Strategy<Value = String> {
        let (lexicon, _) = shipped_dfa();
        let keys: Vec<String> = (lexicon.entries().iter())
            .map(|e| e.key.key.clone())
            .filter(|k| !k.is_empty())
            .collect();
        let glue = prop::sample::select(vec![
            "",
            "",
            " ",
            ".",
            "。",
            "!",
            "-",
            "x",
            "Q",
            "o",
            "1",
            "币",
            "的",
            "ＵＳＤＴ",
            "幣",
        ]);
        (prop::sample::select(keys), prop::bool::weighted(0.25), glue).prop_map(
            |(key, cut, glue)| {
                // now and then the key without its last char: a near miss
                let mut word = key;
                if cut && word.chars().count() > 1 {
                    word.pop();
                }
                word + glue
            },
        )
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(600))]
        #[test]
        fn the_walk_while_the_key_is_written_finds_what_the_search_finds(
            words in prop::collection::vec(lexicon_word(), 0..14)
        ) {
            let text = words.concat();
            prop_assert!(walk_agrees(&text).is_ok(), "{}", walk_agrees(&text).unwrap_err());
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
