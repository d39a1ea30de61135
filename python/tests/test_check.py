"""Filter.check / check_json / Filter construction."""

import json
import shutil

import pytest

import coinsieve

OTC = "收U 6.95 微信 laozhang88"


def test_check_returns_the_verdict_dict(filt):
    v = filt.check(OTC)
    assert v["label"] == "block"
    assert v["categories"] == ["otc_offer"]
    assert v["score"] > 0
    assert list(v)[:4] == ["label", "score", "categories", "rules"]  # Verdict field order
    assert {r["category"] for r in v["rules"]} == {"otc_offer"}
    for hit in v["hits"]:
        assert set(hit) >= {"entry", "signal", "start", "end", "byte_start", "byte_end", "text", "how"}
        assert OTC[hit["start"] : hit["end"]] == hit["text"]
        assert OTC.encode()[hit["byte_start"] : hit["byte_end"]].decode() == hit["text"]


def test_check_matches_check_json_and_the_readme_examples(filt):
    assert json.loads(filt.check_json(OTC)) == filt.check(OTC)
    assert filt.check("今天去买了个U盘")["label"] == "allow"
    assert filt.check("收 Ｕ 汇率 6.95，加 薇 ：laoli_8866")["label"] == "block"


def test_clean_and_empty_posts_are_allow(filt):
    for text in ["", " ", "hello world", "周末去爬了香山，人比树叶还多。"]:
        v = filt.check(text)
        assert v["label"] == "allow", text
        assert v["score"] == 0.0 and v["hits"] == [] and v["rules"] == []
        assert "context" not in v and "hits_capped" not in v


@pytest.mark.parametrize("bad", [None, 1, 1.5, b"bytes", ["list"], {"text": "x"}, bytearray(b"x")])
def test_non_str_input_is_type_error(filt, bad):
    with pytest.raises(TypeError, match="text must be str"):
        filt.check(bad)
    with pytest.raises(TypeError):
        filt.check_json(bad)


def test_str_subclass_and_odd_unicode(filt):
    class S(str):
        pass

    assert filt.check(S(OTC))["label"] == "block"
    # lone surrogates cannot be UTF-8: a clear error, not a crash
    with pytest.raises((TypeError, UnicodeEncodeError)):
        filt.check("abc\ud800")
    assert filt.check("\x00" * 10 + "🚀" * 1000)["label"] in {"allow", "review", "block"}


def test_lexicon_dir(repo, tmp_path):
    f = coinsieve.Filter(repo / "lexicons")
    assert f.lexicon_dir == str(repo / "lexicons")
    assert f.check(OTC) == coinsieve.Filter().check(OTC)
    assert "lexicons" in repr(f)
    assert coinsieve.Filter().lexicon_dir is None


def test_bad_lexicon_dir_is_lexicon_error(repo, tmp_path):
    with pytest.raises(coinsieve.LexiconError):
        coinsieve.Filter(tmp_path / "missing")
    broken = tmp_path / "lex"
    shutil.copytree(repo / "lexicons", broken)
    (broken / "rules.toml").write_text("this is [not toml", encoding="utf-8")
    with pytest.raises(ValueError) as err:  # LexiconError is a ValueError
        coinsieve.Filter(broken)
    assert "rules.toml" in str(err.value)


def test_cached_filter_is_built_once(repo):
    assert coinsieve.cached_filter() is coinsieve.cached_filter()
    assert coinsieve.cached_filter(repo / "lexicons") is coinsieve.cached_filter(str(repo / "lexicons"))
    assert coinsieve.cached_filter() is not coinsieve.cached_filter(repo / "lexicons")


def test_version_and_module_layout():
    assert coinsieve.__version__
    assert coinsieve.Filter.__module__ == "coinsieve"
    assert coinsieve.Filter.check.__doc__ and coinsieve.Filter.check_arrow.__doc__
    assert coinsieve.Filter.__doc__ and coinsieve.Policy.__doc__ and coinsieve.account_label.__doc__


def test_stubs_cover_the_native_module():
    """Every public name of coinsieve._coinsieve is declared in _coinsieve.pyi, and py.typed ships."""
    import ast
    from pathlib import Path

    import coinsieve._coinsieve as native

    pkg = Path(coinsieve.__file__).parent
    assert (pkg / "py.typed").exists()
    tree = ast.parse((pkg / "_coinsieve.pyi").read_text(encoding="utf-8"))
    declared = set()
    for node in tree.body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            declared.add(node.name)
            if isinstance(node, ast.ClassDef):
                methods = {n.name for n in node.body if isinstance(n, ast.FunctionDef)}
                public = {m for m in dir(getattr(native, node.name)) if not m.startswith("_")}
                public -= set(dir(ValueError))
                assert public <= methods, (node.name, public - methods)
        elif isinstance(node, ast.AnnAssign):
            declared.add(node.target.id)
    assert {n for n in dir(native) if not n.startswith("_")} | {"__version__"} <= declared
