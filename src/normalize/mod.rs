//! Normalization: see through disguises while remembering where every character came from.
//!
//! A post is turned into two views, each a sequence of [`NormChar`]s that carry the byte span of
//! the original text they stand for:
//!
//! * the **folded** view ([`Normalized::folded_text`]): Unicode compatibility folding, case folding,
//!   zero-width and control characters removed ([`unicode`]), traditional → simplified Chinese
//!   ([`chinese`]), rebus emoji next to Chinese read as their character (`💯倍币` → 百倍币,
//!   [`rebus`]), Chinese numerals in digit runs → ASCII digits ([`numerals`]), look-alike letters
//!   mapped to Latin ([`lookalike`]). It keeps spaces and punctuation, so the structured detectors
//!   (prices, amounts, handles, links) and jieba read it.
//! * the **key** view ([`Normalized::key_text`]): the folded view with leetspeak undone inside
//!   words ([`leet`]), separators between characters removed and sentence breaks kept as a barrier
//!   ([`separators`]), and runs of a repeated letter collapsed ([`repeat`]). The pattern automaton
//!   runs over this view.
//!
//! Lexicon patterns go through exactly the same steps (see [`normalize_pattern`]), so a pattern
//! and a disguised post meet in the middle. Each step lives in its own file and keeps the map.
//!
//! ```
//! use coinsieve::normalize::Normalized;
//!
//! let mut n = Normalized::default();
//! n.normalize("收 ＵＳＤＴ，加 V 信");
//! assert_eq!(n.folded_text(), "收 usdt,加 v 信");
//! assert_eq!(n.key_text(), "收usdt加v信");
//! // every key character points back at the original text
//! let first_u = &n.key()[1];
//! assert_eq!(&"收 ＵＳＤＴ，加 V 信"[first_u.src_start as usize..first_u.src_end as usize], "Ｕ");
//! ```

pub mod chinese;
pub mod fast;
mod fused;
pub mod leet;
pub mod lookalike;
pub mod numerals;
pub mod rebus;
pub mod repeat;
pub mod separators;
pub mod unicode;

/// One normalized character and the span of original text it stands for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NormChar {
    /// The normalized character.
    pub ch: char,
    /// Byte offset in the original text where the source of this character starts.
    pub src_start: u32,
    /// Byte offset in the original text where the source ends (exclusive).
    pub src_end: u32,
    /// Index of the folded character this key character came from (for folded chars: their own index).
    pub folded: u32,
    /// Bit flags: [`NormChar::GAP_BEFORE`], [`NormChar::DISGUISED`], [`NormChar::SPACED`],
    /// [`NormChar::BREAK`], [`NormChar::SYMBOL_GAP`].
    pub flags: u8,
}

impl NormChar {
    /// Separators (spaces, punctuation, symbols, emoji) stood between this character and the previous one.
    pub const GAP_BEFORE: u8 = 1;
    /// This character was produced by undoing a disguise (look-alike, leet, styled letter, zero-width
    /// neighbour, Chinese numeral in an ID, elongation).
    pub const DISGUISED: u8 = 2;
    /// A single letter standing alone between separators, as in spaced-out words ("U S D T").
    pub const SPACED: u8 = 4;
    /// A sentence or line break: matches never cross it.
    pub const BREAK: u8 = 8;
    /// The separators before this character included a symbol (`U.S.D.T`, `收*U`), not only
    /// whitespace: words joined by plain spaces are separate words, symbols between letters hide one.
    pub const SYMBOL_GAP: u8 = 16;

    /// A character copied from the original span `start..end` unchanged.
    pub fn new(ch: char, start: usize, end: usize) -> Self {
        NormChar {
            ch,
            src_start: start as u32,
            src_end: end as u32,
            folded: 0,
            flags: 0,
        }
    }

    /// Each char of `s` unchanged, spanning its own bytes: the input a normalization step gets
    /// before any other step ran (handy for tools and tests).
    pub fn plain(s: &str) -> Vec<NormChar> {
        s.char_indices()
            .map(|(i, c)| NormChar::new(c, i, i + c.len_utf8()))
            .collect()
    }

