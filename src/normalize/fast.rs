//! The clean-post fast path: the key view alone, without offsets, from a per-character fold table.
//!
//! Most posts have no lexicon candidate at all. For them the automaton only needs the key text,
//! not the [`NormChar`]s with their source spans, nor the folded view. [`FastKey`] builds exactly
//! that key text, cheaply:
//!
//! * steps 1–4 ([`unicode`], [`chinese`](super::chinese), [`numerals`](super::numerals),
//!   [`lookalike`]) become one pass with one table lookup per character: a 128-entry table for
//!   ASCII, and for other characters an entry computed on first use by running those very steps
//!   on the character alone;
//! * steps 5–7 ([`leet`], [`separators`], [`repeat`]) run as the folded characters stream out of
//!   that pass (the private `fused` module). When a token may hide leetspeak (`b1tc01n`) or
//!   letters are spaced out and repeated (`m o o n`), they run instead as the same generic
//!   functions the full pipeline runs, here over 8-byte [`KeyChar`]s;
//! * [`FastKey::build_observed`] shows the key text's bytes, as they are written, to a
//!   [`KeyObserver`]: the batch matcher walks its automaton there instead of searching after.
//!
//! Whenever a step could depend on more than the character itself — a traditional character
//! fast2s converts by context, a spelled-out Chinese number, a Greek/Cyrillic/look-alike letter,
//! a compatibility decomposition into something other than up to three ASCII characters, a
//! traditional→simplified change in a post without ideographs — [`FastKey::key`] gives up and
//! returns `None`, and the caller runs the full pipeline. When it returns a key, that key equals
//! [`Normalized::key_text`](super::Normalized::key_text) for the same text (tested below on
//! arbitrary text and on every corpus row).

use super::chinese::{is_cjk, simplify_alone, variant_of};
use super::fused::{self, Fused};
use super::numerals::digit_value;
use super::{Glyph, NormChar, leet, lookalike, repeat, separators, unicode};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicU32, Ordering};

/// A key-view character without source offsets: the char, its [`NormChar`] flags and the
/// folded chars it came from (as [`NormChar::folded`], and how many more a collapsed run of a
/// letter covers), which give its source span.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyChar {
    /// The character.
    pub ch: char,
    /// [`NormChar`] flag bits.
    pub flags: u8,
    /// Index of the folded char this key char came from.
    pub folded: u32,
    /// How many folded chars after that one it stands for: the rest of a run of a letter the
    /// repeat step collapsed into it (`moooon`), up to its last letter; `u16::MAX` when the
    /// run is longer than that can say.
    pub covers: u16,
}

// `covers` fits in the padding: the clean-post path writes no more bytes per char for it
const _: () = assert!(std::mem::size_of::<KeyChar>() == 12);

impl KeyChar {
    /// A key char for folded char `folded` alone.
    #[inline(always)]
    pub fn new(ch: char, flags: u8, folded: u32) -> Self {
        KeyChar {
            ch,
            flags,
            folded,
            covers: 0,
        }
    }
}

impl Glyph for KeyChar {
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
        KeyChar { ch, flags, ..self }
    }
    #[inline]
    fn extend_to(&mut self, last: &Self) {
        let more = last.folded.saturating_sub(self.folded) + u32::from(last.covers);
        self.covers = u16::try_from(more).unwrap_or(u16::MAX);
    }
}

/// Sees the bytes of the key text as [`FastKey::build_observed`] writes them, in order.
pub trait KeyObserver {
    /// The next byte of the key text.
    fn byte(&mut self, b: u8);

    /// The next bytes of the key text: the UTF-8 of one char.
    #[inline(always)]
    fn char_bytes(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.byte(b);
        }
    }
}

/// No observer: [`FastKey::build`].
impl KeyObserver for () {
    #[inline(always)]
    fn byte(&mut self, _: u8) {}
}

/// What [`FastKey::build_observed`] did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Built {
    /// The key view is built, and the observer saw every byte of its text, in order.
    Observed,
    /// The key view is built, but not by the pass the observer watched.
    Unobserved,
    /// The post needs the full pipeline.
    No,
}

/// Reusable buffers for the fast key view.
#[derive(Debug, Default, Clone)]
pub struct FastKey {
    chars: Vec<KeyChar>,
    key: String,
    folded: Vec<NormChar>,
    folded_whole: bool,
}

impl FastKey {
    /// The key text of `text` (what [`Normalized::key_text`](super::Normalized::key_text) gives
    /// after `normalize_with(text, kept)`), or `None` when this post needs the full pipeline.
    pub fn key(&mut self, text: &str, kept: &[char]) -> Option<&str> {
        self.build(text, kept).then_some(self.key.as_str())
    }

