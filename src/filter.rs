//! The filter: build once from lexicons, check many posts.
//!
//! [`Filter::check`] runs the whole pipeline on one post — normalize, match, verify boundaries,
//! apply exceptions, detect structured signals, find phrases, score rules — and returns a
//! [`Verdict`]. [`Filter::explain`] runs the same code and also records every stage, which is how a
//! maintainer debugs a miss.
//!
//! A clean post (no lexicon candidate) stops right after matching: no segmentation, no detectors,
//! no allocation beyond reused per-thread buffers. Most posts take the fast path
//! ([`crate::normalize::fast`]): the key view is built without offsets and, if the automaton finds
//! nothing in it, the full normalization never runs.

mod explain;
mod hits;

pub use explain::{CandidateTrace, DetectionTrace, Explanation, PhraseTrace, SegmentTrace};

use crate::detect::{Census, Detection, Detector, Detectors, Pretest};
use crate::error::Error;
use crate::lexicon::{Boundary, EntryKind, Lexicon, SignalId};
use crate::matcher::boundary::{
    check_exception_contiguous, check_latin_edges, check_slipped_gaps, needs_jieba,
    pair_base_start, written_in_capitals,
};
use crate::matcher::{Candidate, KeyHit, Matcher};
use crate::normalize::Normalized;
use crate::normalize::fast::{Built, FastKey};
use crate::rules::{Evidence, PhraseMatch, RuleMasks, SignalMask, bit};
use crate::segment::{self, Edges, Segmenter};
use crate::verdict::Verdict;
use hits::Found;
use std::cell::{Cell, RefCell};
use std::path::Path;
use std::sync::LazyLock;
use std::sync::atomic::{AtomicBool, Ordering};

/// A compiled filter. Build it once and share it (`Send + Sync`) across threads.
///
/// ```
/// use coinsieve::{Filter, Label};
///
/// let filter = Filter::shipped()?;
/// let verdict = filter.check("出 U 汇率 7.05，薇 abc_8899");
/// assert_eq!(verdict.label, Label::Block);
/// assert!(verdict.categories.contains(&"otc_offer".to_string()));
/// // spans point into the original text
/// let hit = &verdict.hits[0];
/// assert_eq!(&"出 U 汇率 7.05，薇 abc_8899"[hit.byte_start..hit.byte_end], hit.text);
/// # Ok::<(), coinsieve::Error>(())
/// ```
#[derive(Debug)]
pub struct Filter {
    lexicon: Lexicon,
    matcher: Matcher,
    segmenter: Segmenter,
    /// Signals that rules and phrases use as evidence (not context): quoting these is a mention.
    evidence_signals: SignalMask,
    /// Signals that only ever lower a score (context signals, `none` conditions). Exceptions
    /// never drop them: an allow-list entry must not be able to turn allow into block by
    /// hiding the news word or the gambling word that held a post down.
    lowering_only: SignalMask,
    /// Pictograph entries by their symbol, sorted: `(symbol, entry index)`.
    pictographs: Vec<(char, u32)>,
    /// The symbols of [`Filter::pictographs`]: most folded chars are no pictograph, and this
    /// says so without a binary search.
    pictograph_bits: CharBits,
    /// The signal ids of the detectors and marks, looked up by name once.
    signal_ids: SignalIds,
    /// The rules' signal masks, computed once (the lexicon, and so its rules, never change).
    rule_masks: RuleMasks,
}

/// True if `text` holds a `$` (ASCII or full-width), the one detector trigger that rules accept
/// without any lexicon term (cashtags). A byte search, so clean posts stay on the fast path.
fn may_anchor_without_terms(text: &str) -> bool {
    // `str::contains('＄')` looks for its last byte, 0x84, which ends many Chinese characters;
    // the substring searcher picks the pair of bytes least likely to occur
    static FULLWIDTH_DOLLAR: LazyLock<memchr::memmem::Finder<'static>> =
        LazyLock::new(|| memchr::memmem::Finder::new("＄"));
    memchr::memchr(b'$', text.as_bytes()).is_some()
        || FULLWIDTH_DOLLAR.find(text.as_bytes()).is_some()
}

/// Per-thread reusable buffers, so checking a post allocates nothing on the clean path.
#[derive(Default)]
struct Scratch {
    norm: Normalized,
    fast: FastKey,
    /// `fast` holds this post's key view (the clean-post path built it), which equals the full
    /// pipeline's: [`Normalized::normalize_keyed`] takes it instead of running the key steps.
    fast_built: bool,
    candidates: Vec<Candidate>,
    /// Every match the clean-post path found, and whether the cap left it complete (as
    /// [`Matcher::candidates`] answers); `None` when this post has no such list (no fast key
    /// view, or the search stopped early). That key view equals the full pipeline's, so the
    /// full pipeline takes this list instead of searching again.
    matches: Vec<Candidate>,
    matches_complete: Option<bool>,
    /// The match states the automaton passed while the clean-post path built the key view
    /// ([`Matcher::key_walk`]).
    key_hits: Vec<KeyHit>,
    detections: Vec<Detection>,
    /// The verified terms of this post (a working list of [`Filter::verified_terms`]).
    terms: Vec<Candidate>,
    /// This post's evidence list, then each piece as the rules see it: kept between posts so a
    /// full-path post does not allocate them anew.
    found: Vec<Found>,
    evidence: Vec<Evidence>,
    /// Jieba answers the clean-post path got for this post: a candidate's folded span and its
    /// [`Edges`]. Its folded view equals the full pipeline's, so the full pipeline reuses them.
    jieba_seen: Vec<((usize, usize), Edges)>,
    /// Set for this post by [`Filter::check_ready`]: do not wait for jieba's dictionary.
    no_wait: bool,
    /// This post needed jieba while its dictionary was still loading (with `no_wait`): its
    /// verdict is void.
    deferred: Cell<bool>,
}