    /// True if `flag` is set.
    pub fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

/// What the key steps ([`leet`], [`separators`], [`repeat`]) need from a character: the char and
/// its flags. [`NormChar`] carries offsets as well; the clean-post fast path ([`fast`]) runs the
/// very same steps over the offset-free [`fast::KeyChar`], so both produce the same key text.
pub trait Glyph: Copy {
    /// The character.
    fn ch(&self) -> char;
    /// Replace the character.
    fn set_ch(&mut self, c: char);
    /// The flag bits (see [`NormChar`]).
    fn flags(&self) -> u8;
    /// Set flag bits.
    fn add_flags(&mut self, flags: u8);
    /// A copy standing for the same source as `self`, with another char and exactly `flags`.
    fn with(self, ch: char, flags: u8) -> Self;
    /// Extend this character's source span to the end of `last`'s (a collapsed run).
    fn extend_to(&mut self, last: &Self);
    /// True if `flag` is set.
    #[inline]
    fn has(&self, flag: u8) -> bool {
        self.flags() & flag != 0
    }
}

impl Glyph for NormChar {
    #[inline]
    fn ch(&self) -> char {
        self.ch
    }
    #[inline]
    fn set_ch(&mut self, c: char) {
        self.ch = c;
    }
    #[inline]
    fn flags(&self) -> u8 {
        self.flags
    }
    #[inline]
    fn add_flags(&mut self, flags: u8) {
        self.flags |= flags;
    }
    #[inline]
    fn with(self, ch: char, flags: u8) -> Self {
        NormChar { ch, flags, ..self }
    }
    #[inline]
    fn extend_to(&mut self, last: &Self) {
        self.src_end = last.src_end;
    }
    #[inline]
    fn has(&self, flag: u8) -> bool {
        self.flags & flag != 0
    }
}

/// The character used in the key view for a sentence or line break. No pattern may contain it.
pub const BREAK_CHAR: char = '\n';

/// Both normalized views of one post, with maps back to the original. Reusable: call
/// [`Normalized::normalize`] again to overwrite it without reallocating.
#[derive(Debug, Default, Clone)]
pub struct Normalized {
    folded: Vec<NormChar>,
    folded_text: String,
    folded_offsets: Vec<u32>,
    key: Vec<NormChar>,
    key_text: String,
    key_offsets: Vec<u32>,
    scratch: String,
}

impl Normalized {
    /// Normalize `text` into this buffer. Texts longer than 4 GiB are cut (offsets are 32-bit).
    pub fn normalize(&mut self, text: &str) {
        self.normalize_with(text, &[]);
    }

    /// Normalize, keeping the symbols in `kept` (sorted) in the key view as content instead of
    /// dropping them as separators: lexicons use pictographs such as ✈ (Telegram) as terms.
    pub fn normalize_with(&mut self, text: &str, kept: &[char]) {
        self.fold(clip_to_u32(text));
        self.key_steps(kept);
    }

    /// [`Normalized::normalize`] of a post for which `fast` has just built the key view (with no
    /// kept symbols: `fast.build(text, &[])` returned true). That key view is the one the key
    /// steps would build, so it is taken, each key char given the source span of the folded
    /// chars it stands for. Where the fold table gave up (a disguise marks folded chars, which
    /// the fast key does not carry), the key steps run as in `normalize`.
    pub(crate) fn normalize_keyed(&mut self, text: &str, fast: &fast::FastKey) {
        let located = self.fold(clip_to_u32(text));
        if !(located && self.key_from(fast)) {
            self.key_steps(&[]);
        }
    }

    /// The folded view of `text` (steps 1–4) and its text; true if it came from the fold table
    /// (then no char is marked [`NormChar::DISGUISED`]).
    fn fold(&mut self, text: &str) -> bool {
        self.folded.clear();
        // the fold table gives the same chars, offsets and flags in one pass, or gives up
        let located = fast::fold_located(text, &mut self.folded);
        if !located {
            self.folded.clear();
            fold_steps(text, &mut self.folded, &mut self.scratch);
        }
        render(
            &self.folded,
            &mut self.folded_text,
            &mut self.folded_offsets,
        );
        located
    }

    /// The key view from the folded view: steps 5–7 and the key text.
    fn key_steps(&mut self, kept: &[char]) {
        self.key.clear();
        self.key.extend_from_slice(&self.folded);
        leet::undo(&mut self.key);
        separators::strip(&mut self.key, kept);
        repeat::collapse(&mut self.key);
        render(&self.key, &mut self.key_text, &mut self.key_offsets);
    }