    /// Build the key view of `text`; false when this post needs the full pipeline. Then
    /// [`FastKey::key_text`] and [`FastKey::key_chars`] equal
    /// [`Normalized::key_text`](super::Normalized::key_text) and the chars and flags of
    /// [`Normalized::key`](super::Normalized::key) (but [`NormChar::DISGUISED`]).
    pub fn build(&mut self, text: &str, kept: &[char]) -> bool {
        self.build_observed(text, kept, &mut ()) != Built::No
    }

    /// [`FastKey::build`], showing `observer` the bytes of the key text as they are written
    /// when it can (then a search can walk them while they are in cache, in the same loop):
    /// [`Built::Observed`] if the observer saw every byte of [`FastKey::key_text`] in order,
    /// [`Built::Unobserved`] if the key was built another way (the observer saw some bytes of
    /// an unfinished attempt, which it must forget), [`Built::No`] when this post needs the
    /// full pipeline.
    pub fn build_observed<O: KeyObserver>(
        &mut self,
        text: &str,
        kept: &[char],
        observer: &mut O,
    ) -> Built {
        let text = super::clip_to_u32(text);
        if kept.is_empty() {
            let mut bytes = std::mem::take(&mut self.key).into_bytes();
            let fused = fused::build(text, &mut self.chars, &mut bytes, observer);
            if matches!(fused, Fused::Built) {
                // SAFETY: `fused::build` writes whole UTF-8 encoded chars (`push_utf8`) and
                // copies of ASCII letters it wrote before.
                self.key = unsafe { String::from_utf8_unchecked(bytes) };
                return Built::Observed;
            }
            bytes.clear();
            self.key = String::from_utf8(bytes).unwrap_or_default();
            if matches!(fused, Fused::Full) {
                return Built::No;
            }
        }
        if self.build_steps(text, kept) {
            Built::Unobserved
        } else {
            Built::No
        }
    }

    /// [`FastKey::build`] with the step functions one after the other.
    fn build_steps(&mut self, text: &str, kept: &[char]) -> bool {
        self.chars.clear();
        self.key.clear();
        if !steps(text, kept, &mut self.chars) {
            return false;
        }
        // collapsing changes nothing unless two neighbouring key chars are the same letter
        let run =
            (self.chars.windows(2)).any(|w| w[0].ch == w[1].ch && w[0].ch.is_ascii_alphabetic());
        if run {
            repeat::collapse(&mut self.chars);
        }
        let mut bytes = std::mem::take(&mut self.key).into_bytes();
        bytes.reserve(self.chars.len() * 4);
        for c in &self.chars {
            push_utf8(&mut bytes, c.ch);
        }
        // SAFETY: `bytes` is a concatenation of whole UTF-8 encoded chars (`push_utf8`).
        self.key = unsafe { String::from_utf8_unchecked(bytes) };
        true
    }

    /// The key text from the last successful [`FastKey::build`].
    pub fn key_text(&self) -> &str {
        &self.key
    }

    /// The key chars from the last successful [`FastKey::build`].
    pub fn key_chars(&self) -> &[KeyChar] {
        &self.chars
    }

    /// The folded view of `text` (after a successful [`FastKey::build`] of the same text): the
    /// chars of [`Normalized::folded`](super::Normalized::folded), with no source offsets (all 0).
    /// Computed on demand, for the jieba boundary check.
    pub fn folded(&mut self, text: &str) -> &[NormChar] {
        self.folded_prefix(text, usize::MAX)
    }

    /// The first `len` chars of [`FastKey::folded`] (all of them if there are fewer): a
    /// boundary check reads only a few chars past a candidate, and the rest of a long post
    /// need not be folded again.
    pub fn folded_prefix(&mut self, text: &str, len: usize) -> &[NormChar] {
        let text = super::clip_to_u32(text);
        self.folded.clear();
        let out = &mut self.folded;
        let done = fold_each(text, &mut |ch: char, _: bool| {
            if out.len() >= len {
                return false;
            }
            let mut n = NormChar::new(ch, 0, 0);
            n.folded = out.len() as u32;
            out.push(n);
            true
        });
        // stopped: by the sink, at `len`
        if matches!(done, Outcome::Bail) {
            self.folded.clear();
        }
        self.folded_whole = matches!(done, Outcome::Done);
        &self.folded
    }

    /// The last [`FastKey::folded_prefix`] folded the whole text.
    pub fn folded_whole(&self) -> bool {
        self.folded_whole
    }

    /// The folded view last computed by [`FastKey::folded`].
    pub fn folded_chars(&self) -> &[NormChar] {
        &self.folded
    }
}

