//! Steps 5–7 of the fast key view fused into one streaming pass over the folded chars.
//!
//! [`FastKey::build`](super::fast::FastKey::build) used to push every folded char into a vector
//! and then run the leet, separator and repeat steps over it one after the other, plus a pass
//! for spaced-out letters and one to render the key text. For an ordinary post most of that is
//! moves of unchanged chars. [`build`] does the separator step (gaps, sentence-break markers,
//! spaced letters) and the repeat step (collapsing a run of a letter, keeping a token that is
//! nothing but one repeated letter) as the folded chars stream out of
//! [`fold_each`], with one char of lookahead for sentence breaks, writing the key chars and
//! the key text at once.
//!
//! A [`KeyObserver`] sees each byte of the key text as it is written: the batch matcher walks
//! its DFA there ([`Matcher::key_walk`](crate::matcher::Matcher::key_walk)), while the bytes
//! are in cache and alongside the work of this pass, instead of in a search of its own after.
//!
//! It gives up (and `FastKey` runs the step functions as before) whenever a step would need
//! more: a token mixing ASCII letters with digits, `$`, `@` or an inner `!` (the leet step may rewrite it), or
//! a repeated letter across a gap right after a letter standing alone (`m o o n`: spaced-out
//! letters). When it succeeds its output equals that of the step functions (tested in
//! [`fast`](super::fast) on arbitrary text and on every corpus row).

use super::fast::{
    KeyChar, KeyObserver, Outcome, Sink, WIDE_CHANGED, WIDE_CJK, WIDE_SAME, fold_each, next_wide,
    push_utf8,
};
use super::separators::{breaks_between, is_break_char};
use super::{BREAK_CHAR, NormChar};
use std::sync::atomic::AtomicU32;

/// What [`build`] made of a post.
pub(super) enum Fused {
    /// `chars` and `key` hold the key view.
    Built,
    /// The post needs the step functions (leet or spaced-out repeated letters).
    Steps,
    /// The post needs the full pipeline.
    Full,
}

/// The key chars of `text` (no kept symbols) into `chars` and their text into `key` (both
/// cleared first); `observer` sees each byte of the key text as it is written.
pub(super) fn build<O: KeyObserver>(
    text: &str,
    chars: &mut Vec<KeyChar>,
    key: &mut Vec<u8>,
    observer: &mut O,
) -> Fused {
    chars.clear();
    key.clear();
    // at most one key char per byte, plus break markers (each after a separator byte)
    chars.reserve(text.len());
    key.reserve(text.len() + 8);
    let mut stream = Stream::new(chars, key, observer);
    match fold_each(text, &mut stream) {
        Outcome::Done => {
            stream.next_key_char(true, true);
            Fused::Built
        }
        Outcome::Stopped => Fused::Steps,
        Outcome::Bail => Fused::Full,
    }
}

/// The state of the streaming separator + repeat steps.
struct Stream<'a, O> {
    chars: &'a mut Vec<KeyChar>,
    key: &'a mut Vec<u8>,
    observer: &'a mut O,
    /// Index of the next folded char.
    folded: u32,
    /// Separators since the last content char, and whether one of them was not whitespace.
    gap: bool,
    symbol_gap: bool,
    /// A sentence-break marker is pending (written before the next content char): the folded
    /// index of the break char.
    brk: Option<u32>,
    /// The previous folded char.
    prev: Option<char>,
    /// A break char waiting for the char after it: (the char before it, it, its folded index).
    waiting: Option<(Option<char>, char, u32)>,
    /// The current token (run of ASCII letters, digits, `$`, `@`) has a letter / has another
    /// token char.
    tok_letter: bool,
    tok_other: bool,
    /// The current token has begun: a `$` or `@` that opens a token (`@handle`, `$btc`) is never
    /// rewritten by the leet step, so only a later one counts as `tok_other`.
    tok_begun: bool,
    /// The previous char is a `!` right after a letter: a letter next makes it leet (`s!gnal`).
    bang: bool,
    /// The last key char if it is an ASCII letter, else 0.
    last: u8,
    /// Length of the run of `last` (0 or 1: no run).
    run: u32,
    /// Index in `chars` of the run's first letter.
    run_at: usize,
    /// The run starts at a word edge (first key char, a gap, or a non-letter before it).
    run_start_edge: bool,
}