    /// The key view from `fast`'s key chars and the folded view's source offsets; false (and
    /// a partial key view) if a key char names a folded char that is not there or covers more
    /// than [`KeyChar::covers`](fast::KeyChar::covers) can say.
    fn key_from(&mut self, fast: &fast::FastKey) -> bool {
        self.key.clear();
        self.key_offsets.clear();
        let mut at = 0;
        for k in fast.key_chars() {
            let last = k.folded as usize + usize::from(k.covers);
            let (Some(f), Some(l)) = (self.folded.get(k.folded as usize), self.folded.get(last))
            else {
                return false;
            };
            if k.covers == u16::MAX {
                return false;
            }
            self.key.push(NormChar {
                ch: k.ch,
                src_start: f.src_start,
                src_end: l.src_end,
                folded: k.folded,
                flags: k.flags | f.flags,
            });
            self.key_offsets.push(at);
            at += k.ch.len_utf8() as u32;
        }
        self.key_offsets.push(at);
        self.key_text.clear();
        self.key_text.push_str(fast.key_text());
        true
    }

    /// The folded characters (keeps spaces and punctuation).
    pub fn folded(&self) -> &[NormChar] {
        &self.folded
    }

    /// The folded view as a string; index it with [`Normalized::folded_byte`].
    pub fn folded_text(&self) -> &str {
        &self.folded_text
    }

    /// Byte offset in [`Normalized::folded_text`] of folded char `i` (`i == len` gives the end).
    pub fn folded_byte(&self, i: usize) -> usize {
        self.folded_offsets
            .get(i)
            .copied()
            .unwrap_or(self.folded_text.len() as u32) as usize
    }

    /// The folded char index that contains byte `b` of the folded text.
    pub fn folded_index_at_byte(&self, b: usize) -> usize {
        index_at_byte(&self.folded_offsets, b)
    }

    /// The key characters (separators removed, disguises undone).
    pub fn key(&self) -> &[NormChar] {
        &self.key
    }

    /// The key view as a string: what the automaton scans.
    pub fn key_text(&self) -> &str {
        &self.key_text
    }

    /// The key char index that contains byte `b` of the key text.
    pub fn key_index_at_byte(&self, b: usize) -> usize {
        index_at_byte(&self.key_offsets, b)
    }

    /// Byte span in the original text covered by key chars `start..end` (end exclusive, non-empty).
    pub fn key_src_span(&self, start: usize, end: usize) -> (usize, usize) {
        span_of(&self.key, start, end)
    }

    /// Byte span in the original text covered by folded chars `start..end`.
    pub fn folded_src_span(&self, start: usize, end: usize) -> (usize, usize) {
        span_of(&self.folded, start, end)
    }

    /// The folded char index whose source span contains original byte `b` (or the next one after it).
    pub fn folded_index_at_src(&self, b: usize) -> usize {
        self.folded.partition_point(|c| (c.src_end as usize) <= b)
    }
}

/// Steps 1–4 one after the other: the folded view of `text` into `out` (empty), each char's
/// [`NormChar::folded`] its own index. `scratch` is the Chinese step's buffer.
fn fold_steps(text: &str, out: &mut Vec<NormChar>, scratch: &mut String) {
    unicode::fold(text, out);
    // These four steps only ever rewrite non-ASCII characters (Chinese, emoji, Chinese
    // digits, look-alike letters), and folding keeps ASCII text ASCII.
    if !text.is_ascii() {
        chinese::to_simplified(out, scratch);
        rebus::to_chinese(out);
        numerals::to_digits(out);
        lookalike::to_latin(out);
    }
    for (i, c) in out.iter_mut().enumerate() {
        c.folded = i as u32;
    }
}

/// What a lexicon pattern becomes: its key (what the automaton looks for) and its gap mask.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PatternKey {
    /// The key text.
    pub key: String,
    /// Bit `i` set when the pattern itself has a separator before key char `i` (first 64 chars).
    pub gaps: u64,
    /// The folded form of the pattern, separators collapsed to one space (for exact/normalized checks).
    pub folded: String,
}

/// Normalize a lexicon pattern with exactly the steps a post goes through.
pub fn normalize_pattern(pattern: &str) -> PatternKey {
    normalize_pattern_with(pattern, &[])
}

