//! Chinese numerals read as digits, so the number detectors see them too.
//!
//! Promoters write figures in words to slip past digit patterns: `日息一点五` (1.5% a day),
//! `年化两千%`, `百分之二百一` (210%), `八八八U`, `收U六点九五`. [`ArabicView`] rewrites such
//! numerals in the folded text as Arabic digits (`百分之X` becomes `X%`) and maps every byte of
//! the rewritten text back to the folded text, so findings on it point at the original words.
//!
//! Only runs that read as a figure are rewritten: two or more numeral characters with a unit
//! (`二百`, `两千`), a decimal (`一点五`), a run glued to `%`, `U` or `倍`, or anything after
//! `百分之`. A lone `一` (一起, 一下) stays a word.

/// The value of a Chinese digit (financial forms included; the folded text is simplified), or
/// `None` (ASCII digits are already digits).
fn digit(c: char) -> Option<u64> {
    if c.is_ascii() {
        return None;
    }
    crate::normalize::numerals::digit_value(c).map(u64::from)
}

/// The multiplier of a Chinese unit character, or `None`.
fn unit(c: char) -> Option<u64> {
    Some(match c {
        '十' | '拾' => 10,
        '百' | '佰' => 100,
        '千' | '仟' => 1_000,
        '万' => 10_000,
        '亿' => 100_000_000,
        _ => return None,
    })
}

/// A Chinese digit or unit: [`digit`] or [`unit`] reads it (one bit test, as most chars are
/// neither).
fn is_numeral(c: char) -> bool {
    crate::normalize::numerals::CHINESE_NUMERALS.has(c)
}

/// Longest numeral run read, in chars: longer runs are not figures anyone writes.
const MAX_RUN: usize = 16;

/// The folded text with Chinese figures rewritten as digits, and the way back.
#[derive(Debug, Default)]
pub(crate) struct ArabicView {
    /// The rewritten text.
    pub(crate) text: String,
    /// Every rewritten figure, in order: its folded byte range and its view byte range. Text
    /// between figures is copied unchanged, so these are the whole map back.
    figures: Vec<Figure>,
}

#[derive(Debug, Clone, Copy)]
struct Figure {
    folded: (usize, usize),
    view: (usize, usize),
}

impl ArabicView {
    /// The view of `folded`, or `None` when it has no Chinese figure to rewrite.
    pub(crate) fn of(folded: &str) -> Option<ArabicView> {
        let mut view = ArabicView::default();
        let mut copied = 0;
        while let Some((start, end, digits)) = next_figure(folded, copied) {
            view.text.push_str(&folded[copied..start]);
            let view_start = view.text.len();
            view.text.push_str(&digits);
            view.figures.push(Figure {
                folded: (start, end),
                view: (view_start, view.text.len()),
            });
            copied = end;
        }
        if view.figures.is_empty() {
            return None;
        }
        view.text.push_str(&folded[copied..]);
        Some(view)
    }

    /// The folded-text range of view range `start..end`, if it touches a rewritten figure
    /// (findings elsewhere were already found on the folded text itself).
    pub(crate) fn back(&self, start: usize, end: usize) -> Option<(usize, usize)> {
        if start >= end {
            return None;
        }
        let (from, _) = self.position(start);
        let (_, to) = self.position(end - 1);
        let first_after = self.figures.partition_point(|f| f.folded.1 <= from);
        let touches = (self.figures.get(first_after)).is_some_and(|f| f.folded.0 < to);
        (touches && from < to).then_some((from, to))
    }

    /// The folded byte range that view byte `at` stands for: a whole figure, or one copied byte.
    fn position(&self, at: usize) -> (usize, usize) {
        let i = self.figures.partition_point(|f| f.view.0 <= at);
        let Some(f) = i.checked_sub(1).and_then(|i| self.figures.get(i)) else {
            return (at, at + 1);
        };
        if at < f.view.1 {
            f.folded
        } else {
            let copied = f.folded.1 + (at - f.view.1);
            (copied, copied + 1)
        }
    }
}

/// The next figure at or after byte `at`: its folded byte range and its digits.
fn next_figure(folded: &str, at: usize) -> Option<(usize, usize, String)> {
    let mut from = at;
    loop {
        let run_start = from + folded.get(from..)?.find(is_numeral)?;
        let end = run_end(folded, run_start);
        let percent = folded[..run_start].ends_with(PERCENT_PREFIX);
        if let Some(value) = reads_as_figure(&folded[run_start..end], &folded[end..], percent) {
            return Some(if percent {
                (run_start - PERCENT_PREFIX.len(), end, format!("{value}%"))
            } else {
                (run_start, end, value)
            });
        }
        from = end;
    }
}

/// "Per hundred of": `百分之二十` is 20%.
const PERCENT_PREFIX: &str = "百分之";

/// The end of the numeral run starting at `start` (a `点` between numerals is part of it).
fn run_end(folded: &str, start: usize) -> usize {
    let mut end = start;
    let mut chars = 0;
    let mut iter = folded[start..].char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        let decimal_point =
            c == '点' && chars > 0 && iter.peek().is_some_and(|&(_, n)| digit(n).is_some());
        if !(is_numeral(c) || decimal_point) || chars == MAX_RUN {
            break;
        }
        chars += 1;
        end = start + i + c.len_utf8();
    }
    end
}