thread_local! {
    static SCRATCH: RefCell<Scratch> = RefCell::new(Scratch::default());
}

impl Filter {
    /// The filter built from the lexicons compiled into the crate.
    pub fn shipped() -> Result<Filter, Error> {
        Filter::new(Lexicon::shipped()?)
    }

    /// Build from a lexicon directory (same layout as `lexicons/`).
    pub fn from_dir(dir: impl AsRef<Path>) -> Result<Filter, Error> {
        Filter::new(Lexicon::from_dir(dir)?)
    }

    /// Build from a loaded lexicon.
    pub fn new(lexicon: Lexicon) -> Result<Filter, Error> {
        Filter::with_matcher(lexicon, Matcher::build, false)
    }

    /// [`Filter::new`] followed by [`Filter::for_throughput`], without building the first
    /// automaton only to replace it. For a batch scan, which will need them: it also starts
    /// loading jieba's dictionary and compiling the detectors on threads of their own before
    /// it builds the automaton, so that they load while it builds (on a core that would idle)
    /// rather than alongside the scan's workers.
    pub fn new_for_throughput(lexicon: Lexicon) -> Result<Filter, Error> {
        Filter::with_matcher(lexicon, Matcher::build_for_throughput, true)
    }

    fn with_matcher(
        lexicon: Lexicon,
        build: fn(&[crate::lexicon::Entry]) -> Result<Matcher, Error>,
        preload: bool,
    ) -> Result<Filter, Error> {
        let segmenter = Segmenter::new(lexicon.segment_words().to_vec());
        if preload {
            start_background_loads(&segmenter);
        }
        let matcher = build(lexicon.entries())?;
        let evidence_signals = evidence_signals(lexicon.rules());
        let lowering_only = lowering_signals(lexicon.rules()) & !evidence_signals;
        let mut pictographs: Vec<(char, u32)> = (lexicon.entries().iter().enumerate())
            .filter(|(_, e)| e.pictograph)
            .filter_map(|(i, e)| e.key.key.chars().next().map(|c| (c, i as u32)))
            .collect();
        pictographs.sort_unstable();
        let pictograph_bits = pictographs.iter().map(|&(c, _)| c).collect();
        let rule_masks = RuleMasks::of(lexicon.rules());
        let signal_ids = SignalIds::of(&lexicon);
        Ok(Filter {
            lexicon,
            matcher,
            segmenter,
            evidence_signals,
            lowering_only,
            pictographs,
            pictograph_bits,
            signal_ids,
            rule_masks,
        })
    }

    /// Rebuild the automaton as a full DFA for batch throughput (about twice as fast to
    /// search, ~20 ms and ~6 MB more to build for the shipped lexicon). Verdicts do not change.
    /// `coinsieve scan` does this; a filter built for a few checks need not.
    ///
    /// ```
    /// let filter = coinsieve::Filter::shipped()?.for_throughput()?;
    /// assert!(filter.check("收U 6.95 微信 laozhang88").is_flagged());
    /// # Ok::<(), coinsieve::Error>(())
    /// ```
    pub fn for_throughput(mut self) -> Result<Filter, Error> {
        self.matcher = Matcher::build_for_throughput(self.lexicon.entries())?;
        Ok(self)
    }

    /// The lexicon this filter was built from.
    pub fn lexicon(&self) -> &Lexicon {
        &self.lexicon
    }

    /// True once some post has needed jieba and its dictionary has been loaded.
    pub fn segmenter_loaded(&self) -> bool {
        self.segmenter.is_loaded()
    }

    /// Check one post.
    pub fn check(&self, text: &str) -> Verdict {
        self.check_borrowed(text).into_owned()
    }

    /// [`Filter::check`] without copying the verdict's strings: its names borrow from this
    /// filter's lexicon and its hit texts from `text`. For a caller that reads each verdict and
    /// moves on (writes it out, counts its labels), this saves a few allocations per hit.
    ///
    /// ```
    /// let filter = coinsieve::Filter::shipped()?;
    /// let post = String::from("收U 6.95 微信 laozhang88");
    /// let verdict = filter.check_borrowed(&post);
    /// assert!(verdict.is_flagged());
    /// assert!(verdict.hits.iter().any(|h| h.text == "laozhang88"));
    /// assert_eq!(verdict.into_owned(), filter.check(&post));
    /// # Ok::<(), coinsieve::Error>(())
    /// ```
    pub fn check_borrowed<'a>(&'a self, text: &'a str) -> Verdict<&'a str> {
        self.with_scratch(|s| self.run(text, s, None, false))
    }

