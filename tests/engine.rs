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

/// Mechanisms added for the recall push (issue 4): each case is one class of post, written
/// for this project, with the signal that carries it.
#[test]
fn classes_found_by_the_recall_push_are_blocked() {
    for text in [
        // a cashtag and a multiplier, with no lexicon word at all
        "loading up on $QUILLO now, 40k cap, easy 50x from here",
        // a desk's two-sided quote with a handle, the asset never named
        "周五报价：收六块九八 出七块一二，找 rate_desk_77",
        // a currency pair written as a swap, a rate, and a handle
        "CNY ➡️ U 7.09，量大可谈，✈️ swapdesk_cn",
        // wallet phishing: the wallet action is the crypto anchor
        "Free claim is open, connect your wallet at zorbex-claims.app before it closes",
        "空投开始，连接钱包就能领，电报 drop_helper_cn",
        // a pump schedule change in a channel
        "Quick update: the pump is delayed till 1830 GMT, stay close",
        // a coin reveal with symbols between the cue and the ticker
        "Coin name = ** KRELL ** buy fast and hold",
        // a testimonial with a payout and a phone number in brackets
        "Thanks to my mentor Ms. Dana for my withdrawal today, she got my money back 10x. Call her +1 (202) 555-0147",
        // recovery pitch with a concrete handle, no coin named
        "Scammed by a fake platform? Our recovery team gets your funds back. Write to @fundback_desk",
        // a yield in Chinese numerals on a crypto deposit
        "质押U理财，日息一点五，随存随取",
        // (session 3) a swap named in three words, a trade verb and a phone
        "Buying THB for USDT, better rate than the exchange booth, call +66 81 555 0199",
        // a rate written in Chinese numerals
        "收U 六点九五，量大可谈，微信 laozhang_88",
        // '!' for i inside words, and an ID named before its channel
        "s!gnal gr0up: guaranteed profit, passive income, ping vipdesk_9 on tele",
        // send-to-address doubling with the address between the halves
        "Celebration event: send 0.2 ETH to 0x52908400098527886E0F7030069857D2E4169EE7 and receive double back",
    ] {
        let v = check(text);
        assert_eq!(v.label, Label::Block, "{text}\n{v:#?}");
    }
}

#[test]
fn near_misses_of_the_new_mechanisms_stay_unblocked() {
    for text in [
        "saving for a new bike, my $ salary barely covers rent",
        "the flat costs 640k$ AUD, we are still saving",
        "🚨 BREAKING NEWS: $QUILLO lists on a new venue next week",
        "高价收各种流量，结账方式走U，联系飞机",
        "He recovered from the flu and is back at work, text @dana_lee for the schedule",
        "出 U 盘 / 硬盘，公司清库存，需要的私信",
        "the heat pump installation was delayed by a week",
        // (session 3) a price quote in pair notation with a handle is not a swap offer
        "ETH/EUR slid 4% overnight, @desk_notes thinks support holds",
        // a URL query mark is not a question, but a DEX link without a coin pitch stays unblocked
        "docs at dex.example/swap?lang=en explain the fee tiers",
        // numerals that are words
        "一起去吃饭吧，千万别迟到，万一下雨记得带伞",
        // "take profit" spelled two ways on the same words is one term
        "I take profits when my target is hit, not financial advice",
    ] {
        let v = check(text);
        assert_ne!(v.label, Label::Block, "{text}\n{v:#?}");
    }
}

#[test]
fn an_allow_entry_is_not_read_across_a_gap_between_runs() {
    // `U 点` must not become the exception `U点` and hide the slang on both sides
    let v = check("车队长期接料 回🅤 点位美丽 mi_team_09");
    assert_eq!(v.label, Label::Block, "{v:#?}");
    assert!(v.hits.iter().any(|h| h.signal == "otc_core"), "{v:#?}");
}

fn disguise_bonus(v: &Verdict) -> bool {
    v.context
        .iter()
        .any(|c| c.signal == "disguise" && c.penalty < 0.0)
}

#[test]
fn hiding_a_pitch_word_raises_its_score_but_styling_does_not() {
    let plain = check("guaranteed profit every trade");
    assert!(!disguise_bonus(&plain), "{plain:?}");
    for hidden in [
        "g u a r a n t e e d   p r o f i t every trade",
        "gu4ranteed pr0fit every trade",
        "g.u.a.r.a.n.t.e.e.d profit every trade",
    ] {
        let v = check(hidden);
        assert!(disguise_bonus(&v), "{hidden}: {v:?}");
        assert!(
            v.score > plain.score,
            "{hidden}: {} vs {}",
            v.score,
            plain.score
        );
    }
}

#[test]
fn elongation_hyphens_apostrophes_and_hashtags_are_not_disguises() {
    for text in [
        "this coin is going to the mooooon, 100x soon",
        "pre-sale of the token opens monday, guaranteed profit",
        "don't miss out, guaranteed profit every trade",
        "#我的复工快乐包#赚钱了",
    ] {
        let v = check(text);
        assert!(!disguise_bonus(&v), "{text}: {v:?}");
    }
}

#[test]
fn pinyin_mixed_spellings_of_chinese_slang_are_seen_through() {
    let v = check("dai单群今日wen赚，进qun联系 qun_zhu_77");
    assert_eq!(v.label, Label::Block, "{v:?}");
    let mixed = hit(&v, "hype_phrase");
    assert_eq!(
        (mixed.entry.as_str(), mixed.text.as_str()),
        ("稳赚", "wen赚")
    );
    assert_eq!(mixed.how, MatchHow::Disguised);
    assert!(disguise_bonus(&v));
    // all-pinyin words never match: at least one character stays Chinese
    let plain = check("wenzhuan daidan laoshi shangche");
    assert!(plain.hits.is_empty(), "{plain:?}");
}

#[test]
fn emoji_rebus_next_to_chinese_is_read_but_not_elsewhere() {
    let v = check("上🚗的兄弟准备好，今晚💯倍起步，进群 rebus_gem_cn");
    assert_eq!(v.label, Label::Block, "{v:?}");
    let car = v
        .hits
        .iter()
        .find(|h| h.text == "上🚗")
        .expect("上🚗 read as 上车");
    assert_eq!(car.how, MatchHow::Disguised);
    assert_eq!(check("存了一年的💰终于买了辆🚗，开心").label, Label::Allow);
    assert_eq!(check("new ride 🚗 💯 love it").label, Label::Allow);
}
