//! Explanations: every stage of the pipeline for one post, for maintainers debugging a miss.

use super::hits::{Found, Source};
use crate::lexicon::Lexicon;
use crate::matcher::Candidate;
use crate::normalize::Normalized;
use crate::rules::{PhraseMatch, Thresholds};
use crate::segment::Window;
use crate::verdict::Verdict;
use serde::Serialize;
use std::fmt;

/// What the pipeline saw and decided at each stage, ending in the verdict.
#[derive(Debug, Clone, Serialize)]
pub struct Explanation {
    /// The post as given.
    pub original: String,
    /// Folded view: width, case, traditional → simplified, numerals (what detectors read).
    pub folded: String,
    /// Key view: separators removed, disguises undone (what the automaton reads); `⏎` marks a break.
    pub key: String,
    /// Every automaton candidate and what became of it.
    pub candidates: Vec<CandidateTrace>,
    /// jieba windows segmented for boundary checks (empty when no candidate needed jieba).
    pub segmentation: Vec<SegmentTrace>,
    /// Structured detector findings.
    pub detections: Vec<DetectionTrace>,
    /// Phrases found.
    pub phrases: Vec<PhraseTrace>,
    /// Review and block thresholds.
    pub thresholds: (f64, f64),
    /// The final verdict.
    pub verdict: Verdict,
}

/// One automaton candidate.
#[derive(Debug, Clone, Serialize)]
pub struct CandidateTrace {
    /// Entry name (alias target or pattern).
    pub entry: String,
    /// Pattern as written.
    pub pattern: String,
    /// Signal, or `allow` for exceptions.
    pub signal: String,
    /// Where the entry is defined (file:line:column).
    pub defined_at: String,
    /// The original text matched.
    pub text: String,
    /// `accepted`, or why it was rejected or dropped.
    pub decision: String,
    /// Key span start (chars).
    pub key_start: usize,
    /// Key span end (chars).
    pub key_end: usize,
    #[serde(skip)]
    entry_index: u32,
}

/// One segmented window.
#[derive(Debug, Clone, Serialize)]
pub struct SegmentTrace {
    /// The tokens jieba produced.
    pub tokens: Vec<String>,
}

/// One detector finding.
#[derive(Debug, Clone, Serialize)]
pub struct DetectionTrace {
    /// Detector (signal) name.
    pub detector: String,
    /// The original text.
    pub text: String,
}

/// One phrase found.
#[derive(Debug, Clone, Serialize)]
pub struct PhraseTrace {
    /// Phrase name.
    pub name: String,
    /// Signal it emits.
    pub signal: String,
    /// The original text spanned.
    pub text: String,
}

impl Explanation {
    pub(super) fn new(text: &str, t: Thresholds) -> Self {
        Explanation {
            original: text.to_string(),
            folded: String::new(),
            key: String::new(),
            candidates: Vec::new(),
            segmentation: Vec::new(),
            detections: Vec::new(),
            phrases: Vec::new(),
            thresholds: (t.review, t.block),
            verdict: Verdict::allow(),
        }
    }

    pub(super) fn record_views(&mut self, norm: &Normalized) {
        self.folded = norm.folded_text().to_string();
        self.key = norm.key_text().replace('\n', "⏎");
    }

    pub(super) fn record_candidate(
        &mut self,
        lexicon: &Lexicon,
        c: &Candidate,
        norm: &Normalized,
        rejected: Option<&str>,
    ) {
        let Some(e) = lexicon.entries().get(c.entry as usize) else {
            return;
        };
        let (a, b) = norm.key_src_span(c.start, c.end);
        self.candidates.push(CandidateTrace {
            entry: e.name.clone(),
            pattern: e.pattern.clone(),
            signal: lexicon.signals().name(e.signal).to_string(),
            defined_at: e.origin.to_string(),
            text: self.original.get(a..b).unwrap_or("").to_string(),
            decision: rejected.map_or_else(|| "accepted".to_string(), |r| format!("rejected: {r}")),
            key_start: c.start,
            key_end: c.end,
            entry_index: c.entry,
        });
    }

    pub(super) fn redecide(&mut self, c: &Candidate, why: &str) {
        if let Some(t) = self
            .candidates
            .iter_mut()
            .find(|t| t.entry_index == c.entry && t.key_start == c.start && t.key_end == c.end)
        {
            t.decision = why.to_string();
        }
    }

    pub(super) fn record_segmentation(&mut self, windows: Vec<Window>) {
        for w in windows {
            if !self.segmentation.iter().any(|s| s.tokens == w.tokens) {
                self.segmentation.push(SegmentTrace { tokens: w.tokens });
            }
        }
    }

    pub(super) fn record_detections(&mut self, found: &[Found], text: &str) {
        for f in found {
            if let Source::Detector(d) = f.source {
                let text = text.get(f.src.0..f.src.1).unwrap_or("").to_string();
                self.detections.push(DetectionTrace {
                    detector: d.name().to_string(),
                    text,
                });
            }
        }
    }

    pub(super) fn record_phrases(
        &mut self,
        phrases: &[PhraseMatch],
        lexicon: &Lexicon,
        text: &str,
        norm: &Normalized,
    ) {
        for p in phrases {
            let (a, b) = norm.folded_src_span(p.evidence.start, p.evidence.end);
            let Some(def) = lexicon.rules().phrases.get(p.phrase) else {
                continue;
            };
            self.phrases.push(PhraseTrace {
                name: def.name.clone(),
                signal: lexicon.signals().name(def.signal).to_string(),
                text: text.get(a..b).unwrap_or("").to_string(),
            });
        }
    }
}

impl fmt::Display for Explanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(f, "original    {}", self.original)?;
        writeln!(f, "1 normalize folded  {}", self.folded)?;
        writeln!(f, "            key     {}", self.key)?;
        writeln!(f, "2 match     {} candidate(s)", self.candidates.len())?;
        for c in &self.candidates {
            writeln!(
                f,
                "    {:<18} {:<16} {:?} ({}) [{}]",
                c.signal, c.entry, c.text, c.decision, c.defined_at
            )?;
        }
        if !self.segmentation.is_empty() {
            writeln!(
                f,
                "3 segment   (jieba, only around candidates that need it)"
            )?;
            for s in &self.segmentation {
                writeln!(f, "    {}", s.tokens.join(" | "))?;
            }
        } else {
            writeln!(f, "3 segment   not needed")?;
        }
        writeln!(f, "4 detect    {} finding(s)", self.detections.len())?;
        for d in &self.detections {
            writeln!(f, "    {:<18} {:?}", d.detector, d.text)?;
        }
        for p in &self.phrases {
            writeln!(f, "    phrase {:<11} {:?}", p.name, p.text)?;
        }
        let v = &self.verdict;
        writeln!(f, "5 rules     {} fired", v.rules.len())?;
        for r in &v.rules {
            writeln!(f, "    {:<34} {:<12} +{}", r.name, r.category, r.score)?;
        }
        for c in &v.context {
            writeln!(f, "    context {:<26} {}", c.signal, c.signed())?;
        }
        let (review, block) = self.thresholds;
        write!(
            f,
            "6 verdict   score {} → {} (review ≥ {review}, block ≥ {block})",
            v.score, v.label
        )?;
        if !v.categories.is_empty() {
            write!(f, " [{}]", v.categories.join(", "))?;
        }
        Ok(())
    }
}