    /// [`Filter::check_borrowed`], unless the post needs jieba while its dictionary is still
    /// loading (see [`Filter::preload_in_background`]): then `None`, at once.
    pub(crate) fn check_ready<'a>(&'a self, text: &'a str) -> Option<Verdict<&'a str>> {
        self.with_scratch(|s| {
            let verdict = self.run(text, s, None, true);
            (!s.deferred.get()).then_some(verdict)
        })
    }

    /// Start loading jieba's dictionary and compiling the detectors, each on a thread of its
    /// own, for a batch scan, which will need them: the first post that needs them does not
    /// wait for them (~0.2 s and ~14 ms), unless they are not ready yet.
    pub(crate) fn preload_in_background(&self) {
        start_background_loads(&self.segmenter);
    }

    /// Check one post and record every stage of the pipeline.
    pub fn explain(&self, text: &str) -> Explanation {
        let mut trace = Explanation::new(text, self.lexicon.rules().thresholds);
        let verdict = self.with_scratch(|s| self.run(text, s, Some(&mut trace), false));
        trace.verdict = verdict.into_owned();
        trace
    }

    fn with_scratch<T>(&self, f: impl FnOnce(&mut Scratch) -> T) -> T {
        SCRATCH.with(|cell| match cell.try_borrow_mut() {
            Ok(mut s) => f(&mut s),
            Err(_) => f(&mut Scratch::default()),
        })
    }