impl<O: KeyObserver> Sink for Stream<'_, O> {
    #[inline(always)]
    fn push(&mut self, ch: char, content: bool) -> bool {
        let f = self.folded;
        self.folded += 1;
        // a break char is a sentence break or not depending on the char after it
        if let Some((p, c, at)) = self.waiting.take()
            && breaks_between(p, c, Some(ch))
        {
            self.brk = Some(at);
        }
        if !self.token(ch) {
            return false;
        }
        if content {
            if !self.content(ch, f) {
                return false;
            }
        } else {
            self.gap = true;
            self.symbol_gap |= !ch.is_whitespace();
            if self.brk.is_none() && is_break_char(ch) {
                self.waiting = Some((self.prev, ch, f));
            }
        }
        self.prev = Some(ch);
        true
    }

    /// Not ASCII, so no letter, digit or token char: right after content that is no letter,
    /// with no separator between, the separator and repeat steps have nothing to do (`gap`
    /// false implies `symbol_gap` false, `last` 0 implies no run) and the char is written.
    #[inline(always)]
    fn wide_content(&mut self, ch: char) -> bool {
        if self.gap || self.last != 0 || self.brk.is_some() || self.waiting.is_some() {
            return self.push(ch, true);
        }
        let folded = self.folded;
        self.folded += 1;
        self.tok_letter = false;
        self.tok_other = false;
        self.tok_begun = false;
        self.bang = false;
        self.run = 0;
        self.chars.push(KeyChar::new(ch, 0, folded));
        self.put_char(ch);
        self.prev = Some(ch);
        true
    }

    /// [`Sink::push`] of a space: no content, no token char, no break char, whitespace; only a
    /// break char waiting for the char after it needs the general path.
    #[inline(always)]
    fn space(&mut self) -> bool {
        if self.waiting.is_some() {
            return self.push(' ', false);
        }
        self.folded += 1;
        self.bang = false;
        self.tok_letter = false;
        self.tok_other = false;
        self.tok_begun = false;
        self.gap = true;
        self.prev = Some(' ');
        true
    }

    /// Right after a wide content char, the state is the one [`Sink::wide_content`] writes a
    /// char in at once (no gap, no break, no token, no run): each char of the run is written
    /// as it is, its UTF-8 copied from the text when the fold does not change it.
    #[inline(never)]
    fn wide_chars(
        &mut self,
        bytes: &[u8],
        mut i: usize,
        table: &[AtomicU32],
    ) -> Option<(usize, bool, bool)> {
        debug_assert!(
            !self.gap
                && !self.symbol_gap
                && self.last == 0
                && self.run == 0
                && self.brk.is_none()
                && self.waiting.is_none()
                && !self.tok_letter
                && !self.tok_other
                && !self.tok_begun
                && !self.bang
        );
        let (chars, key, observer) = (&mut *self.chars, &mut *self.key, &mut *self.observer);
        let folded = self.folded;
        let mut bits = 0;
        // each char of the run takes 3 bytes of the text
        chars.reserve(bytes.len().saturating_sub(i) / 3);
        let spare = chars.spare_capacity_mut();
        let mut n = 0;
        // the text bytes from `same` to `i` are the UTF-8 of unchanged chars not yet in `key`
        let mut same = i;
        while let Some((ch, b)) = next_wide(bytes, i, table) {
            let Some(slot) = spare.get_mut(n) else {
                break;
            };
            slot.write(KeyChar::new(ch, 0, folded + n as u32));
            n += 1;
            if b & WIDE_SAME == 0 {
                key.extend_from_slice(bytes.get(same..i).unwrap_or_default());
                let at = key.len();
                push_utf8(key, ch);
                observer.char_bytes(key.get(at..).unwrap_or_default());
                same = i + 3;
            } else {
                observer.char_bytes(bytes.get(i..i + 3).unwrap_or_default());
            }
            bits |= b;
            i += 3;
        }
        key.extend_from_slice(bytes.get(same..i).unwrap_or_default());
        // SAFETY: the loop wrote the first `n` slots of the spare capacity (`spare.get_mut(k)`
        // for every k < n), so the first `len + n` elements are initialized.
        unsafe { chars.set_len(chars.len() + n) };
        self.folded = folded + n as u32;
        if n > 0 {
            self.prev = chars.last().map(|c| c.ch);
        }
        Some((i, bits & WIDE_CJK != 0, bits & WIDE_CHANGED != 0))
    }

    /// The first letter as any char, the others with only what can happen inside a word: no
    /// gap, no break, no token change, no spaced letter; a letter either extends the run of
    /// the one before it or is written.
    #[inline(always)]
    fn letters(&mut self, bytes: &[u8]) -> Option<usize> {
        let (&first, rest) = bytes.split_first()?;
        // `b | 0x20` is a lowercase letter exactly when `b` is a letter, and then its lowercase
        let first = first | 0x20;
        if !first.is_ascii_lowercase() {
            return Some(0);
        }
        if !self.push(first as char, true) {
            return None;
        }
        let mut len = 1;
        for &b in rest {
            let letter = b | 0x20;
            if !letter.is_ascii_lowercase() {
                break;
            }
            len += 1;
            let folded = self.folded;
            self.folded += 1;
            if letter == self.last {
                self.run += 1;
                continue;
            }
            if self.run >= 2 {
                self.end_run(false);
            }
            self.run = 1;
            self.run_at = self.chars.len();
            self.run_start_edge = false;
            self.last = letter;
            self.chars.push(KeyChar::new(letter as char, 0, folded));
            self.key.push(letter);
            self.observer.byte(letter);
        }
        if let Some(&b) = bytes.get(len - 1) {
            self.prev = Some((b | 0x20) as char);
        }
        Some(len)
    }
}