/// The run's value in digits, if the run reads as a figure in its place.
fn reads_as_figure(run: &str, after: &str, percent_prefix: bool) -> Option<String> {
    let chars = run.chars().count();
    let has_unit = run.chars().any(|c| unit(c).is_some());
    let has_point = run.contains('点');
    let glued_unit = after.starts_with(['%', 'u', 'U', '倍']);
    // a figure starts with a digit (`两千`, not `千万` "by all means"), or is `十五`-like
    let mut iter = run.chars();
    let leads = match (iter.next(), iter.next()) {
        (Some(first), _) if digit(first).is_some() => true,
        (Some('十' | '拾'), Some(second)) => digit(second).is_some(),
        _ => false,
    };
    let figure = percent_prefix || has_point || (chars >= 2 && (has_unit || glued_unit));
    if !figure || !leads {
        return None;
    }
    match run.split_once('点') {
        Some((whole, fraction)) => {
            let fraction: Option<String> = fraction
                .chars()
                .map(|c| digit(c).and_then(|d| char::from_digit(d as u32, 10)))
                .collect();
            Some(format!("{}.{}", value(whole)?, fraction?))
        }
        None => value(run).map(|v| v.to_string()),
    }
}

/// The value of a whole Chinese numeral: `二百一` = 210, `两千` = 2000, `八八八` = 888,
/// `十五` = 15, `三万五千` = 35000. `None` for what no one writes (`百百`).
fn value(run: &str) -> Option<u64> {
    if run.is_empty() {
        return None;
    }
    if run.chars().all(|c| digit(c).is_some()) {
        // digit by digit, like a phone number or `八八八`
        return run
            .chars()
            .try_fold(0u64, |acc, c| acc.checked_mul(10)?.checked_add(digit(c)?));
    }
    let (mut total, mut section, mut number) = (0u64, 0u64, None::<u64>);
    let (mut last_unit, mut zero_after_unit) = (0u64, false);
    for c in run.chars() {
        if let Some(d) = digit(c) {
            zero_after_unit |= d == 0;
            number = Some(d);
            continue;
        }
        zero_after_unit = false;
        let u = unit(c)?;
        if u >= 10_000 {
            section = section.checked_add(number.take().unwrap_or(0))?;
            total = total.checked_add(section.checked_mul(u)?)?;
            section = 0;
            last_unit = u;
        } else {
            let n = number.take().unwrap_or(1);
            section = section.checked_add(n.checked_mul(u)?)?;
            last_unit = u;
        }
    }
    // `二百一` is 210: a trailing digit right after a unit counts in the next lower unit
    // (`一百零五` is 105: the 零 says so)
    let tail = match number {
        Some(d) if (100..10_000).contains(&last_unit) && !zero_after_unit => {
            d.checked_mul(last_unit / 10)?
        }
        Some(d) => d,
        None => 0,
    };
    total.checked_add(section)?.checked_add(tail)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numerals_are_the_chars_with_a_digit_or_unit_value() {
        for c in (0..=0x10FFFF).filter_map(char::from_u32) {
            let valued = digit(c).is_some() || unit(c).is_some();
            assert_eq!(is_numeral(c), valued, "{c:?}");
        }
    }

    #[test]
    fn values() {
        for (run, want) in [
            ("二百一", 210),
            ("两千", 2000),
            ("八八八", 888),
            ("十五", 15),
            ("三万五千", 35000),
            ("一百零五", 105),
            ("十", 10),
            ("五万", 50000),
        ] {
            assert_eq!(value(run), Some(want), "{run}");
        }
        assert_eq!(
            value("一".repeat(40).as_str()),
            None,
            "overflow is no figure"
        );
    }

    fn view(text: &str) -> Option<String> {
        ArabicView::of(text).map(|v| v.text)
    }

    #[test]
    fn figures_become_digits() {
        assert_eq!(view("日息一点五").as_deref(), Some("日息1.5"));
        assert_eq!(view("涨了百分之二百一,").as_deref(), Some("涨了210%,"));
        assert_eq!(view("apy 两千%").as_deref(), Some("apy 2000%"));
        assert_eq!(view("红包 八八八u").as_deref(), Some("红包 888u"));
        assert_eq!(view("收u六点九五").as_deref(), Some("收u6.95"));
    }

    #[test]
    fn words_stay_words() {
        for text in [
            "一起去",
            "一下",
            "万一",
            "千万不要",
            "hello",
            "十分好",
            "一点点",
        ] {
            assert_eq!(view(text), None, "{text}");
        }
    }

    #[test]
    fn findings_map_back_to_the_words() {
        let text = "最高涨了百分之二百一,下次";
        let v = ArabicView::of(text).expect("a figure");
        let at = v.text.find("210%").expect("rewritten");
        let (s, e) = v.back(at, at + "210%".len()).expect("touches the figure");
        assert_eq!(&text[s..e], "百分之二百一");
        let gain = v.text.find("涨").expect("copied");
        let (s, e) = v.back(gain, at + "210%".len()).expect("touches");
        assert_eq!(&text[s..e], "涨了百分之二百一");
        assert_eq!(v.back(0, 3), None, "untouched text is not reported twice");
    }
}