    fn run<'a>(
        &'a self,
        text: &'a str,
        s: &mut Scratch,
        mut trace: Option<&mut Explanation>,
        no_wait: bool,
    ) -> Verdict<&'a str> {
        let rules = self.lexicon.rules();
        s.jieba_seen.clear();
        s.matches_complete = None;
        s.fast_built = false;
        (s.no_wait, s.deferred) = (no_wait, Cell::new(false));
        // A cashtag (`$WOOFY 100x`) can anchor rules with no lexicon term at all; every other
        // rule needs a term, so a post with no candidate and no `$` is done.
        let detector_only = may_anchor_without_terms(text);
        let clean = trace.is_none() && !detector_only && self.fast_clean(text, s);
        // a deferred post's verdict is thrown away: no need to go on
        if clean || s.deferred.get() {
            return Verdict::nothing_found();
        }
        if s.fast_built {
            s.norm.normalize_keyed(text, &s.fast);
        } else {
            s.norm.normalize(text);
        }
        s.candidates.clear();
        let complete = match s.matches_complete {
            Some(complete) => {
                std::mem::swap(&mut s.candidates, &mut s.matches);
                complete
            }
            None => (self.matcher).candidates(&s.norm, rules.max_hits * 4, &mut s.candidates),
        };
        if let Some(t) = trace.as_deref_mut() {
            t.record_views(&s.norm);
        }
        if s.candidates.is_empty() && !detector_only {
            return Verdict::nothing_found();
        }
        let (mut found, mut evidence) = (
            std::mem::take(&mut s.found),
            std::mem::take(&mut s.evidence),
        );
        let verdict = self.weigh(
            text,
            s,
            &mut found,
            &mut evidence,
            complete,
            detector_only,
            trace,
        );
        (s.found, s.evidence) = (found, evidence);
        verdict
    }

    /// The full pipeline after the candidates: verified terms, detections and phrases as
    /// evidence in `found` and `evidence` (working lists, cleared first), the rules, the verdict.
    #[allow(clippy::too_many_arguments)]
    fn weigh<'a>(
        &'a self,
        text: &'a str,
        s: &mut Scratch,
        found: &mut Vec<Found>,
        evidence: &mut Vec<Evidence>,
        complete: bool,
        detector_only: bool,
        mut trace: Option<&mut Explanation>,
    ) -> Verdict<&'a str> {
        let rules = self.lexicon.rules();
        found.clear();
        self.verified_terms(text, s, trace.as_deref_mut(), found);
        if found.is_empty() && !detector_only {
            return Verdict::nothing_found();
        }
        self.add_pictographs(&s.norm, found);
        self.add_detections(text, s, found, trace.as_deref_mut());
        found.sort_by_key(|f| (f.fstart, f.fend));
        evidence.clear();
        evidence.extend(found.iter().map(Found::evidence));
        let phrases = rules.phrases_in(evidence, |a, b| s.norm.folded_has_break(a, b));
        for p in &phrases {
            found.push(Found::phrase(p, &s.norm));
        }
        let disguised = self.disguised_signals(found, &phrases);
        evidence.extend(phrases.iter().map(|p| p.evidence));
        let signals = self.lexicon.signals();
        let outcome = rules.evaluate_masked(&self.rule_masks, evidence, signals, disguised);
        if let Some(t) = trace {
            t.record_phrases(&phrases, &self.lexicon, text, &s.norm);
        }
        hits::verdict(&self.lexicon, text, found, outcome, !complete)
    }

    /// The clean-post fast path: true if the full pipeline would find no verified term.
    ///
    /// The fast key view, whenever it is built, equals the full pipeline's key view (chars, gap
    /// flags, folded indices) and its folded view equals the full folded view. So a candidate
    /// rejected here by the Latin edge checks or by jieba is rejected there by the same code on
    /// the same chars; any candidate not rejected here (or an `l` variant, which needs source
    /// offsets) sends the post through the full pipeline.
    fn fast_clean(&self, text: &str, s: &mut Scratch) -> bool {
        // the automaton walks the key text as it is written, when it is a DFA
        let (built, walked) = match self.matcher.key_walk(&mut s.key_hits) {
            Some(mut walk) => (s.fast.build_observed(text, &[], &mut walk), true),
            None => (s.fast.build_observed(text, &[], &mut ()), false),
        };
        if built == Built::No {
            return false;
        }
        s.fast_built = true;
        let entries = self.lexicon.entries();
        // past the full pipeline's candidate cap, let it decide (it checks only that many)
        let cap = self.lexicon.rules().max_hits * 4;
        s.candidates.clear();
        s.matches.clear();
        let (key_text, key) = (s.fast.key_text(), s.fast.key_chars());
        let (plausible, all) = (&mut s.candidates, &mut s.matches);
        s.matches_complete = if walked && built == Built::Observed {
            let hits = &s.key_hits;
            (self.matcher).plausible_from_walk(hits, key, entries, cap, plausible, all)
        } else {
            (self.matcher).plausible(key_text, key, entries, cap, plausible, all)
        };
        if s.candidates.len() > cap {
            return false;
        }
        let mut folded_ready = false;
        for i in 0..s.candidates.len() {
            let c = s.candidates[i];
            let key = s.fast.key_chars();
            let (Some(e), Some(first), Some(last)) = (
                entries.get(c.entry as usize),
                key.get(c.start),
                c.end.checked_sub(1).and_then(|l| key.get(l)),
            ) else {
                return false;
            };
            let (check_start, check_end) = needs_jieba(key, c.start, c.end, e.boundary);
            if c.l_variant || !(check_start || check_end) {
                return false;
            }
            let (at_start, at_end) = (first.folded as usize, last.folded as usize + 1);
            if !folded_ready {
                // jieba reads only a few folded chars past a candidate: as many as the last
                // candidate left needs are enough
                let reach = (s.candidates[i..].iter())
                    .filter_map(|c| key.get(c.end.checked_sub(1)?))
                    .map(|k| k.folded as usize + 1)
                    .max()
                    .unwrap_or(at_end);
                s.fast
                    .folded_prefix(text, segment::folded_chars_read(reach));
                folded_ready = true;
            }
            let folded = s.fast.folded_chars();
            debug_assert!(
                folded.len() >= segment::folded_chars_read(at_end) || s.fast.folded_whole(),
                "{text:?}: {} folded chars for a candidate ending at {at_end}",
                folded.len()
            );
            let edges = self.edges_only(folded, at_start, at_end, s.no_wait, &s.deferred);
            s.jieba_seen.push(((at_start, at_end), edges));
            let rejected = (check_start && !edges.start) || (check_end && !edges.end);
            if !rejected {
                return false;
            }
        }
        true
    }

    /// Candidates that pass boundary checks, exceptions and overlap resolution.
    fn verified_terms(
        &self,
        text: &str,
        s: &mut Scratch,
        mut trace: Option<&mut Explanation>,
        found: &mut Vec<Found>,
    ) {
        let entries = self.lexicon.entries();
        let mut terms = std::mem::take(&mut s.terms);
        terms.clear();
        let key = s.norm.key();
        // accepted candidates: allow-list entries and terms
        let mut exceptions: Vec<Candidate> = Vec::new();
        for c in &s.candidates {
            let e = &entries[c.entry as usize];
            let edges = check_latin_edges(key, c.start, c.end, e.boundary)
                .and_then(|()| check_slipped_gaps(key, c.start, c.end, e.key.gaps))
                .and_then(|()| match e.kind {
                    EntryKind::Term => Ok(()),
                    _ => check_exception_contiguous(key, c.start, c.end, e.key.gaps),
                });
            // the reasons are static words: a rejected candidate costs no allocation
            let decision = match edges {
                Err(why) => Err(why.as_str()),
                Ok(()) if c.l_variant && !variant_has_one(text, &s.norm, c) => {
                    Err("l/i variant, but no 1 in the original")
                }
                Ok(()) if e.boundary == Boundary::Pair && !pair_in_capitals(text, &s.norm, c) => {
                    Err("glued to a word that is no pair symbol in capitals")
                }
                Ok(()) => self.check_jieba_edges(s, c, trace.as_deref_mut()),
            };
            if let Some(t) = trace.as_deref_mut() {
                t.record_candidate(&self.lexicon, c, &s.norm, decision.err());
            }
            match decision {
                Ok(()) if e.kind == EntryKind::Term => terms.push(*c),
                Ok(()) => exceptions.push(*c),
                Err(_) => {}
            }
        }
        let suppressed = self.suppressed_signals(&exceptions);
        let lowering_only = self.lowering_only;
        terms.retain(|c| {
            let e = &entries[c.entry as usize];
            if lowering_only & bit(e.signal) != 0 {
                return true;
            }
            let blocker = exceptions
                .iter()
                .find(|x| entries[x.entry as usize].kind == EntryKind::Allow && overlaps(x, c));
            let why = match blocker {
                Some(x) => Some(format!(
                    "dropped: overlaps exception {:?}",
                    entries[x.entry as usize].pattern
                )),
                None if suppressed & bit(e.signal) != 0 => {
                    Some("dropped: signal suppressed by a post-wide exception".to_string())
                }
                None => None,
            };
            if let (Some(t), Some(why)) = (trace.as_deref_mut(), &why) {
                t.redecide(c, why);
            }
            why.is_none()
        });
        let nested = self.lexicon.rules().nested_signals;
        longest_first(&mut terms, entries, nested, &mut trace);
        found.extend(
            (terms.iter()).map(|c| Found::term(c, &entries[c.entry as usize], &s.norm, text)),
        );
        s.terms = terms;
    }

    fn check_jieba_edges(
        &self,
        s: &Scratch,
        c: &Candidate,
        trace: Option<&mut Explanation>,
    ) -> Result<(), &'static str> {
        let e = &self.lexicon.entries()[c.entry as usize];
        let key = s.norm.key();
        let (check_start, check_end) = needs_jieba(key, c.start, c.end, e.boundary);
        if !(check_start || check_end) {
            return Ok(());
        }
        let span = (
            key[c.start].folded as usize,
            key[c.end - 1].folded as usize + 1,
        );
        let edges = match trace {
            Some(t) => {
                let (edges, window) = self.segmenter.edges(s.norm.folded(), span.0, span.1);
                t.record_segmentation(vec![window]);
                edges
            }
            None => match s.jieba_seen.iter().find(|(seen, _)| *seen == span) {
                Some(&(_, edges)) => edges,
                None => self.edges_only(s.norm.folded(), span.0, span.1, s.no_wait, &s.deferred),
            },
        };
        if check_start && !edges.start {
            Err("not at a jieba word start")
        } else if check_end && !edges.end {
            Err("not at a jieba word end")
        } else {
            Ok(())
        }
    }

    /// [`Segmenter::edges_only`]; with `no_wait`, while the dictionary is loading, marks the
    /// post `deferred` (its verdict is void) and answers anything.
    fn edges_only(
        &self,
        folded: &[crate::normalize::NormChar],
        start: usize,
        end: usize,
        no_wait: bool,
        deferred: &Cell<bool>,
    ) -> Edges {
        if !no_wait {
            return self.segmenter.edges_only(folded, start, end);
        }
        (self.segmenter.edges_if_loaded(folded, start, end)).unwrap_or_else(|| {
            deferred.set(true);
            Edges {
                start: true,
                end: true,
            }
        })
    }

    fn suppressed_signals(&self, exceptions: &[Candidate]) -> SignalMask {
        exceptions.iter().fold(0, |m, x| {
            match &self.lexicon.entries()[x.entry as usize].kind {
                EntryKind::AllowPost(signals) => signals.iter().fold(m, |m, &s| m | bit(s)),
                _ => m,
            }
        })
    }

    fn add_detections(
        &self,
        text: &str,
        s: &mut Scratch,
        found: &mut Vec<Found>,
        trace: Option<&mut Explanation>,
    ) {
        let rules = self.lexicon.rules();
        let channel_ends: Vec<usize> = found
            .iter()
            .filter(|f| rules.channel_signals & bit(f.signal) != 0)
            .map(|f| s.norm.folded_byte(f.fend))
            .collect();
        let before = found.len();
        let census = Census::of(s.norm.folded_text());
        self.mark_quoted(&s.norm, &census, found);
        self.mark_question(&s.norm, found);
        s.detections.clear();
        let from_folded = Detectors::with_local(|detectors| {
            let folded = s.norm.folded_text();
            detectors.detect_folded_census(folded, &census, &channel_ends, &mut s.detections);
            let from_folded = s.detections.len();
            detectors.detect_original(text, &mut s.detections);
            from_folded
        });
        for (i, d) in s.detections.iter().enumerate() {
            let Some(signal) = self.detector_signal(d) else {
                continue;
            };
            let weight = rules.detector_weight(signal);
            found.push(Found::detection(
                d,
                signal,
                weight,
                i < from_folded,
                &s.norm,
            ));
        }
        if let Some(t) = trace {
            t.record_detections(&found[before..], text);
        }
    }

    /// Signals the author disguised: evasive lexicon terms (not context words, which lower
    /// scores) and the phrases built over them.
    fn disguised_signals(&self, found: &[Found], phrases: &[PhraseMatch]) -> SignalMask {
        let hidden = |f: &&Found| {
            f.evasive
                && matches!(f.source, hits::Source::Entry(_))
                && self.lowering_only & bit(f.signal) == 0
        };
        let mut mask = found
            .iter()
            .filter(hidden)
            .fold(0, |m, f| m | bit(f.signal));
        if mask == 0 {
            return 0;
        }
        for p in phrases {
            let e = &p.evidence;
            if found
                .iter()
                .filter(hidden)
                .any(|f| f.fstart < e.end && e.start < f.fend)
            {
                mask |= bit(e.signal);
            }
        }
        mask
    }

    /// Pictograph terms (`✈` for Telegram) found by scanning the folded text, at most
    /// `max_hits` of them.
    fn add_pictographs(&self, norm: &Normalized, found: &mut Vec<Found>) {
        if self.pictographs.is_empty() {
            return;
        }
        let entries = self.lexicon.entries();
        let mut added = 0;
        for (i, c) in norm.folded().iter().enumerate() {
            if !self.pictograph_bits.may_hold(c.ch) {
                continue;
            }
            let first = self.pictographs.partition_point(|&(p, _)| p < c.ch);
            for &(_, ei) in self.pictographs[first..]
                .iter()
                .take_while(|&&(p, _)| p == c.ch)
            {
                found.push(Found::pictograph(ei, &entries[ei as usize], i, norm));
                added += 1;
            }
            if added >= self.lexicon.rules().max_hits {
                return;
            }
        }
    }

    /// A question mark in the post: questions ask about offers rather than make them.
    fn mark_question(&self, norm: &Normalized, found: &mut Vec<Found>) {
        let Some(signal) = self.signal_ids.question_mark else {
            return;
        };
        if let Some((a, b)) = crate::detect::quote::question_mark(norm.folded_text()) {
            let (fs, fe) = (
                norm.folded_index_at_byte(a),
                norm.folded_index_at_byte(b.saturating_sub(1)) + 1,
            );
            found.push(Found::mark(
                signal,
                fs,
                fe,
                norm.folded_src_span(fs, fe),
                hits::Source::QuestionMark,
            ));
        }
    }

    /// Evidence terms inside short quotes are mentions: add a `quoted` hit for each.
    /// `census` is the [`Census`] of the folded text.
    fn mark_quoted(&self, norm: &Normalized, census: &Census, found: &mut Vec<Found>) {
        let Some(quoted) = self.signal_ids.quoted else {
            return;
        };
        if !census.holds(Pretest::QuoteMark) {
            return;
        }
        let folded = norm.folded_text();
        let spans = crate::detect::quote::quoted_spans(folded);
        let evidence = self.evidence_signals;
        let inside = |f: &Found, (qa, qb): (usize, usize)| {
            let (a, b) = (norm.folded_byte(f.fstart), norm.folded_byte(f.fend));
            evidence & bit(f.signal) != 0 && qa <= a && b <= qb
        };
        let mut marks: Vec<Found> = Vec::new();
        for &(qa, qb) in &spans {
            // the quote must wrap the terms themselves, not a longer name that contains one
            let inner =
                norm.folded_index_at_byte(qb.saturating_sub(1)) + 1 - norm.folded_index_at_byte(qa);
            let covered: usize = found
                .iter()
                .filter(|f| inside(f, (qa, qb)))
                .map(|f| f.fend - f.fstart)
                .sum();
            if covered * 10 >= inner * 6 {
                marks.extend(
                    found
                        .iter()
                        .filter(|f| inside(f, (qa, qb)))
                        .map(|f| Found::quoted(f, quoted)),
                );
            }
        }
        found.extend(marks);
    }

    fn detector_signal(&self, d: &Detection) -> Option<SignalId> {
        self.signal_ids.detectors[d.detector as usize]
    }
}