impl<'a, O: KeyObserver> Stream<'a, O> {
    fn new(chars: &'a mut Vec<KeyChar>, key: &'a mut Vec<u8>, observer: &'a mut O) -> Self {
        Stream {
            chars,
            key,
            observer,
            folded: 0,
            gap: false,
            symbol_gap: false,
            brk: None,
            prev: None,
            waiting: None,
            tok_letter: false,
            tok_other: false,
            tok_begun: false,
            bang: false,
            last: 0,
            run: 0,
            run_at: 0,
            run_start_edge: false,
        }
    }

    /// The leet step changes nothing unless a token mixes letters with digits, `$` or `@`, or
    /// has a `!` between two letters.
    #[inline(always)]
    fn token(&mut self, ch: char) -> bool {
        if ch.is_ascii_alphabetic() {
            if self.bang {
                return false;
            }
            self.tok_letter = true;
        } else if ch.is_ascii_digit() || ch == '$' || ch == '@' {
            self.bang = false;
            // a `$` / `@` opening the token stays as it is (the leet step skips a token's
            // first char for these two)
            self.tok_other |= ch.is_ascii_digit() || self.tok_begun;
        } else {
            self.bang = ch == '!' && self.tok_letter;
            self.tok_letter = false;
            self.tok_other = false;
            self.tok_begun = false;
            return true;
        }
        self.tok_begun = true;
        !(self.tok_letter && self.tok_other)
    }

