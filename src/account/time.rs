//! Parsing the time field of a post into seconds since the Unix epoch.
//!
//! Dumps spell time in many ways; this accepts the common ones and never fails loudly: a time it
//! cannot read is simply "undated".

/// Parse a post time into seconds since 1970-01-01T00:00:00Z.
///
/// Accepted forms:
/// - Unix time in seconds (`1515110400`, `1515110400.5`) or, when larger than 10^11, milliseconds;
/// - `YYYY-MM-DD`, `YYYY-MM-DD HH:MM`, `YYYY-MM-DDTHH:MM:SS[.fraction]` (also with `/` between
///   date parts), optionally followed by `Z`, `UTC`, `±HH:MM` or `±HHMM`. Without a zone the time
///   is taken as UTC.
///
/// ```
/// use coinsieve::account::parse_time;
/// assert_eq!(parse_time("2018-01-05T00:00:00Z"), Some(1_515_110_400));
/// assert_eq!(parse_time("2018-01-05 08:00:00+08:00"), Some(1_515_110_400));
/// assert_eq!(parse_time("1515110400000"), Some(1_515_110_400));
/// assert_eq!(parse_time("yesterday"), None);
/// ```
pub fn parse_time(s: &str) -> Option<i64> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
        && !s[1..].contains('-')
    {
        let secs: f64 = s.parse().ok()?;
        if !secs.is_finite() {
            return None;
        }
        let secs = if secs.abs() > 1e11 {
            secs / 1000.0
        } else {
            secs
        };
        return Some(secs.floor() as i64);
    }
    parse_datetime(s)
}

fn parse_datetime(s: &str) -> Option<i64> {
    let b = s.as_bytes();
    let mut p = Cursor { b, i: 0 };
    let year = p.digits(4)?;
    let sep = p.peek()?;
    if sep != b'-' && sep != b'/' {
        return None;
    }
    p.i += 1;
    let month = p.digits_1_2()?;
    p.expect(sep)?;
    let day = p.digits_1_2()?;
    if !(1..=12).contains(&month) || !(1..=31).contains(&day) {
        return None;
    }
    let (mut hour, mut minute, mut second) = (0, 0, 0);
    let mut offset = 0i64;
    if let Some(c) = p.peek() {
        if c != b'T' && c != b' ' {
            return None;
        }
        p.i += 1;
        hour = p.digits_1_2()?;
        p.expect(b':')?;
        minute = p.digits(2)?;
        if p.peek() == Some(b':') {
            p.i += 1;
            second = p.digits(2)?;
            if p.peek() == Some(b'.') || p.peek() == Some(b',') {
                p.i += 1;
                while p.peek().is_some_and(|c| c.is_ascii_digit()) {
                    p.i += 1;
                }
            }
        }
        if hour > 23 || minute > 59 || second > 60 {
            return None;
        }
        while p.peek() == Some(b' ') {
            p.i += 1;
        }
        match p.peek() {
            None => {}
            Some(b'Z') | Some(b'z') if p.i + 1 == b.len() => p.i += 1,
            Some(b'U') if &b[p.i..] == b"UTC" => p.i = b.len(),
            Some(sign @ (b'+' | b'-')) => {
                p.i += 1;
                let oh = p.digits(2)?;
                if p.peek() == Some(b':') {
                    p.i += 1;
                }
                let om = if p.peek().is_some() { p.digits(2)? } else { 0 };
                let o = oh * 3600 + om * 60;
                offset = if sign == b'+' { o } else { -o };
            }
            Some(_) => return None,
        }
        if p.i != b.len() {
            return None;
        }
    }
    let days = days_from_civil(year, month, day);
    Some(days * 86_400 + hour * 3600 + minute * 60 + second - offset)
}

struct Cursor<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cursor<'_> {
    fn peek(&self) -> Option<u8> {
        self.b.get(self.i).copied()
    }
    fn expect(&mut self, c: u8) -> Option<()> {
        (self.peek()? == c).then(|| self.i += 1)
    }
    fn digits(&mut self, n: usize) -> Option<i64> {
        let s = self.b.get(self.i..self.i + n)?;
        if !s.iter().all(u8::is_ascii_digit) {
            return None;
        }
        self.i += n;
        Some(s.iter().fold(0, |acc, d| acc * 10 + i64::from(d - b'0')))
    }
    fn digits_1_2(&mut self) -> Option<i64> {
        if self.b.get(self.i + 1).is_some_and(u8::is_ascii_digit) {
            self.digits(2)
        } else {
            self.digits(1)
        }
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

#[cfg(test)]
mod tests {
    use super::parse_time;

    #[test]
    fn common_forms() {
        assert_eq!(parse_time("1970-01-01"), Some(0));
        assert_eq!(parse_time("2018-01-05"), Some(1_515_110_400));
        assert_eq!(parse_time("2018/1/5 00:00"), Some(1_515_110_400));
        assert_eq!(parse_time("2018-01-05T00:00:01.250Z"), Some(1_515_110_401));
        assert_eq!(parse_time("2018-01-04T19:00:00-05:00"), Some(1_515_110_400));
        assert_eq!(parse_time("2018-01-05 08:00:00 +0800"), Some(1_515_110_400));
        assert_eq!(parse_time("2018-01-05 00:00:00 UTC"), Some(1_515_110_400));
        assert_eq!(parse_time("1515110400"), Some(1_515_110_400));
        assert_eq!(parse_time("1515110400.9"), Some(1_515_110_400));
        assert_eq!(parse_time("2024-02-29"), Some(1_709_164_800));
    }

    #[test]
    fn rejects_garbage() {
        for s in [
            "",
            "now",
            "2018-13-01",
            "2018-01-05X",
            "2018-01-05T25:00",
            "12-3-4",
            "1-2",
        ] {
            assert_eq!(parse_time(s), None, "{s}");
        }
    }
}