/// A set of chars as one bit per `char % 1024`: `may_hold` is never false for a char it was
/// collected from, and rarely true for one it was not.
#[derive(Debug, Clone, Default)]
struct CharBits([u64; 16]);

impl CharBits {
    fn slot(c: char) -> (usize, u64) {
        let i = c as usize % 1024;
        (i / 64, 1 << (i % 64))
    }

    fn may_hold(&self, c: char) -> bool {
        let (word, bit) = Self::slot(c);
        self.0[word] & bit != 0
    }
}

impl FromIterator<char> for CharBits {
    fn from_iter<I: IntoIterator<Item = char>>(chars: I) -> Self {
        let mut bits = CharBits::default();
        for c in chars {
            let (word, bit) = Self::slot(c);
            bits.0[word] |= bit;
        }
        bits
    }
}

/// Signal ids the pipeline needs for every flagged post, by name once instead of per post.
#[derive(Debug, Clone)]
struct SignalIds {
    /// Each [`Detector`]'s signal, indexed by `detector as usize` (`None`: no rule uses it).
    detectors: [Option<SignalId>; Detector::ALL.len()],
    quoted: Option<SignalId>,
    question_mark: Option<SignalId>,
}

impl SignalIds {
    fn of(lexicon: &Lexicon) -> SignalIds {
        let signals = lexicon.signals();
        SignalIds {
            detectors: Detector::ALL.map(|d| signals.id(d.name())),
            quoted: signals.id(crate::lexicon::QUOTED_SIGNAL),
            question_mark: signals.id(crate::lexicon::QUESTION_MARK_SIGNAL),
        }
    }
}