/// [`normalize_pattern`] with symbols kept as content (see [`Normalized::normalize_with`]).
pub fn normalize_pattern_with(pattern: &str, kept: &[char]) -> PatternKey {
    let mut n = Normalized::default();
    n.normalize_with(pattern, kept);
    let mut gaps = 0u64;
    for (i, c) in n.key.iter().enumerate().take(64) {
        if c.has(NormChar::GAP_BEFORE) {
            gaps |= 1 << i;
        }
    }
    PatternKey {
        key: n.key_text,
        gaps,
        folded: squash_spaces(&n.folded_text),
    }
}

/// Collapse every run of whitespace to a single space and trim, for comparing spellings.
pub fn squash_spaces(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn clip_to_u32(text: &str) -> &str {
    if text.len() < u32::MAX as usize {
        return text;
    }
    let mut end = u32::MAX as usize - 1;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

fn render(chars: &[NormChar], text: &mut String, offsets: &mut Vec<u32>) {
    text.clear();
    offsets.clear();
    offsets.reserve(chars.len() + 1);
    let mut bytes = std::mem::take(text).into_bytes();
    bytes.reserve(chars.len() * 3);
    for c in chars {
        offsets.push(bytes.len() as u32);
        if c.ch.is_ascii() {
            bytes.push(c.ch as u8);
        } else {
            bytes.extend_from_slice(c.ch.encode_utf8(&mut [0; 4]).as_bytes());
        }
    }
    offsets.push(bytes.len() as u32);
    // SAFETY: `bytes` is a concatenation of whole UTF-8 encoded chars.
    *text = unsafe { String::from_utf8_unchecked(bytes) };
}

fn index_at_byte(offsets: &[u32], b: usize) -> usize {
    // offsets has one entry per char plus the end; find the last char starting at or before b.
    let i = offsets.partition_point(|&o| (o as usize) <= b);
    i.saturating_sub(1).min(offsets.len().saturating_sub(2))
}

fn span_of(chars: &[NormChar], start: usize, end: usize) -> (usize, usize) {
    let first = chars.get(start);
    let last = chars.get(end.saturating_sub(1)).or(first);
    match (first, last) {
        (Some(f), Some(l)) => (f.src_start as usize, l.src_end.max(f.src_start) as usize),
        _ => (0, 0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folded_and_key_views_of_a_disguised_offer() {
        let mut n = Normalized::default();
        n.normalize("收 Ｕ.S.D.Ｔ 出 比 特 幣");
        assert_eq!(n.folded_text(), "收 u.s.d.t 出 比 特 币");
        assert_eq!(n.key_text(), "收usdt出比特币");
    }

    #[test]
    fn key_chars_map_back_to_original_bytes() {
        let text = "買 ВТС now";
        let mut n = Normalized::default();
        n.normalize(text);
        assert_eq!(n.key_text(), "买btcnow");
        let (s, e) = n.key_src_span(1, 4);
        assert_eq!(&text[s..e], "ВТС");
    }

    #[test]
    fn pattern_keys_record_their_own_gaps() {
        let p = normalize_pattern("To the Moon");
        assert_eq!(p.key, "tothemon");
        assert_eq!(p.gaps, 0b100100);
        assert_eq!(p.folded, "to the moon");
    }

    #[test]
    fn kept_symbols_stay_in_the_key() {
        let mut n = Normalized::default();
        n.normalize_with("收U ✈️ abc", &['✈']);
        assert_eq!(n.key_text(), "收u✈abc");
        n.normalize("收U ✈️ abc");
        assert_eq!(n.key_text(), "收uabc");
        assert_eq!(normalize_pattern_with("✈", &['✈']).key, "✈");
    }

    #[test]
    fn folded_index_lookups_are_total() {
        let mut n = Normalized::default();
        n.normalize("a比c");
        assert_eq!(n.folded_index_at_byte(0), 0);
        assert_eq!(n.folded_index_at_byte(2), 1);
        assert_eq!(n.folded_index_at_byte(4), 2);
        assert_eq!(n.folded_index_at_byte(99), 2);
        assert_eq!(n.folded_index_at_src(1), 1);
        n.normalize("");
        assert_eq!(n.folded_index_at_byte(0), 0);
        assert_eq!(n.key_src_span(0, 1), (0, 0));
    }
}