/// Append the UTF-8 encoding of `c` byte by byte (no `memcpy` call for 2–4 bytes).
#[inline(always)]
pub(super) fn push_utf8(out: &mut Vec<u8>, c: char) {
    let u = c as u32;
    if u < 0x80 {
        out.push(u as u8);
    } else if u < 0x800 {
        out.extend_from_slice(&[0xC0 | (u >> 6) as u8, 0x80 | (u & 0x3F) as u8]);
    } else if u < 0x10000 {
        out.extend_from_slice(&[
            0xE0 | (u >> 12) as u8,
            0x80 | ((u >> 6) & 0x3F) as u8,
            0x80 | (u & 0x3F) as u8,
        ]);
    } else {
        out.extend_from_slice(&[
            0xF0 | (u >> 18) as u8,
            0x80 | ((u >> 12) & 0x3F) as u8,
            0x80 | ((u >> 6) & 0x3F) as u8,
            0x80 | (u & 0x3F) as u8,
        ]);
    }
}

/// Lowercased ASCII, or 0 for a control character the Unicode step removes.
const ASCII: [u8; 128] = {
    let mut t = [0u8; 128];
    let mut i = 0;
    while i < 128 {
        let b = i as u8;
        t[i] = if b.is_ascii_control() && b != b'\n' && b != b'\t' && b != b'\r' {
            0
        } else {
            b.to_ascii_lowercase()
        };
        i += 1;
    }
    t
};

// Fold table entry layout (u32):
//   bit 31: entry computed; bits 24..26: kind;
//   SINGLE: bits 0..21 the char; bits 26..30 flags below;
//   MULTI: up to three 7-bit ASCII chars in bits 0..21, count in bits 21..23.
const KNOWN: u32 = 1 << 31;
const KIND_SHIFT: u32 = 24;
const KIND_MASK: u32 = 3 << KIND_SHIFT;
const SINGLE: u32 = 0;
const DROP: u32 = 1 << KIND_SHIFT;
const BAIL: u32 = 2 << KIND_SHIFT;
const MULTI: u32 = 3 << KIND_SHIFT;
/// The folded character is a CJK ideograph (the Chinese step runs on this post).
const CJK: u32 = 1 << 27;
/// The Chinese step changes the character.
const CHANGED: u32 = 1 << 28;
/// The character is a Chinese digit (`一`, `零`, `贰`…), for the numerals step.
const CN_DIGIT: u32 = 1 << 29;
/// The character is content (letter, digit, ideograph) for the separator step.
const CONTENT: u32 = 1 << 30;
/// SINGLE and [`CONTENT`], no [`CN_DIGIT`], and the folded char is not ASCII: a char
/// [`next_wide`] takes.
const WIDE: u32 = 1 << 26;
const CHAR_MASK: u32 = (1 << 21) - 1;
/// A step marks what the character folds to [`NormChar::DISGUISED`]: the Unicode step (a
/// styled letter: circled, mathematical, accented) or the Chinese step (a variant character,
/// `徦` for 假). Never [`WIDE`].
const STYLED: u32 = 1 << 23;

#[inline]
fn is_leet_char(b: u8) -> bool {
    b.is_ascii_digit() || matches!(b, b'$' | b'@' | b'!')
}

/// How far [`fold_each`] (and the sink it feeds) got.
pub(super) enum Outcome {
    /// The whole text went through.
    Done,
    /// The post needs the full pipeline.
    Bail,
    /// The sink gave up.
    Stopped,
}

/// Where [`fold_each`] sends the folded chars.
pub(super) trait Sink {
    /// One folded char and whether it is content (letter, digit, ideograph); false to give up.
    fn push(&mut self, ch: char, content: bool) -> bool;

    /// The folded chars pushed next come from the text's bytes `start..end` (for a run of
    /// letters, [`Sink::letters`]: from the letter at `start` on, one byte each; [`wide_run`]
    /// tells each char of its run). By default, nothing.
    #[inline(always)]
    fn source(&mut self, _start: usize, _end: usize) {}

    /// A step marks the chars around this point [`NormChar::DISGUISED`]: a char the Unicode
    /// step drops (an invisible, a control), a styled letter or a variant character comes next. True to go on, which the
    /// key view can (it does not keep that flag); by default, true.
    #[inline(always)]
    fn disguise(&mut self) -> bool {
        true
    }

    /// The run of ASCII letters at the start of `bytes` (the text as written: not lowercased
    /// yet), each one folded char: its length, or `None` to give up. By default, [`Sink::push`]
    /// of each lowercased letter.
    #[inline(always)]
    fn letters(&mut self, bytes: &[u8]) -> Option<usize> {
        let run = letter_run(bytes);
        (run.iter())
            .all(|&b| self.push((b | 0x20) as char, true))
            .then_some(run.len())
    }

    /// A folded char that is content and not ASCII (an ideograph, mostly); false to give up.
    /// By default, [`Sink::push`].
    #[inline(always)]
    fn wide_content(&mut self, ch: char) -> bool {
        self.push(ch, true)
    }