impl Normalized {
    /// True if folded chars `a..b` contain a sentence or line break.
    pub fn folded_has_break(&self, a: usize, b: usize) -> bool {
        let folded = self.folded();
        (a..b.min(folded.len())).any(|i| crate::normalize::separators::is_sentence_break(folded, i))
    }
}

/// Start loading jieba's dictionary for `segmenter` and compiling the shared detectors, each on
/// a thread of its own (at most once each).
fn start_background_loads(segmenter: &Segmenter) {
    segmenter.load_in_background();
    preload_detectors_in_background();
}

/// Compile the shared detectors ([`Detectors::shared`]) on a thread of its own, so that the
/// first flagged post of a batch scan does not wait ~14 ms for them. Without a thread, that post
/// compiles them.
fn preload_detectors_in_background() {
    static STARTED: AtomicBool = AtomicBool::new(false);
    if STARTED.swap(true, Ordering::Relaxed) {
        return; // compiling or compiled already
    }
    let spawned = std::thread::Builder::new()
        .name("coinsieve-detectors".into())
        .spawn(|| {
            Detectors::shared();
        });
    drop(spawned);
}

fn evidence_signals(rules: &crate::rules::RuleSet) -> SignalMask {
    let from_rules = rules.rules.iter().flat_map(|r| r.evidence());
    let from_phrases = rules.phrases.iter().flat_map(|p| [&p.first, &p.then]);
    from_rules
        .chain(from_phrases.copied())
        .fold(0, |m, s| m | bit(s))
}

