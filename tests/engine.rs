//! The engine on the posts the design is about: disguised offers, pump invites, and the hard
//! negatives that must stay allowed (news, warnings quoting slang, ordinary words).
//! All posts here were written for this project.

use coinsieve::{Filter, Hit, Label, MatchHow, Verdict};
use std::sync::OnceLock;

fn filter() -> &'static Filter {
    static FILTER: OnceLock<Filter> = OnceLock::new();
    FILTER.get_or_init(|| Filter::shipped().expect("shipped lexicons load"))
}

fn check(text: &str) -> Verdict {
    let v = filter().check(text);
    for h in &v.hits {
        assert_eq!(
            &text[h.byte_start..h.byte_end],
            h.text,
            "byte span of {h:?}"
        );
        let by_chars: String = text.chars().skip(h.start).take(h.end - h.start).collect();
        assert_eq!(by_chars, h.text, "char span of {h:?}");
    }
    v
}

fn hit<'a>(v: &'a Verdict, signal: &str) -> &'a Hit {
    v.hits
        .iter()
        .find(|h| h.signal == signal)
        .unwrap_or_else(|| panic!("no {signal} hit in {v:#?}"))
}

#[test]
fn disguised_chinese_offer_with_spacing_homophone_and_rate_is_blocked() {
    let text = "收 Ｕ 汇率 6.95，要的加 薇 ：laoli_8866";
    let v = check(text);
    assert_eq!(v.label, Label::Block, "{v:#?}");
    assert_eq!(v.categories, ["otc_offer"]);
    let channel = hit(&v, "contact_channel");
    assert_eq!(
        (channel.entry.as_str(), channel.text.as_str()),
        ("wechat", "薇")
    );
    assert_eq!(hit(&v, "otc_phrase").text, "收 Ｕ");
}

#[test]
fn spaced_characters_are_seen_through() {
    let v = check("比 特 币 大 量 收，电 报 联系");
    assert_eq!(v.label, Label::Block, "{v:#?}");
    let asset = hit(&v, "asset");
    assert_eq!(
        (asset.text.as_str(), asset.how),
        ("比 特 币", MatchHow::Disguised)
    );
}

#[test]
fn traditional_character_offer_is_blocked() {
    let v = check("長期收購泰達幣，匯率7.10，支付寶、銀行卡都可以，聯繫微信");
    assert_eq!(v.label, Label::Block, "{v:#?}");
    let asset = hit(&v, "asset");
    assert_eq!(
        (asset.entry.as_str(), asset.text.as_str(), asset.how),
        ("usdt", "泰達幣", MatchHow::Normalized)
    );
}

#[test]
fn english_pump_invite_with_cyrillic_letters_is_blocked() {
    let text = "Jоin оur РUМР grоuр: nеxt рumр on Binance, 100x guaranteed";
    let v = check(text);
    assert_eq!(v.label, Label::Block, "{v:#?}");
    assert_eq!(v.categories[0], "hype_shill");
    let pump = hit(&v, "pump_call");
    assert_eq!(
        (pump.text.as_str(), pump.how),
        ("РUМР grоuр", MatchHow::Disguised)
    );
}

#[test]
fn leetspeak_and_elongation_are_seen_through() {
    let v = check("B1TC01N to the mooooon!!! join our group");
    assert_eq!(v.label, Label::Block, "{v:#?}");
    assert_eq!(hit(&v, "hype_phrase").text, "to the mooooon");
    assert_eq!(hit(&v, "asset").text, "B1TC01N");
}

#[test]
fn news_of_the_alipay_ban_is_allowed() {
    for text in [
        "据新华社报道，支付宝宣布将封禁用于比特币场外交易的账户，并对关键账户进行巡检。",
        "Alipay said it will ban accounts used for OTC bitcoin trading, Reuters reported.",
        "Police arrested a gang that was buying USDT for cash and laundering it through bank cards.",
    ] {
        assert_eq!(check(text).label, Label::Allow, "{text}");
    }
}

#[test]
fn police_warning_quoting_slang_is_allowed() {
    let v = check("警方提醒：陌生人让你加V信、扣扣做“收U”“跑分”的，都是诈骗，切勿相信！");
    assert_eq!(v.label, Label::Allow, "{v:#?}");
    assert!(v.context.iter().any(|c| c.signal == "warning"));
    let v = check("Scam alert: never join 'pump groups' that promise 100x, they dump on you.");
    assert_eq!(v.label, Label::Allow, "{v:#?}");
}

#[test]
fn ordinary_words_that_look_like_slang_are_allowed() {
    for text in [
        "收U盘，32G的就行，在线等",
        "出差必备U型枕，回U盘里拷资料",
        "AirDrop the photos to me when you get home",
        "mooncakes this year are so good my sales will go to the moon",
        "my bike pump broke, anyone has a spare?",
        "that pumpkin soup was a hidden gem restaurant find",
        "我有一百块人民币，去银行换了硬币",
        "selling my bike, DM me",
        "Artist here, DM me for commissions!",
        "今天好累啊，早点睡",
    ] {
        let v = check(text);
        assert_eq!(v.label, Label::Allow, "{text}: {v:#?}");
    }
}

#[test]
fn coin_inside_renminbi_does_not_fire() {
    let v = check("我有一百块人民币");
    assert!(
        v.hits.iter().all(|h| h.signal != "asset"),
        "币 inside 人民币 is not a coin: {v:#?}"
    );
    assert_eq!(v.label, Label::Allow);
}

#[test]
fn clean_posts_do_not_load_jieba() {
    let f = Filter::shipped().expect("loads");
    assert_eq!(
        f.check("just a normal day at the beach").label,
        Label::Allow
    );
    assert_eq!(f.check("今天天气很好，我们去公园散步").label, Label::Allow);
    assert!(!f.segmenter_loaded(), "no candidate needed segmentation");
    f.check("我有一百块人民币");
    assert!(f.segmenter_loaded(), "币 is a jieba-bound entry");
}

#[test]
fn filter_is_send_and_sync_and_agrees_across_threads() {
    fn assert_send_sync<T: Send + Sync>() {}
    assert_send_sync::<Filter>();
    let posts = [
        "收U 6.95 微信 laozhang88",
        "今天好累啊",
        "Join our pump group, next pump 5pm GMT",
    ];
    let expected: Vec<Label> = posts.iter().map(|p| filter().check(p).label).collect();
    std::thread::scope(|s| {
        for _ in 0..4 {
            s.spawn(|| {
                for _ in 0..50 {
                    let got: Vec<Label> = posts.iter().map(|p| filter().check(p).label).collect();
                    assert_eq!(got, expected);
                }
            });
        }
    });
}

#[test]
fn explain_shows_every_stage() {
    let e = filter().explain("長期收購泰達幣，匯率7.10，微信");
    assert_eq!(e.folded, "长期收购泰达币,汇率7.10,微信");
    assert_eq!(e.key, "长期收购泰达币汇率710微信");
    assert!(
        e.candidates
            .iter()
            .any(|c| c.entry == "usdt" && c.decision == "accepted")
    );
    assert!(!e.phrases.is_empty());
    assert_eq!(e.verdict, filter().check("長期收購泰達幣，匯率7.10，微信"));
    let text = e.to_string();
    for stage in [
        "1 normalize",
        "2 match",
        "3 segment",
        "4 detect",
        "5 rules",
        "6 verdict",
    ] {
        assert!(text.contains(stage), "missing {stage} in\n{text}");
    }
}