    /// A space (ASCII U+0020, not content); false to give up. By default, [`Sink::push`].
    #[inline(always)]
    fn space(&mut self) -> bool {
        self.push(' ', false)
    }

    /// The run of wide content chars from byte `i` of `bytes` that [`next_wide`] reads, right
    /// after another wide content char (that was no Chinese digit), each as
    /// [`Sink::wide_content`]; returns the byte after the run and whether a char of it was an
    /// ideograph / changed by the Chinese step, or `None` to give up. By default, [`wide_run`].
    #[inline(always)]
    fn wide_chars(
        &mut self,
        bytes: &[u8],
        i: usize,
        table: &[AtomicU32],
    ) -> Option<(usize, bool, bool)>
    where
        Self: Sized,
    {
        wide_run(bytes, i, table, self)
    }
}

/// The run of ASCII letters at the start of `bytes`, as written (not lowercased).
#[inline(always)]
fn letter_run(bytes: &[u8]) -> &[u8] {
    // `b | 0x20` is a lowercase letter exactly when `b` is a letter, and then its lowercase
    let len = (bytes.iter().position(|b| !(b | 0x20).is_ascii_lowercase())).unwrap_or(bytes.len());
    bytes.get(..len).unwrap_or_default()
}

impl<F: FnMut(char, bool) -> bool> Sink for F {
    #[inline(always)]
    fn push(&mut self, ch: char, content: bool) -> bool {
        self(ch, content)
    }
}

/// Steps 1–4: feed every folded char of `text` and whether it is content (letter, digit,
/// ideograph) to `sink`, which returns false to give up.
#[inline(always)]
pub(super) fn fold_each(text: &str, sink: &mut impl Sink) -> Outcome {
    let table = table();
    let mut any_cjk = false;
    let mut any_changed = false;
    // digit run (ASCII or Chinese), for the numerals step: a long one with a Chinese digit bails
    let mut run = 0usize;
    let mut run_cn = false;
    let mut digit = |is_digit: bool, cn: bool| {
        if is_digit {
            run += 1;
            run_cn |= cn;
            !(run_cn && run >= super::numerals::MIN_RUN)
        } else {
            run = 0;
            run_cn = false;
            true
        }
    };
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(&first) = bytes.get(i) {
        // a run of ASCII letters (`b | 0x20` is a lowercase letter exactly when `b` is a
        // letter): folded to lowercase, never digits
        if (first | 0x20).is_ascii_lowercase() {
            digit(false, false);
            sink.source(i, i + 1);
            match sink.letters(bytes.get(i..).unwrap_or_default()) {
                Some(len) if len > 0 => i += len,
                _ => return Outcome::Stopped,
            }
            continue;
        }
        // the most common separator, without decoding a char or a table lookup
        if first == b' ' {
            digit(false, false);
            sink.source(i, i + 1);
            if !sink.space() {
                return Outcome::Stopped;
            }
            i += 1;
            continue;
        }
        let Some((c, len)) = char_at(text, i) else {
            break;
        };
        sink.source(i, i + len);
        i += len;
        let u = c as u32;
        if u < 0x80 {
            let b = ASCII[u as usize];
            if b == 0 {
                if !sink.disguise() {
                    return Outcome::Stopped;
                }
                continue;
            }
            if !digit(b.is_ascii_digit(), false) {
                return Outcome::Bail;
            }
            if !sink.push(b as char, b.is_ascii_alphanumeric()) {
                return Outcome::Stopped;
            }
            continue;
        }
        let e = match table.get(u as usize) {
            Some(slot) => {
                let e = slot.load(Ordering::Relaxed);
                if e == 0 {
                    let e = entry(c);
                    slot.store(e, Ordering::Relaxed);
                    e
                } else {
                    e
                }
            }
            None => entry(c),
        };
        let hides = e & STYLED != 0 || e & KIND_MASK == DROP;
        if hides && !sink.disguise() {
            return Outcome::Stopped;
        }
        match e & KIND_MASK {
            SINGLE => {
                any_cjk |= e & CJK != 0;
                any_changed |= e & CHANGED != 0;
                let ch = char::from_u32(e & CHAR_MASK).unwrap_or(c);
                if !digit(e & CN_DIGIT != 0 || ch.is_ascii_digit(), e & CN_DIGIT != 0) {
                    return Outcome::Bail;
                }
                let wide = e & CONTENT != 0 && !ch.is_ascii();
                let pushed = if wide {
                    sink.wide_content(ch)
                } else {
                    sink.push(ch, e & CONTENT != 0)
                };
                if !pushed {
                    return Outcome::Stopped;
                }
                // the wide content chars after it (a run of ideographs, mostly), in a tight loop
                if wide && e & CN_DIGIT == 0 {
                    match sink.wide_chars(bytes, i, table) {
                        Some((next, cjk, changed)) => {
                            i = next;
                            any_cjk |= cjk;
                            any_changed |= changed;
                        }
                        None => return Outcome::Stopped,
                    }
                }
            }
            DROP => {}
            MULTI => {
                for k in 0..(e >> 21) & 3 {
                    let b = ((e >> (7 * k)) & 0x7F) as u8;
                    if !digit(b.is_ascii_digit(), false) {
                        return Outcome::Bail;
                    }
                    if !sink.push(b as char, b.is_ascii_alphanumeric()) {
                        return Outcome::Stopped;
                    }
                }
            }
            _ => return Outcome::Bail,
        }
    }
    // without an ideograph the Chinese step does not run at all
    if any_changed && !any_cjk {
        Outcome::Bail
    } else {
        Outcome::Done
    }
}