/// Signals used to lower scores: context penalties and rules' `none` conditions.
fn lowering_signals(rules: &crate::rules::RuleSet) -> SignalMask {
    let from_contexts = rules.contexts.iter().fold(0, |m, c| m | bit(c.signal));
    rules.rules.iter().fold(from_contexts, |m, r| m | r.none)
}

/// A `boundary=pair` match ends a trading-pair symbol written in capitals (`ADAUSDT`): the edge
/// check found the glued base in the key view, this checks the original case.
fn pair_in_capitals(text: &str, norm: &Normalized, c: &Candidate) -> bool {
    pair_base_start(norm.key(), c.start).is_some_and(|base| {
        let (a, b) = norm.key_src_span(base, c.end);
        text.get(a..b).is_some_and(written_in_capitals)
    })
}

fn variant_has_one(text: &str, norm: &Normalized, c: &Candidate) -> bool {
    let (a, b) = norm.key_src_span(c.start, c.end);
    text.get(a..b).is_some_and(crate::matcher::has_one_for_l)
}

fn overlaps(a: &Candidate, b: &Candidate) -> bool {
    a.start < b.end && b.start < a.end
}

/// Drop candidates contained in a longer one (`币` inside `比特币`, `收` inside `收u`). Partial
/// overlaps (`加v` / `v信`) and the same span in two roles both stay: each is evidence. A
/// candidate of a `nested` signal (the crypto anchors) stays inside a container of another
/// signal.
fn longest_first(
    terms: &mut Vec<Candidate>,
    entries: &[crate::lexicon::Entry],
    nested: SignalMask,
    trace: &mut Option<&mut Explanation>,
) {
    terms.sort_by_key(|c| (std::cmp::Reverse(c.end - c.start), c.start));
    let signal = |c: &Candidate| entries[c.entry as usize].signal;
    // the kept terms gather at the front of `terms`, in place: `terms[..kept]`
    let mut kept = 0;
    for i in 0..terms.len() {
        let c = terms[i];
        let keeps_nested = nested & bit(signal(&c)) != 0;
        let container = terms[..kept].iter().find(|k| {
            k.start <= c.start
                && c.end <= k.end
                && k.end - k.start > c.end - c.start
                && !(keeps_nested && signal(k) != signal(&c))
        });
        match container {
            Some(k) => {
                if let Some(t) = trace.as_deref_mut() {
                    t.redecide(
                        &c,
                        &format!(
                            "dropped: inside a longer match at key {}..{}",
                            k.start, k.end
                        ),
                    );
                }
            }
            None => {
                terms[kept] = c;
                kept += 1;
            }
        }
    }
    terms.truncate(kept);
    terms.sort_by_key(|c| c.start);
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn filter() -> &'static Filter {
        static F: std::sync::OnceLock<Filter> = std::sync::OnceLock::new();
        F.get_or_init(|| Filter::shipped().expect("shipped lexicon"))
    }

    /// The batch build: its automaton is a full DFA, which walks the key text as the clean-post
    /// path writes it.
    fn batch_filter() -> &'static Filter {
        static F: std::sync::OnceLock<Filter> = std::sync::OnceLock::new();
        F.get_or_init(|| {
            let lexicon = Lexicon::shipped().expect("shipped lexicon");
            Filter::new_for_throughput(lexicon).expect("filter")
        })
    }

    #[test]
    fn a_dollar_sign_of_either_width_anchors_a_post_without_terms() {
        // 径 ends in the byte 0x84, as `＄` does
        assert!(!may_anchor_without_terms("径径径 no dollar"));
        assert!(may_anchor_without_terms("径径 ＄ZAPH"));
        assert!(may_anchor_without_terms("径径 $ZAPH"));
        assert!(!may_anchor_without_terms(""));
        let (ascii, wide) = (
            filter().check("$ZAPH 100x soon"),
            filter().check("＄ZAPH 100x soon"),
        );
        assert_eq!(ascii.label, crate::Label::Block);
        assert_eq!((wide.label, wide.rules), (ascii.label, ascii.rules));
    }

    #[test]
    fn only_the_batch_build_starts_loading_jieba() {
        let lexicon = Lexicon::shipped().expect("shipped lexicon");
        let quick = Filter::new(lexicon.clone()).expect("filter");
        assert!(!quick.segmenter.load_started());
        let batch = Filter::new_for_throughput(lexicon).expect("filter");
        assert!(batch.segmenter.load_started());
        // a post whose candidate needs jieba's word edges waits for the load it started
        let needs_jieba = "我想买一点币";
        quick.check(needs_jieba);
        assert!(
            quick.segmenter_loaded(),
            "the quick filter loaded jieba for it"
        );
        assert_eq!(batch.check(needs_jieba), quick.check(needs_jieba));
        assert!(batch.segmenter_loaded());
    }

    #[test]
    fn every_pictograph_is_found_beside_chars_that_share_its_pretest_bit() {
        let f = filter();
        assert!(!f.pictographs.is_empty());
        for &(p, _) in &f.pictographs {
            // an ideograph with the same `% 1024` as the pictograph passes the pretest too
            let same_bit = 0x4C00 + p as u32 % 1024;
            let same_bit = char::from_u32(same_bit + if same_bit < 0x4E00 { 1024 } else { 0 });
            let Some(same_bit) = same_bit else {
                panic!("{p:?}: no ideograph shares its bit")
            };
            let text = format!("收U 6.95 {same_bit}{p}{same_bit}");
            let verdict = f.check(&text);
            let found = verdict.hits.iter().any(|h| h.text.starts_with(p));
            assert!(found, "{text:?}: no hit for {p:?} in {:?}", verdict.hits);
        }
    }

    /// `check` takes the clean-post fast path, `explain` never does: same verdicts, with the
    /// automaton searching the key text after it is built and (the batch build) while it is
    /// written.
    fn same_verdict(text: &str) -> Result<(), String> {
        let full = filter().explain(text).verdict;
        for (build, f) in [("quick", filter()), ("batch", batch_filter())] {
            let fast = f.check(text);
            if fast != full {
                return Err(format!(
                    "{text:?}: {build} check {fast:?} vs explain {full:?}"
                ));
            }
        }
        Ok(())
    }

    #[test]
    fn fast_path_never_changes_a_verdict_on_the_corpora() {
        let texts = crate::eval::corpus::project_corpus_texts();
        for t in &texts {
            same_verdict(t).unwrap();
        }
        assert!(texts.len() > 100);
    }

    fn word() -> impl Strategy<Value = String> {
        prop::sample::select(vec![
            "买",
            "买菜",
            "卖",
            "收",
            "出",
            "u",
            "U",
            "币",
            "比特币",
            "usdt",
            "微信",
            "加",
            "v",
            "今天",
            "天气",
            "不错",
            "去",
            "了",
            "，",
            "。",
            "！",
            " ",
            "\n",
            "tg",
            "eth",
            "the",
            "meeting",
            "great",
            "pump",
            "moon",
            "m00n",
            "se11",
            "sell",
            "a",
            "b",
            "7.05",
            "123",
            "888",
            "@abc",
            "$5",
            "?",
            "？",
            "“",
            "”",
            "✈",
            "收u",
            "换u",
            "回",
            "汇率",
            "跑分",
            "bitcoin",
            "b1tc01n",
            "buy",
            "cash",
            "otc",
            "ＵＳＤＴ",
            "幣",
            "一二三四五六",
        ])
        .prop_map(str::to_string)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        #[test]
        fn fast_path_never_changes_a_verdict(words in prop::collection::vec(word(), 0..16)) {
            let text: String = words.concat();
            prop_assert!(same_verdict(&text).is_ok(), "{}", same_verdict(&text).unwrap_err());
        }

        /// Candidates anywhere in a long run of ideographs: jieba's window on either side of
        /// them reaches, or not, past the folded chars the fast path folds again.
        #[test]
        fn fast_path_agrees_in_long_posts(
            words in prop::collection::vec(word(), 1..6),
            before in 0usize..40,
            after in 0usize..40,
        ) {
            let filler = |n: usize| "今天天气很好我们去公园散步".chars().cycle().take(n).collect::<String>();
            let text = filler(before) + &words.concat() + &filler(after);
            prop_assert!(same_verdict(&text).is_ok(), "{}", same_verdict(&text).unwrap_err());
        }
    }
}