    /// A content char (folded index `f`): the pending break marker (unless no key char came
    /// before), then the char with the gap flags of the separators before it.
    #[inline(always)]
    fn content(&mut self, ch: char, f: u32) -> bool {
        let mut flags = 0;
        if std::mem::take(&mut self.gap) {
            flags |= NormChar::GAP_BEFORE;
        }
        if std::mem::take(&mut self.symbol_gap) {
            flags |= NormChar::SYMBOL_GAP;
        }
        if let Some(at) = self.brk.take()
            && !self.chars.is_empty()
        {
            let marker = NormChar::BREAK | NormChar::GAP_BEFORE;
            // (the marker is no letter: the repeat step never gives up on it)
            self.key_char(BREAK_CHAR, marker, at);
        }
        self.key_char(ch, flags, f)
    }

    /// The repeat step on one key char, then the char itself; false to give up.
    #[inline(always)]
    fn key_char(&mut self, ch: char, flags: u8, folded: u32) -> bool {
        let gap = flags & NormChar::GAP_BEFORE != 0;
        let letter = if ch.is_ascii_alphabetic() {
            ch as u8
        } else {
            0
        };
        if letter != 0 && letter == self.last {
            if !gap {
                self.run += 1;
                return true;
            }
            // across a gap a run goes on only between spaced-out single letters
            if self.run <= 1 && self.alone_left(self.chars.len() - 1) {
                return false;
            }
        }
        self.next_key_char(gap, gap || letter == 0);
        if letter != 0 {
            self.run = 1;
            self.run_at = self.chars.len();
            self.run_start_edge = gap || self.last == 0;
        }
        self.last = letter;
        self.chars.push(KeyChar::new(ch, flags, folded));
        self.put_char(ch);
        true
    }

    /// Finish the last key char (and its run) before the next one: `gap`, it has a gap before
    /// it (or it is the end); `word_edge`: also if it is no letter.
    #[inline(always)]
    fn next_key_char(&mut self, gap: bool, word_edge: bool) {
        // in a run the last key char is its first letter, which the run's second one followed
        // without a gap: it is no spaced letter
        if self.run >= 2 {
            self.end_run(word_edge);
        } else {
            self.run = 0;
            self.mark_spaced(gap);
        }
    }

    /// Key char `i` is the first one or has a gap before it.
    /// Write `ch` to the key text, and show its bytes to the observer.
    #[inline(always)]
    fn put_char(&mut self, ch: char) {
        let at = self.key.len();
        push_utf8(self.key, ch);
        self.observer
            .char_bytes(self.key.get(at..).unwrap_or_default());
    }

    #[inline(always)]
    fn alone_left(&self, i: usize) -> bool {
        i == 0 || self.chars[i].flags & NormChar::GAP_BEFORE != 0
    }

    /// The spaced-letter flag of the last key char, now that the next one (`gap`: it has a gap
    /// before it, or it is the end) is known.
    #[inline(always)]
    fn mark_spaced(&mut self, gap: bool) {
        let Some(i) = self.chars.len().checked_sub(1) else {
            return;
        };
        if gap && self.chars[i].ch.is_ascii_alphanumeric() && self.alone_left(i) {
            self.chars[i].flags |= NormChar::SPACED;
        }
    }

    /// End the current run of `last` (its first letter is written): a whole token of one
    /// repeated letter (`qq`) stays, any other run collapses to its first letter. `end_edge`: the
    /// key char after the run is a word edge (gap, non-letter, or the end).
    #[inline(always)]
    fn end_run(&mut self, end_edge: bool) {
        if self.run >= 2 {
            let first = self.chars[self.run_at];
            if self.run_start_edge && end_edge {
                for k in 1..self.run {
                    let folded = first.folded + k;
                    self.chars.push(KeyChar::new(first.ch, 0, folded));
                    self.key.push(self.last);
                    self.observer.byte(self.last);
                }
            } else {
                // the run's letters are consecutive folded chars
                let kept = &mut self.chars[self.run_at];
                kept.covers = u16::try_from(self.run - 1).unwrap_or(u16::MAX);
                if self.run >= 3 {
                    kept.flags |= NormChar::DISGUISED;
                }
            }
        }
        self.run = 0;
    }
}