/// The char at byte `i` of `text` (a char boundary) and its UTF-8 length: ASCII and 3-byte
/// chars (ideographs, CJK punctuation) decoded in place.
#[inline(always)]
fn char_at(text: &str, i: usize) -> Option<(char, usize)> {
    let b = text.as_bytes();
    match b.get(i..i + 3) {
        Some(&[b0, ..]) if b0 < 0x80 => Some((b0 as char, 1)),
        // a 3-byte UTF-8 sequence (U+0800..=U+FFFF): its lead byte is 1110xxxx
        Some(&[b0, b1, b2]) if b0 & 0xF0 == 0xE0 => {
            let u =
                (u32::from(b0 & 0x0F) << 12) | (u32::from(b1 & 0x3F) << 6) | u32::from(b2 & 0x3F);
            char::from_u32(u).map(|c| (c, 3))
        }
        _ => text.get(i..)?.chars().next().map(|c| (c, c.len_utf8())),
    }
}

/// [`next_wide`]: the char is an ideograph.
pub(super) const WIDE_CJK: u8 = 1;
/// [`next_wide`]: the Chinese step changes the char.
pub(super) const WIDE_CHANGED: u8 = 2;
/// [`next_wide`]: the folded char is the char of the text (its UTF-8 is the text's 3 bytes).
pub(super) const WIDE_SAME: u8 = 4;

/// The folded char at byte `i` of `bytes` if it is a 3-byte char whose fold table entry is
/// known and is a wide content char (not ASCII, no Chinese digit: for the numerals step it ends
/// any digit run), with its [`WIDE_CJK`] / [`WIDE_CHANGED`] / [`WIDE_SAME`] bits.
#[inline(always)]
pub(super) fn next_wide(bytes: &[u8], i: usize, table: &[AtomicU32]) -> Option<(char, u8)> {
    const MASK: u32 = KNOWN | KIND_MASK | WIDE;
    const WANT: u32 = KNOWN | SINGLE | WIDE;
    let &[b0, b1, b2] = bytes.get(i..i + 3)? else {
        return None;
    };
    // a 3-byte UTF-8 sequence (U+0800..=U+FFFF): its lead byte is 1110xxxx
    if b0 & 0xF0 != 0xE0 {
        return None;
    }
    let u = (u32::from(b0 & 0x0F) << 12) | (u32::from(b1 & 0x3F) << 6) | u32::from(b2 & 0x3F);
    let e = table.get(u as usize)?.load(Ordering::Relaxed);
    if e & MASK != WANT {
        return None;
    }
    let ch = char::from_u32(e & CHAR_MASK)?;
    let bits = (if e & CJK != 0 { WIDE_CJK } else { 0 })
        | (if e & CHANGED != 0 { WIDE_CHANGED } else { 0 })
        | (if ch as u32 == u { WIDE_SAME } else { 0 });
    Some((ch, bits))
}

/// [`Sink::wide_chars`] for any sink: each char of the run to [`Sink::wide_content`], as
/// [`fold_each`] would.
#[inline(never)]
fn wide_run(
    bytes: &[u8],
    mut i: usize,
    table: &[AtomicU32],
    sink: &mut impl Sink,
) -> Option<(usize, bool, bool)> {
    let mut bits = 0;
    while let Some((ch, b)) = next_wide(bytes, i, table) {
        bits |= b;
        sink.source(i, i + 3);
        if !sink.wide_content(ch) {
            return None;
        }
        i += 3;
    }
    Some((i, bits & WIDE_CJK != 0, bits & WIDE_CHANGED != 0))
}

