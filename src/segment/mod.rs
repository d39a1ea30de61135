//! Segmentation: jieba word boundaries, only where a candidate hit needs them.
//!
//! Short Chinese terms are ambiguous: `币` is a coin in `收币` but part of `人民币`. Entries marked
//! `boundary=jieba` are accepted only when their Chinese edges fall on jieba word boundaries.
//! Segmenting costs far more than matching, so it is done lazily: the dictionary loads on the first
//! post that needs it (a clean post never pays for it), and only a small window around the
//! candidate is segmented, so a huge post costs no more than a short one. Within that window jieba
//! cuts each run of [`in_jieba_block`] characters on its own, so the verdict path
//! ([`Segmenter::edges_only`]) cuts only the runs that hold the candidate's edges.

use crate::normalize::NormChar;
use jieba_rs::Jieba;
use std::cell::RefCell;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};

/// Characters of context on each side of a checked position.
pub const WINDOW: usize = 12;

/// A lazily loaded jieba segmenter with the lexicon's extra words.
#[derive(Default)]
pub struct Segmenter {
    /// Shared with a background loader ([`Segmenter::load_in_background`]).
    jieba: Arc<OnceLock<Jieba>>,
    extra_words: Arc<[String]>,
    /// A background load has been started (one is enough).
    loading: AtomicBool,
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
            loading: AtomicBool::new(false),
        }
    }

    /// True once the dictionary has been loaded (by the first post that needed it).
    pub fn is_loaded(&self) -> bool {
        self.jieba.get().is_some()
    }

    /// Start loading the dictionary on a thread of its own, unless it is loaded or loading
    /// already (one background load per segmenter), so that a batch scan does not wait for it
    /// (~0.2 s) on the first post that needs it. A post that needs it while it loads waits as
    /// before. The thread is detached: a short scan does not wait for it either.
    pub fn load_in_background(&self) {
        if self.is_loaded() || self.loading.swap(true, Ordering::Relaxed) {
            return;
        }
        let (cell, words) = (Arc::clone(&self.jieba), Arc::clone(&self.extra_words));
        let spawned = std::thread::Builder::new()
            .name("coinsieve-jieba".into())
            .spawn(move || {
                cell.get_or_init(|| {
                    #[cfg(test)]
                    load_gate::wait();
                    load(&words)
                });
            });
        // without a thread, the first post that needs the dictionary loads it
        drop(spawned);
    }

    /// True once the dictionary is loaded or a background load has been started.
    pub fn load_started(&self) -> bool {
        self.is_loaded() || self.loading.load(Ordering::Relaxed)
    }

    fn jieba(&self) -> &Jieba {
        self.jieba.get_or_init(|| load(&self.extra_words))
    }

    /// Like [`Segmenter::edges_only`], but `None` instead of waiting while the dictionary is not
    /// loaded yet.
    pub fn edges_if_loaded(&self, folded: &[NormChar], start: usize, end: usize) -> Option<Edges> {
        let jieba = self.jieba.get()?;
        Some(edges_in_blocks(jieba, folded, start, end))
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
        edges_in_blocks(self.jieba(), folded, start, end)
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

/// Lets a test keep background loads waiting, to check what happens while the dictionary
/// loads, whatever the machine's speed.
#[cfg(test)]
pub(crate) mod load_gate {
    use std::sync::{Condvar, Mutex, MutexGuard};

    static CLOSED: Mutex<bool> = Mutex::new(false);
    static OPENED: Condvar = Condvar::new();
    /// Held by a test for as long as it uses the gate, so that two tests do not both use it.
    static USER: Mutex<()> = Mutex::new(());

    /// Close the gate: background loads started from now on wait for [`open`]. The gate is
    /// the caller's until the returned guard drops.
    pub(crate) fn close() -> MutexGuard<'static, ()> {
        let user = USER.lock().unwrap_or_else(|e| e.into_inner());
        *CLOSED.lock().unwrap_or_else(|e| e.into_inner()) = true;
        user
    }

    pub(crate) fn open() {
        *CLOSED.lock().unwrap_or_else(|e| e.into_inner()) = false;
        OPENED.notify_all();
    }

    pub(super) fn wait() {
        let mut closed = CLOSED.lock().unwrap_or_else(|e| e.into_inner());
        while *closed {
            closed = OPENED.wait(closed).unwrap_or_else(|e| e.into_inner());
        }
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
    let (from, to) = window(folded.len(), start, end);
    let text = (folded.get(from..to).unwrap_or(&[]).iter())
        .map(|c| c.ch)
        .collect();
    (from, text)
}

/// How many folded chars from the start [`Segmenter::edges_only`] reads for a span ending at
/// folded index `end`: up to the end of the window past it. A caller may pass only that many (a
/// prefix of the folded view) and gets the same answer.
pub fn folded_chars_read(end: usize) -> usize {
    end.saturating_add(WINDOW)
}

/// The folded indices `from..to` of the window around `start..end` in `len` folded chars.
fn window(len: usize, start: usize, end: usize) -> (usize, usize) {
    (
        start.saturating_sub(WINDOW),
        end.saturating_add(WINDOW).min(len),
    )
}

/// A char jieba keeps in a block it segments with its dictionary: jieba-rs's `RE_HAN_DEFAULT`
/// class (CJK ideographs, ASCII letters and digits, `+#&._%-`). Every other char is a token of
/// its own (`\r\n` is one token). The tests below check this against jieba's own cuts.
pub fn in_jieba_block(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || matches!(c, '+' | '#' | '&' | '.' | '_' | '%' | '-');
    }
    matches!(c,
        '\u{4E00}'..='\u{9FFF}'
        | '\u{3400}'..='\u{4DBF}'
        | '\u{F900}'..='\u{FAFF}'
        | '\u{20000}'..='\u{2A6DF}'
        | '\u{2A700}'..='\u{2B73F}'
        | '\u{2B740}'..='\u{2B81F}'
        | '\u{2B820}'..='\u{2CEAF}'
        | '\u{2CEB0}'..='\u{2EBEF}'
        | '\u{2F800}'..='\u{2FA1F}'
    )
}

