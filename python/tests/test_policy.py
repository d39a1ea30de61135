"""Account policy: account_label, Policy, Policy.report, parse_time."""

import pytest

import coinsieve


@pytest.mark.parametrize(
    "blocked, flagged, label",
    [(0, 0, "ok"), (0, 1, "ok"), (0, 2, "watch"), (1, 1, "restrict"), (2, 2, "restrict"),
     (3, 3, "ban"), (10, 10, "ban")],
)
def test_default_policy(blocked, flagged, label):
    assert coinsieve.account_label(blocked, flagged) == label
    assert coinsieve.Policy().label(blocked, flagged) == label
    assert coinsieve.account_label(blocked, flagged, coinsieve.DEFAULT_POLICY_TOML) == label


def test_custom_policy():
    p = coinsieve.Policy('ban_at_blocked = 5\nwindow = "30d"\nexamples = 2')
    assert (p.ban_at_blocked, p.restrict_at_blocked, p.watch_at_review) == (5, 1, 2)
    assert p.window_secs == 30 * 86400 and p.examples == 2
    assert p.label(4, 4) == "restrict"
    assert coinsieve.account_label(4, 4, "ban_at_blocked = 5") == "restrict"
    assert coinsieve.Policy().window_secs is None


@pytest.mark.parametrize("bad", ["ban_at_blocked = 0", "unknown = 1", 'window = "3x"', "[[["])
def test_bad_policy(bad):
    with pytest.raises(coinsieve.PolicyError):
        coinsieve.Policy(bad)
    with pytest.raises(ValueError):
        coinsieve.account_label(1, 1, bad)


def test_policy_from_file(tmp_path):
    f = tmp_path / "policy.toml"
    f.write_text("watch_at_review = 4\n", encoding="utf-8")
    assert coinsieve.Policy.from_file(f).watch_at_review == 4
    with pytest.raises(coinsieve.PolicyError):
        coinsieve.Policy.from_file(tmp_path / "missing.toml")


def test_report_like_scan_accounts():
    r = coinsieve.Policy().report(
        "laozhang",
        4,
        [
            ("d05", "2018-01-05", "block", ["otc_offer"]),
            ("d01", "2018-01-03T09:12:00+08:00", "block", ["otc_offer"]),
            ("d12", None, "review", ["hype_shill"]),
            ("d13", "2018-01-06", "block", ["otc_offer"]),
        ],
    )
    assert r == {
        "account": "laozhang",
        "label": "ban",
        "posts": 4,
        "review": 1,
        "block": 3,
        "categories": ["hype_shill", "otc_offer"],
        "first_flagged": "2018-01-03T09:12:00+08:00",
        "last_flagged": "2018-01-06",
        "examples": ["d05", "d01", "d12", "d13"],
    }
    quiet = coinsieve.Policy().report("quiet", 7, [])
    assert quiet["label"] == "ok" and quiet["posts"] == 7 and quiet["examples"] == []


def test_report_with_window():
    p = coinsieve.Policy('window = "7d"')
    r = p.report("a", 3, [(str(i), t, "block", []) for i, t in
                          enumerate(["2018-01-01", "2018-01-05", "2018-03-01"])])
    assert (r["label"], r["window_block"], r["window_flagged"]) == ("restrict", 2, 2)


def test_report_rejects_bad_rows():
    with pytest.raises(ValueError):
        coinsieve.Policy().report("a", 1, [("1", None, "maybe", [])])
    with pytest.raises(ValueError):
        coinsieve.Policy().report("a", 1, [("1", None, "allow", [])])
    with pytest.raises(ValueError):
        coinsieve.Policy().report("a", 0, [("1", None, "block", [])])


def test_parse_time():
    assert coinsieve.parse_time("2018-01-01") == 1514764800
    assert coinsieve.parse_time("1514764800") == 1514764800
    assert coinsieve.parse_time("2018-01-01T08:00:00+08:00") == 1514764800
    assert coinsieve.parse_time("yesterday") is None