/// Steps 1–4 for the full pipeline: the folded view of `text` with source offsets, as
/// [`unicode::fold`] and the three steps after it make it, from the fold table. False (and
/// `out` left partly written) when the post needs those steps: whatever [`FastKey::build`]
/// gives up on, and every char the Unicode step marks [`NormChar::DISGUISED`] (the fast path
/// does not track that flag). The text must be shorter than 4 GiB (offsets are 32-bit).
pub(super) fn fold_located(text: &str, out: &mut Vec<NormChar>) -> bool {
    out.reserve(text.len());
    let mut sink = Located {
        out,
        start: 0,
        end: 0,
    };
    matches!(fold_each(text, &mut sink), Outcome::Done)
}

/// The [`Sink`] of [`fold_located`]: each folded char with the span of the text it came from.
struct Located<'a> {
    out: &'a mut Vec<NormChar>,
    start: u32,
    end: u32,
}

impl Located<'_> {
    #[inline(always)]
    fn put(&mut self, ch: char, start: u32, end: u32) {
        let folded = self.out.len() as u32;
        self.out.push(NormChar {
            ch,
            src_start: start,
            src_end: end,
            folded,
            flags: 0,
        });
    }
}

impl Sink for Located<'_> {
    #[inline(always)]
    fn push(&mut self, ch: char, _content: bool) -> bool {
        self.put(ch, self.start, self.end);
        true
    }

    #[inline(always)]
    fn source(&mut self, start: usize, end: usize) {
        (self.start, self.end) = (start as u32, end as u32);
    }

    #[inline(always)]
    fn disguise(&mut self) -> bool {
        false
    }

    #[inline(always)]
    fn letters(&mut self, bytes: &[u8]) -> Option<usize> {
        let run = letter_run(bytes);
        for (k, &b) in run.iter().enumerate() {
            let at = self.start + k as u32;
            self.put((b | 0x20) as char, at, at + 1);
        }
        Some(run.len())
    }
}

/// Steps 1–6 one after the other, with the very functions the full pipeline runs; false when
/// the post needs the full pipeline.
fn steps(text: &str, kept: &[char], out: &mut Vec<KeyChar>) -> bool {
    out.reserve(text.len());
    let mut leet = false;
    let folded = fold_each(text, &mut |ch: char, _: bool| {
        leet |= ch.is_ascii() && is_leet_char(ch as u8);
        let folded = out.len() as u32;
        out.push(KeyChar::new(ch, 0, folded));
        true
    });
    if !matches!(folded, Outcome::Done) {
        return false;
    }
    // leet only rewrites tokens with a digit, `$` or `@`
    if leet {
        leet::undo(out);
    }
    separators::strip(out, kept);
    true
}

/// Lazily filled entries for U+0000..=U+FFFF (0: not computed yet).
fn table() -> &'static [AtomicU32] {
    static TABLE: OnceLock<Box<[AtomicU32]>> = OnceLock::new();
    TABLE.get_or_init(|| (0..0x10000).map(|_| AtomicU32::new(0)).collect())
}

