//! Promotion shapes: daily-yield promises, cashtags, links, and stand-alone ID tokens.
//!
//! * `yield_promise`: a fixed return per period — "earn 3% per day", "4.5% DAILY",
//!   "年化120%", "静态收益每天1.5%". Real investments do not promise a daily percentage.
//! * `cashtag`: `$zaph`, `$dltx` — a ticker written to be searched and bought.
//! * `link`: a URL or a bare domain (`claim-zentra-drop.xyz`), the landing page of most scams.
//! * `id_token`: a token shaped like a messenger ID standing on its own (`wang_xiafu_u`,
//!   `laozhang88`) — ads often drop the channel word. Weak evidence: rules weigh it lower.

use super::contact::compile;
use super::{Detection, Detector, Sink, is_word, prev_is};
use regex::Regex;

/// The promotion detectors, compiled once.
#[derive(Debug)]
pub(crate) struct PromoDetector {
    yield_after: Regex,
    yield_before: Regex,
    cashtag: Regex,
    url: Regex,
    domain: Regex,
    id_token: Regex,
}

const PERIOD: &str = r"(?:per\s?day|a\s?day|daily|each\s?day|every\s?day|/\s?day|per\s?week|weekly|a\s?week|per\s?month|monthly|每天|每日|日|/天|一天|天|每周|每月|月)";
const PERIOD_WORD: &str = r"(?:每天|每日|日收益|月收益|周收益|静态收益|动态收益|年化|日化|daily|weekly|monthly|per\s?day|a\s?day|roi)";
const TLD: &str = r"(?:com|net|org|io|xyz|app|live|finance|co|me|top|vip|cc|info|site|online|pro|fun|club|link|biz|ai|gg|to|ly|cn|exchange|trade|money|cash|club|shop|store)";

impl PromoDetector {
    pub(crate) fn new() -> PromoDetector {
        PromoDetector {
            yield_after: compile(&format!(r"\d{{1,3}}(?:\.\d{{1,2}})?\s?%\s?{PERIOD}")),
            yield_before: compile(&format!(
                r"{PERIOD_WORD}[^\d\n]{{0,6}}\d{{1,3}}(?:\.\d{{1,2}})?\s?%"
            )),
            cashtag: compile(r"\$[a-z][a-z0-9]{1,9}\b"),
            url: compile(r"(?:https?://|www\.)[^\s<>]{3,200}"),
            domain: compile(&format!(
                r"\b[a-z0-9][a-z0-9-]{{1,40}}(?:\.[a-z0-9-]{{1,40}}){{0,3}}\.{TLD}\b(?:/[^\s<>]{{0,100}})?"
            )),
            id_token: compile(r"[a-z][a-z0-9_]{3,23}[a-z0-9]"),
        }
    }

    pub(crate) fn detect(&self, text: &str, out: &mut Vec<Detection>) {
        self.yields(text, out);
        self.cashtags(text, out);
        self.links(text, out);
        self.id_tokens(text, out);
    }

    fn yields(&self, text: &str, out: &mut Vec<Detection>) {
        let mut sink = Sink::new(out, Detector::YieldPromise);
        for re in [&self.yield_after, &self.yield_before] {
            for m in re.find_iter(text) {
                if sink.full() {
                    return;
                }
                if !prev_is(text, m.start(), |c| c.is_ascii_digit() || c == '.') {
                    sink.push(m.start(), m.end());
                }
            }
        }
    }

    fn cashtags(&self, text: &str, out: &mut Vec<Detection>) {
        let mut sink = Sink::new(out, Detector::Cashtag);
        for m in self.cashtag.find_iter(text) {
            if sink.full() {
                return;
            }
            if !prev_is(text, m.start(), |c| is_word(c) || c == '$') {
                sink.push(m.start(), m.end());
            }
        }
    }

    fn links(&self, text: &str, out: &mut Vec<Detection>) {
        let mut sink = Sink::new(out, Detector::Link);
        for m in self.url.find_iter(text).chain(self.domain.find_iter(text)) {
            if sink.full() {
                return;
            }
            // a domain right after '@' is an email; after '.' or '/' it is part of a longer URL
            if !prev_is(text, m.start(), |c| {
                matches!(c, '@' | '.' | '/' | '-') || is_word(c)
            }) {
                let trimmed = m
                    .as_str()
                    .trim_end_matches(|c: char| ",.;:!?)]}'\"，。）】".contains(c));
                sink.push(m.start(), m.start() + trimmed.len());
            }
        }
    }

    fn id_tokens(&self, text: &str, out: &mut Vec<Detection>) {
        let mut sink = Sink::new(out, Detector::IdToken);
        for m in self.id_token.find_iter(text) {
            if sink.full() {
                return;
            }
            let glued_before = prev_is(text, m.start(), |c| {
                is_word(c) || matches!(c, '@' | '.' | '/' | '-' | '$' | ':')
            });
            let glued_after = super::next_is(text, m.end(), |c| {
                is_word(c) || matches!(c, '@' | '.' | '/' | '-' | '%')
            });
            if !glued_before && !glued_after && looks_like_id(m.as_str()) {
                sink.push(m.start(), m.end());
            }
        }
    }
}

/// Has an underscore, or at least three letters and two digits: `wang_xiafu_u`, `laozhang88`.
fn looks_like_id(token: &str) -> bool {
    let letters = token.chars().filter(char::is_ascii_alphabetic).count();
    let digits = token.chars().filter(char::is_ascii_digit).count();
    token.contains('_') || (letters >= 3 && digits >= 2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(text: &str, detector: Detector) -> Vec<&str> {
        let mut out = Vec::new();
        PromoDetector::new().detect(text, &mut out);
        out.iter()
            .filter(|d| d.detector == detector)
            .map(|d| &text[d.start..d.end])
            .collect()
    }

    #[test]
    fn yield_promises() {
        assert_eq!(
            found("earn 3% per day in btc", Detector::YieldPromise),
            vec!["3% per day"]
        );
        assert_eq!(
            found("stake and get 4.5% daily", Detector::YieldPromise),
            vec!["4.5% daily"]
        );
        assert_eq!(
            found("矿机托管,年化120%", Detector::YieldPromise),
            vec!["年化120%"]
        );
        assert_eq!(
            found("静态收益每天1.5%", Detector::YieldPromise),
            vec!["静态收益每天1.5%"]
        );
        assert!(found("btc is up 3% today", Detector::YieldPromise).is_empty());
        assert!(found("inflation was 3% last year", Detector::YieldPromise).is_empty());
    }

    #[test]
    fn cashtags_links_and_ids() {
        assert_eq!(
            found("coin: $zaph buy now, not $100", Detector::Cashtag),
            vec!["$zaph"]
        );
        let mut links = found(
            "claim at claim-zentra-drop.xyz or https://t.co/ab12, mail a@b.com",
            Detector::Link,
        );
        links.sort();
        assert_eq!(links, vec!["claim-zentra-drop.xyz", "https://t.co/ab12"]);
        assert_eq!(
            found("✈ wang_xiafu_u 收u, laozhang88", Detector::IdToken),
            vec!["wang_xiafu_u", "laozhang88"]
        );
        assert!(
            found(
                "hello world, covid test, @user_1, a.b_c.com",
                Detector::IdToken
            )
            .is_empty()
        );
    }
}
