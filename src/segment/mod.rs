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

    /// Like [`Segmenter::is_boundary_only`], but `None` instead of waiting while the dictionary
    /// is not loaded yet.
    pub fn is_boundary_if_loaded(&self, folded: &[NormChar], pos: usize) -> Option<bool> {
        let jieba = self.jieba.get()?;
        Some(boundary_in(jieba, folded, pos))
    }

    /// Segment the folded chars around `pos` and report whether `pos` is a word boundary
    /// (the start of a token, or the edge of the text).
    pub fn is_boundary(&self, folded: &[NormChar], pos: usize) -> (bool, Window) {
        let (start, text) = window_text(folded, pos);
        let tokens = self.jieba().cut(&text, false);
        let boundary =
            pos == 0 || pos >= folded.len() || tokens.iter().any(|t| start + t.start == pos);
        let window = Window {
            start,
            tokens: tokens.iter().map(|t| t.word.to_string()).collect(),
        };
        (boundary, window)
    }

    /// The first half of [`Segmenter::is_boundary`] alone, without copying the window's tokens
    /// (for the clean-post path, which does not explain itself).
    pub fn is_boundary_only(&self, folded: &[NormChar], pos: usize) -> bool {
        boundary_in(self.jieba(), folded, pos)
    }
}

/// jieba's dictionary plus `extra_words`.
fn load(extra_words: &[String]) -> Jieba {
    let mut j = Jieba::new();
    for w in extra_words {
        j.add_word(w, Some(100_000), None);
    }
    j
}

/// Whether folded position `pos` is a word boundary by `jieba` (see [`Segmenter::is_boundary`]).
fn boundary_in(jieba: &Jieba, folded: &[NormChar], pos: usize) -> bool {
    if pos == 0 || pos >= folded.len() {
        return true;
    }
    let (start, text) = window_text(folded, pos);
    jieba
        .cut(&text, false)
        .iter()
        .any(|t| start + t.start == pos)
}

/// The folded chars within [`WINDOW`] of `pos` as text, and the index of its first char.
fn window_text(folded: &[NormChar], pos: usize) -> (usize, String) {
    let start = pos.saturating_sub(WINDOW);
    let end = (pos + WINDOW).min(folded.len());
    let text = (folded.get(start..end).unwrap_or(&[]).iter())
        .map(|c| c.ch)
        .collect();
    (start, text)
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