/// The table entry for one non-ASCII character, from the pipeline steps run on it alone.
fn entry(c: char) -> u32 {
    if super::rebus::reading(c).is_some() {
        return KNOWN | BAIL; // read in context by the rebus step: the full pipeline decides
    }
    let mut folded: Vec<NormChar> = Vec::new();
    unicode::fold(c.encode_utf8(&mut [0; 4]), &mut folded);
    // a styled letter, or a variant character the Chinese step marks (`徦` → 假)
    let styled = if folded.iter().any(|n| n.has(NormChar::DISGUISED))
        || folded.iter().any(|n| variant_of(n.ch).is_some())
    {
        STYLED
    } else {
        0
    };
    match folded.as_slice() {
        [] => KNOWN | DROP,
        [one] => {
            let f = one.ch;
            let Some(s) = simplify_alone(f) else {
                return KNOWN | BAIL;
            };
            if (!s.is_ascii() && lookalike::is_word_letter(s))
                || (!f.is_ascii() && lookalike::is_word_letter(f))
            {
                return KNOWN | BAIL;
            }
            let mut e = KNOWN | SINGLE | s as u32 | styled;
            if is_cjk(f) {
                e |= CJK;
            }
            if s != f {
                e |= CHANGED;
            }
            if !s.is_ascii() && digit_value(s).is_some() {
                e |= CN_DIGIT;
            }
            if separators::is_content(s) {
                e |= CONTENT;
            }
            if e & (CONTENT | CN_DIGIT | STYLED) == CONTENT && !s.is_ascii() {
                e |= WIDE;
            }
            e
        }
        many if many.len() <= 3 && many.iter().all(|n| n.ch.is_ascii()) => {
            let mut e = KNOWN | MULTI | ((many.len() as u32) << 21) | styled;
            for (k, n) in many.iter().enumerate() {
                e |= (n.ch as u32) << (7 * k);
            }
            e
        }
        _ => KNOWN | BAIL,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::normalize::Normalized;
    use proptest::prelude::*;

    /// Every byte it is shown, in order.
    struct Recorder(Vec<u8>);

    impl KeyObserver for Recorder {
        fn byte(&mut self, b: u8) {
            self.0.push(b);
        }
    }

    /// The fused pass, when it builds a key view, builds the one the step functions build; and
    /// when it says its observer saw the key text, the observer saw exactly that text.
    fn fused_agrees(text: &str) -> Result<(), String> {
        let mut fused = FastKey::default();
        let mut steps = FastKey::default();
        let mut seen = Recorder(Vec::new());
        let how = fused.build_observed(text, &[], &mut seen);
        if how == Built::Observed && seen.0 != fused.key_text().as_bytes() {
            return Err(format!(
                "{text:?}: the observer saw {:?}, the key text is {:?}",
                String::from_utf8_lossy(&seen.0),
                fused.key_text()
            ));
        }
        let built = how != Built::No;
        let steps_built = steps.build_steps(text, &[]);
        let flags = |c: &KeyChar| (c.ch, c.flags & !NormChar::DISGUISED, c.folded);
        let same = built == steps_built
            && (!built
                || (fused.key_text() == steps.key_text()
                    && fused
                        .key_chars()
                        .iter()
                        .map(flags)
                        .eq(steps.key_chars().iter().map(flags))));
        if same {
            Ok(())
        } else {
            Err(format!(
                "{text:?}: fused {:?} {:?} vs steps {:?} {:?}",
                fused.key_text(),
                fused.key_chars(),
                steps.key_text(),
                steps.key_chars()
            ))
        }
    }

    /// [`fold_located`], when it does not give up, makes the folded view steps 1–4 make:
    /// the same chars, source offsets, indices and flags. True when it did not give up.
    fn located_agrees(text: &str) -> Result<bool, String> {
        let (mut located, mut steps) = (Vec::new(), Vec::new());
        if !fold_located(text, &mut located) {
            return Ok(false);
        }
        crate::normalize::fold_steps(text, &mut steps, &mut String::new());
        if located == steps {
            Ok(true)
        } else {
            Err(format!("{text:?}: located {located:?} vs steps {steps:?}"))
        }
    }

    /// The full views taken from the fast key equal those the steps build: chars, offsets,
    /// folded indices, flags (all of them) and texts.
    fn keyed_agrees(text: &str, fast: &FastKey, full: &Normalized) -> Result<(), String> {
        let mut keyed = Normalized::default();
        keyed.normalize_keyed(text, fast);
        let views = |n: &Normalized| {
            (
                n.folded.clone(),
                n.folded_text.clone(),
                n.folded_offsets.clone(),
            )
        };
        let keys = |n: &Normalized| (n.key.clone(), n.key_text.clone(), n.key_offsets.clone());
        if views(&keyed) != views(full) {
            return Err(format!("{text:?}: keyed folded view differs"));
        }
        if keys(&keyed) != keys(full) {
            return Err(format!(
                "{text:?}: keyed key view {:?} vs steps {:?}",
                keyed.key, full.key
            ));
        }
        Ok(())
    }

    fn agrees(text: &str) -> Result<bool, String> {
        fused_agrees(text)?;
        located_agrees(text)?;
        let mut fast = FastKey::default();
        let mut full = Normalized::default();
        full.normalize(text);
        let flags = |f: u8| f & !NormChar::DISGUISED;
        let same_flags = |fast: &FastKey| {
            fast.key_chars().len() == full.key().len()
                && (fast.key_chars().iter().zip(full.key())).all(|(a, b)| {
                    a.ch == b.ch && flags(a.flags) == flags(b.flags) && a.folded == b.folded
                })
        };
        if fast.build(text, &[]) {
            if !same_flags(&fast) {
                return Err(format!("{text:?}: key chars or flags differ"));
            }
            keyed_agrees(text, &fast, &full)?;
            let folded: Vec<char> = fast.folded(text).iter().map(|c| c.ch).collect();
            let want: Vec<char> = full.folded().iter().map(|c| c.ch).collect();
            if folded != want {
                return Err(format!("{text:?}: folded views differ"));
            }
        }
        match fast.key(text, &[]) {
            Some(k) if k == full.key_text() => Ok(true),
            Some(k) => Err(format!(
                "{text:?}: fast {k:?} vs full {:?}",
                full.key_text()
            )),
            None => Ok(false),
        }
    }

    #[test]
    fn fast_key_equals_full_key_or_gives_up() {
        for t in [
            "收 ＵＳＤＴ，加 V 信",
            "hello, nice weather today… 明天见。",
            "to the mooooon!!! b1tc01n u$dt",
            "m o o n qq 123 加qq",
            "比特幣 收購",
            "扣扣 一二三四五六七八",
            "втс",
            "企畫",
            "Ｕ",
            "①②③④⑤⑥",
            "ﬁne ㎏ 🚀🚀 🅤🅢🅓🅣",
            "a\u{200B}b\u{0347} \r\n x",
            "all lots, at the zoo; aa bb. x xx xxx pumppp. qq 加qq mooo n o o",
            "i sold it. btc is up\nline two. rate 6.95 ok! 出u！微信 卖掉了。币圈 ！！a? b",
            ".a. . ﬀ ﬀf ﬁﬁ",
            "",
        ] {
            agrees(t).unwrap();
        }
        assert_eq!(agrees("收 ＵＳＤＴ，加 V 信"), Ok(true));
        assert_eq!(agrees("扣扣 一二三四五六七八"), Ok(false));
        assert_eq!(agrees("втс"), Ok(false));
    }

    #[test]
    fn fast_key_equals_full_key_on_every_corpus_row() {
        let texts = crate::eval::corpus::project_corpus_texts();
        let rows = texts.len();
        let fast: usize = texts.iter().map(|t| usize::from(agrees(t).unwrap())).sum();
        assert!(rows > 100 && fast * 2 > rows, "{fast} of {rows} rows");
        let located: usize = (texts.iter())
            .map(|t| usize::from(located_agrees(t).unwrap()))
            .sum();
        assert!(located * 2 > rows, "{located} of {rows} rows");
    }

    #[test]
    fn located_fold_gives_up_where_a_step_marks_a_disguise() {
        for text in [
            "收\u{200B}u",
            "𝐁tc",
            "é",
            "a\u{7}b",
            "ⓑtc",
            "①",
            "ﬁne",
            "徦币",
        ] {
            assert_eq!(located_agrees(text), Ok(false), "{text:?}");
        }
        for text in [
            "收 ＵＳＤＴ，加 V 信",
            "比特幣",
            "hello\r\nworld",
            "ｂｔｃ１２ ok",
        ] {
            assert_eq!(located_agrees(text), Ok(true), "{text:?}");
        }
    }

    fn interesting_char() -> impl Strategy<Value = char> {
        prop_oneof![
            4 => prop::char::range('a', 'z'),
            3 => prop::sample::select(vec!['l', 'm', 'o', 'q', ' ', ' ', '.', '!', '\n', 'ﬀ']),
            2 => prop::sample::select(vec![
                ' ', '.', '!', '?', ',', '\n', '\r', '\t', '$', '@', '*', '-', '_', '\u{7}',
                '0', '1', '3', '4', '5', '8', '9', 'U', 'S', 'L', 'I',
            ]),
            2 => prop::sample::select(vec![
                '收', '购', '購', '幣', '币', '比', '特', '出', '岀', '一', '二', '三', '五',
                '零', '两', '兩', '幺', '畫', '〇', '。', '！', '？', '，', '…', '①', '⑩', 'ﬁ',
                'Ｕ', 'ｓ', '１', '𝐁', '🅤', '🚀', '\u{200B}', '\u{FEFF}', '\u{0347}', 'é',
                'в', 'т', 'с', 'о', 'λ', 'ø', '∪', '㎏', '한', '✈', '\u{FE0F}', '徦', '黒', '💯', '🚗',
            ]),
            1 => any::<char>(),
        ]
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(2000))]
        #[test]
        fn fast_key_never_disagrees(chars in prop::collection::vec(interesting_char(), 0..40)) {
            let text: String = chars.into_iter().collect();
            prop_assert!(agrees(&text).is_ok(), "{}", agrees(&text).unwrap_err());
        }

        /// A prefix of the folded view is that prefix of the whole view.
        #[test]
        fn a_folded_prefix_is_the_start_of_the_folded_view(
            chars in prop::collection::vec(interesting_char(), 0..40),
            len in 0usize..45,
        ) {
            let text: String = chars.into_iter().collect();
            let mut fast = FastKey::default();
            // (only a post whose key view was built gets its folded view this way)
            if !fast.build(&text, &[]) {
                return Ok(());
            }
            let whole = fast.folded(&text).to_vec();
            let prefix = fast.folded_prefix(&text, len);
            prop_assert_eq!(prefix, &whole[..len.min(whole.len())]);
        }

        /// Few distinct letters, so words are full of runs (`moooq`, `QQ`, `oOo`) that start,
        /// end and collapse inside a word, at its edges and across gaps.
        #[test]
        fn fast_key_agrees_on_runs_of_letters(chars in prop::collection::vec(
            prop::sample::select(vec!['o', 'o', 'O', 'm', 'q', 'Q', ' ', '.', '1', '!', '币']),
            0..60,
        )) {
            let text: String = chars.into_iter().collect();
            prop_assert!(agrees(&text).is_ok(), "{}", agrees(&text).unwrap_err());
        }
    }
}
