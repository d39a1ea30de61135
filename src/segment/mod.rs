//! Segmentation: jieba word boundaries, only where a candidate hit needs them.
//!
//! Short Chinese terms are ambiguous: `币` is a coin in `收币` but part of `人民币`. Entries marked
//! `boundary=jieba` are accepted only when their Chinese edges fall on jieba word boundaries.
//! Segmenting costs far more than matching, so it is done lazily: the dictionary loads on the first
//! post that needs it (a clean post never pays for it), and only a small window around the
//! candidate is segmented, so a huge post costs no more than a short one.

use crate::normalize::NormChar;
use jieba_rs::Jieba;
use std::sync::{Arc, OnceLock};

/// Characters of context on each side of a checked position.
pub const WINDOW: usize = 12;

/// A lazily loaded jieba segmenter with the lexicon's extra words.
#[derive(Default)]
pub struct Segmenter {
    /// Shared with a background loader ([`Segmenter::load_in_background`]).
    jieba: Arc<OnceLock<Jieba>>,
    extra_words: Arc<[String]>,
}

impl std::fmt::Debug for Segmenter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Segmenter")
            .field("loaded", &self.jieba.get().is_some())
            .field("extra_words", &self.extra_words.len())
            .finish()
    }
}

/// The words jieba produced for a window of text, for explanations.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// Folded char index where the window starts.
    pub start: usize,
    /// The tokens, in order.
    pub tokens: Vec<String>,
}

impl Segmenter {
    /// A segmenter that will add `extra_words` (already folded) to jieba's dictionary when it loads.
    pub fn new(extra_words: Vec<String>) -> Self {
        Segmenter {
            jieba: Arc::default(),
            extra_words: extra_words.into(),
        }
    }

    /// True once the dictionary has been loaded (by the first post that needed it).
    pub fn is_loaded(&self) -> bool {
        self.jieba.get().is_some()
    }

    /// Start loading the dictionary on a thread of its own, unless it is loaded already, so that
    /// a batch scan does not wait for it (~0.2 s) on the first post that needs it. A post that
    /// needs it while it loads waits as before. The thread is detached: a short scan does not
    /// wait for it either.
    pub fn load_in_background(&self) {
        if self.is_loaded() {
            return;
        }
        let (cell, words) = (Arc::clone(&self.jieba), Arc::clone(&self.extra_words));
        let spawned = std::thread::Builder::new()
            .name("coinsieve-jieba".into())
            .spawn(move || {
                cell.get_or_init(|| load(&words));
            });
        // without a thread, the first post that needs the dictionary loads it
        drop(spawned);
    }

    fn jieba(&self) -> &Jieba {
        self.jieba.get_or_init(|| load(&self.extra_words))
    }

    /// Like [`Segmenter::edges_only`], but `None` instead of waiting while the dictionary is not
    /// loaded yet.
    pub fn edges_if_loaded(&self, folded: &[NormChar], start: usize, end: usize) -> Option<Edges> {
        let jieba = self.jieba.get()?;
        Some(edges_in(jieba, folded, start, end, &mut |_| {}))
    }

    /// Segment the folded chars from [`WINDOW`] before `start` to [`WINDOW`] after `end` (one
    /// jieba cut for both edges of a candidate) and report whether `start` and `end` are word
    /// boundaries (the start of a token, or an edge of the text), with the window's tokens.
    pub fn edges(&self, folded: &[NormChar], start: usize, end: usize) -> (Edges, Window) {
        let mut window = Window {
            start: start.saturating_sub(WINDOW),
            tokens: Vec::new(),
        };
        let edges = edges_in(self.jieba(), folded, start, end, &mut |word| {
            window.tokens.push(word.to_string());
        });
        (edges, window)
    }

    /// [`Segmenter::edges`] without copying the window's tokens (for the verdict path, which
    /// does not explain itself).
    pub fn edges_only(&self, folded: &[NormChar], start: usize, end: usize) -> Edges {
        edges_in(self.jieba(), folded, start, end, &mut |_| {})
    }

    /// Whether folded position `pos` is a word boundary: [`Segmenter::edges`] of the empty span
    /// at `pos`, so the window reaches [`WINDOW`] chars each side of it.
    pub fn is_boundary(&self, folded: &[NormChar], pos: usize) -> (bool, Window) {
        let (edges, window) = self.edges(folded, pos, pos);
        (edges.start, window)
    }

    /// The first half of [`Segmenter::is_boundary`] alone, without copying the window's tokens.
    pub fn is_boundary_only(&self, folded: &[NormChar], pos: usize) -> bool {
        self.edges_only(folded, pos, pos).start
    }
}

/// Whether the two edges of a candidate fall on jieba word boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edges {
    /// The candidate's first char starts a token (or the text).
    pub start: bool,
    /// The candidate's last char ends a token (or the text).
    pub end: bool,
}

/// jieba's dictionary plus `extra_words`.
fn load(extra_words: &[String]) -> Jieba {
    let mut j = Jieba::new();
    for w in extra_words {
        j.add_word(w, Some(100_000), None);
    }
    j
}

/// [`Segmenter::edges`] with `jieba`: each token's word goes to `word` in order.
fn edges_in(
    jieba: &Jieba,
    folded: &[NormChar],
    start: usize,
    end: usize,
    word: &mut dyn FnMut(&str),
) -> Edges {
    let at_edge = |pos: usize| pos == 0 || pos >= folded.len();
    let mut edges = Edges {
        start: at_edge(start),
        end: at_edge(end),
    };
    let (from, text) = window_text(folded, start, end);
    for t in jieba.cut(&text, false) {
        word(t.word);
        edges.start |= from + t.start == start;
        edges.end |= from + t.start == end;
    }
    edges
}

/// The folded chars from [`WINDOW`] before `start` to [`WINDOW`] after `end` as text, and the
/// index of its first char.
fn window_text(folded: &[NormChar], start: usize, end: usize) -> (usize, String) {
    let from = start.saturating_sub(WINDOW);
    let to = end.saturating_add(WINDOW).min(folded.len());
    let text = (folded.get(from..to).unwrap_or(&[]).iter())
        .map(|c| c.ch)
        .collect();
    (from, text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chars(s: &str) -> Vec<NormChar> {
        NormChar::plain(s)
    }

    #[test]
    fn coin_inside_renminbi_is_not_a_word() {
        let seg = Segmenter::default();
        assert!(!seg.is_loaded());
        let text = chars("我有一百块人民币");
        assert!(
            !seg.is_boundary(&text, 7).0,
            "币 starts no token inside 人民币"
        );
        assert!(seg.is_loaded());
        let text = chars("大量收币，价格好");
        assert!(seg.is_boundary(&text, 2).0);
        for pos in 0..=text.len() + 1 {
            assert_eq!(
                seg.is_boundary_only(&text, pos),
                seg.is_boundary(&text, pos).0
            );
        }
    }

    #[test]
    fn extra_words_change_segmentation() {
        let text = chars("收u盘");
        assert!(
            Segmenter::default().is_boundary(&text, 2).0,
            "without the word, u盘 splits"
        );
        let seg = Segmenter::new(vec!["u盘".into()]);
        assert!(!seg.is_boundary(&text, 2).0);
        assert!(seg.is_boundary(&text, 0).0 && seg.is_boundary(&text, 3).0);
    }
}