thread_local! {
    /// The text [`edges_in_blocks`] hands to jieba, reused from cut to cut.
    static BLOCK_TEXT: RefCell<String> = const { RefCell::new(String::new()) };
}

/// [`edges_in`] without the tokens, cutting less text for the same answer.
///
/// Jieba cuts each block of its window (a run of [`in_jieba_block`] chars) on its own, and every
/// char between blocks is a token. So whether a token starts at `start` (or at `end`) depends only
/// on the block that holds that char, clipped to the window. This cuts the folded chars from the
/// start of `start`'s block to the end of `end`'s block: a block boundary (or a window edge) on
/// each side, so jieba makes the same tokens there as in the whole window.
fn edges_in_blocks(jieba: &Jieba, folded: &[NormChar], start: usize, end: usize) -> Edges {
    let (from, to) = window(folded.len(), start, end);
    let in_block = |i: usize| folded.get(i).is_some_and(|c| in_jieba_block(c.ch));
    // a char inside the window but outside any block is a token of its own, but for the `\n`
    // of a `\r\n`
    let ch = |i: usize| folded.get(i).map(|c| c.ch);
    let own_token = |pos: usize| {
        let crlf = ch(pos) == Some('\n') && pos > from && ch(pos - 1) == Some('\r');
        pos < to && !in_block(pos) && !crlf
    };
    let at_edge = |pos: usize| pos == 0 || pos >= folded.len();
    let mut edges = Edges {
        start: at_edge(start) || own_token(start),
        end: at_edge(end) || own_token(end),
    };
    // back to the start of `start`'s block, if it is in one
    let mut a = start.min(to);
    if in_block(a) {
        while a > from && in_block(a - 1) {
            a -= 1;
        }
    }
    let mut b = end.min(to);
    while b < to && in_block(b) {
        b += 1;
    }
    BLOCK_TEXT.with(|cell| {
        let mut text = cell.borrow_mut();
        text.clear();
        text.extend(folded.get(a..b).unwrap_or(&[]).iter().map(|c| c.ch));
        // (the cut decides only for block chars: it may begin at the `\n` of a `\r\n`)
        let (start_in_block, end_in_block) = (in_block(start), in_block(end));
        for t in jieba.cut(&text, false) {
            edges.start |= start_in_block && a + t.start == start;
            edges.end |= end_in_block && a + t.start == end;
        }
    });
    edges
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

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

    fn shared() -> &'static Segmenter {
        static SEG: OnceLock<Segmenter> = OnceLock::new();
        SEG.get_or_init(Segmenter::default)
    }

    /// The block-clipped cut answers as the whole window's cut, for every span of up to four
    /// chars (and every empty one) of `text`.
    fn blocks_agree(text: &str) -> Result<(), String> {
        let jieba = shared().jieba();
        let folded = chars(text);
        for start in 0..=folded.len() + 1 {
            for end in start..=(start + 4).min(folded.len() + 1) {
                let window = edges_in(jieba, &folded, start, end, &mut |_| {});
                let blocks = edges_in_blocks(jieba, &folded, start, end);
                if window != blocks {
                    return Err(format!(
                        "{text:?} {start}..{end}: window {window:?}, blocks {blocks:?}"
                    ));
                }
                let read = folded_chars_read(end).min(folded.len());
                let prefix = edges_in_blocks(jieba, folded.get(..read).unwrap_or(&[]), start, end);
                if prefix != blocks {
                    return Err(format!(
                        "{text:?} {start}..{end}: first {read} chars {prefix:?}, all {blocks:?}"
                    ));
                }
            }
        }
        Ok(())
    }

    #[test]
    fn block_clipped_edges_equal_window_edges() {
        for t in [
            "大量收币，价格好",
            "今天去买菜了 买了三斤 明天再买",
            "收u 6.95，微信 abc_88\r\n出u 7.05",
            "比 特 币，比特币。人民币!!买U盘",
            "",
            "买",
        ] {
            blocks_agree(t).unwrap();
        }
    }

    #[test]
    fn block_clipped_edges_equal_window_edges_on_every_corpus_row() {
        let texts = crate::eval::corpus::project_corpus_texts();
        assert!(texts.len() > 100);
        for t in &texts {
            let folded: String = t.chars().flat_map(char::to_lowercase).collect();
            blocks_agree(&folded).unwrap();
        }
    }

    /// `in_jieba_block` is jieba's own class: a dictionary word `甲c乙` comes out whole exactly
    /// when `c` stays in the block (tried for ASCII, the edges of every range, and a sample).
    #[test]
    fn block_chars_are_jieba_block_chars() {
        let edges = [
            0x3400, 0x4DBF, 0x4E00, 0x9FFF, 0xF900, 0xFAFF, 0x20000, 0x2A6DF, 0x2A700, 0x2B73F,
            0x2B740, 0x2B81F, 0x2B820, 0x2CEAF, 0x2CEB0, 0x2EBEF, 0x2F800, 0x2FA1F,
        ];
        let near_edges = edges.iter().flat_map(|&e: &u32| [e - 1, e, e + 1]);
        let chars: Vec<char> = (0..0x80)
            .chain(near_edges)
            .chain((0x80..0x3_0000).step_by(251))
            .filter_map(char::from_u32)
            .filter(|c| !c.is_whitespace())
            .collect();
        let mut jieba = Jieba::empty();
        for c in &chars {
            jieba.add_word(&format!("甲{c}乙"), Some(1_000), None);
        }
        for c in chars {
            let word = format!("甲{c}乙");
            let whole = jieba.cut(&word, false).len() == 1;
            assert_eq!(whole, in_jieba_block(c), "{c:?} U+{:04X}", c as u32);
        }
    }

    fn block_edge_char() -> impl Strategy<Value = char> {
        prop_oneof![
            4 => prop::sample::select(vec![
                '买', '菜', '收', '出', '币', '人', '民', '比', '特', '大', '量', '价', '格', '好',
                '我', '们', '盘', '换', '回', '卖', '了', '的', '是', '一',
            ]),
            2 => prop::sample::select(vec![
                'a', 'u', 'v', '1', '6', '+', '#', '&', '.', '_', '%', '-', ' ', '\r', '\n', '\t',
                ',', '!', '$', '@', '，', '。', '！', '\u{3000}', 'é',
            ]),
            // the edges of jieba's ranges, inside and out
            1 => prop::sample::select(vec![
                '\u{33FF}', '\u{3400}', '\u{4DBF}', '\u{4DC0}', '\u{4DFF}', '\u{4E00}',
                '\u{9FFF}', '\u{A000}', '\u{F8FF}', '\u{F900}', '\u{FAFF}', '\u{FB00}',
                '\u{1FFFF}', '\u{20000}', '\u{2A6DF}', '\u{2A6E0}', '\u{2A700}', '\u{2B73F}',
                '\u{2B740}', '\u{2B81F}', '\u{2B820}', '\u{2CEAF}', '\u{2CEB0}', '\u{2EBEF}',
                '\u{2EBF0}', '\u{2F7FF}', '\u{2F800}', '\u{2FA1F}', '\u{2FA20}',
            ]),
            1 => any::<char>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(500))]
        #[test]
        fn block_clipped_edges_never_disagree(
            chars in prop::collection::vec(block_edge_char(), 0..40)
        ) {
            let text: String = chars.into_iter().collect();
            prop_assert!(blocks_agree(&text).is_ok(), "{}", blocks_agree(&text).unwrap_err());
        }
    }
}
