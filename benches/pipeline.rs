//! Micro-benchmarks of the pipeline (divan): normalize, match, full `check()` on clean, flagged
//! and disguised posts of typical length (zh, en, mixed), and lexicon build time for the shipped
//! lexicons and a generated 100,000-entry lexicon.
//!
//! ```sh
//! cargo bench --bench pipeline
//! ```
//!
//! The posts below were written for this benchmark (handles and numbers are invented).

use coinsieve::Filter;
use coinsieve::lexicon::{Lexicon, SHIPPED};
use coinsieve::matcher::Matcher;
use coinsieve::normalize::Normalized;
use divan::{Bencher, black_box};
use std::sync::LazyLock;

fn main() {
    divan::main();
}

/// `(name, text)`: clean / flagged / disguised × zh / en / mixed.
const POSTS: &[(&str, &str)] = &[
    // ~100-byte posts used for the check() targets
    (
        "clean_en_100",
        "Went hiking with the kids on Saturday, the weather was great and we had a picnic by the lake.",
    ),
    (
        "clean_zh_100",
        "今天下班后和同事去吃了火锅，味道很不错，周末打算带家人再去一次。",
    ),
    (
        "flagged_zh_100",
        "收U 汇率6.95，量大从优，秒到账，支持支付宝银行卡，加微信 laozhang_8866 详谈。",
    ),
    (
        "flagged_en_100",
        "Selling USDT for Zelle and Cash App, fast release, good rate, DM me on telegram @otc_fastdesk",
    ),
    // longer posts (200–300 bytes)
    (
        "clean_mixed_250",
        "周末去看了新上映的电影，剧情挺好的 but the ending was a bit rushed. 之后我们去了商场买衣服，\
         then grabbed coffee at the new place near the station. 明天还要上班，早点睡了。",
    ),
    (
        "clean_en_300",
        "Our book club met on Thursday to talk about the new novel everyone has been reading. Some \
         people loved the slow start, others thought it dragged. We ended up arguing about the \
         main character for an hour, then picked next month's book and ordered pizza for everyone.",
    ),
    (
        "flagged_en_250",
        "🚀 Join our VIP pump group! Next pump is Friday 5pm GMT, coin revealed at the exact time. \
         Last pump hit 300%, easy 100x gem incoming, don't miss out. Free entry for the first 50 \
         members, link in bio t.me/pumpkings_vip",
    ),
    (
        "flagged_zh_250",
        "带单老师每天免费喊单，合约翻倍不是梦，上周带大家拿了三个百倍币，现在进群还能领空投红包，\
         名额有限，需要的私聊我，微信 vx: abc_99887，备注币圈。",
    ),
    (
        "disguised_mixed_150",
        "收 Ｕ.S.D.Ｔ 汇率 柒点零伍，大量岀，加 薇 ：laoli_8866 或 飞 机 @ВТС_desk，B1TC01N to the mooooon",
    ),
    (
        "disguised_zh_150",
        "出 比 特 幣 和 泰達幣，價格好談，扣扣 一二三四五六七八，V信同号，秒到賬不壓款",
    ),
];

static FILTER: LazyLock<Filter> = LazyLock::new(|| Filter::shipped().expect("shipped lexicon"));

fn post(name: &str) -> &'static str {
    POSTS.iter().find(|(n, _)| *n == name).expect("post").1
}

const NAMES: &[&str] = &[
    "clean_en_100",
    "clean_zh_100",
    "flagged_zh_100",
    "flagged_en_100",
    "clean_mixed_250",
    "clean_en_300",
    "flagged_en_250",
    "flagged_zh_250",
    "disguised_mixed_150",
    "disguised_zh_150",
];

#[divan::bench(args = NAMES)]
fn normalize(bencher: Bencher, name: &str) {
    let text = post(name);
    let mut n = Normalized::default();
    bencher.bench_local(|| {
        n.normalize(black_box(text));
        black_box(n.key_text().len())
    });
}

#[divan::bench(args = NAMES)]
fn automaton(bencher: Bencher, name: &str) {
    let text = post(name);
    let matcher = Matcher::build(FILTER.lexicon().entries()).expect("matcher");
    let mut n = Normalized::default();
    n.normalize(text);
    let mut out = Vec::new();
    bencher.bench_local(|| {
        out.clear();
        matcher.candidates(black_box(&n), 1024, &mut out);
        black_box(out.len())
    });
}

#[divan::bench(args = NAMES)]
fn check(bencher: Bencher, name: &str) {
    let text = post(name);
    let filter = &*FILTER;
    black_box(filter.check(text)); // warm the scratch buffers (and jieba, if the post needs it)
    bencher.bench_local(|| black_box(filter.check(black_box(text))));
}

#[divan::bench(sample_count = 30)]
fn build_shipped_lexicon(bencher: Bencher) {
    bencher.bench_local(|| Filter::shipped().expect("shipped"));
}

/// The shipped lexicon plus a generated file of 100,000 distinct terms (Latin and Chinese).
fn generated_sources(n: usize) -> Vec<(String, String)> {
    let mut sources: Vec<(String, String)> = SHIPPED
        .iter()
        .map(|(name, text)| (name.to_string(), text.to_string()))
        .collect();
    let mut zh = String::from("[trade_verb] lang=zh\n");
    let mut en = String::from("[trade_verb] lang=en\n");
    let mut state = 0x2545_f491_4f6c_dd1du64;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    for i in 0..n {
        let r = next();
        if i % 2 == 0 {
            // three or four common CJK ideographs
            let len = 3 + (r % 2) as usize;
            let word: String = (0..len)
                .map(|k| char::from_u32(0x4E00 + ((r >> (8 + 12 * k)) % 0x5000) as u32).unwrap())
                .collect();
            zh.push_str(&word);
            zh.push('\n');
        } else {
            // a pronounceable Latin word plus a serial, so all are distinct
            const SYL: [&str; 16] = [
                "ka", "zo", "mi", "tu", "re", "xa", "po", "vi", "ne", "qu", "sa", "do", "fe", "gu",
                "ho", "ja",
            ];
            let mut word = String::new();
            for k in 0..3 {
                word.push_str(SYL[((r >> (4 * k)) & 15) as usize]);
            }
            word.push_str(&format!("q{i}"));
            en.push_str(&word);
            en.push('\n');
        }
    }
    sources.push(("generated/zh.terms".into(), zh));
    sources.push(("generated/en.terms".into(), en));
    sources
}

#[divan::bench(sample_count = 5)]
fn build_100k_lexicon(bencher: Bencher) {
    let sources = generated_sources(100_000);
    bencher
        .with_inputs(|| sources.clone())
        .bench_local_values(|s| {
            Filter::new(Lexicon::from_sources(s).expect("lexicon")).expect("filter")
        });
}
