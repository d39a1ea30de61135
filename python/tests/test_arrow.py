"""Filter.check_arrow: pyarrow string arrays through the Arrow C data interface."""

import json

import pyarrow as pa
import pytest

TEXTS = [
    "收U 6.95 微信 laozhang88",
    None,
    "",
    "今天去买了个U盘",
    "join our pump group, next pump 5pm GMT, 100x",
    None,
    "出 U 汇率 7.05，薇 abc_8899",
]


def expected(filt, text):
    if text is None:
        return None
    v = filt.check(text)
    return {
        "label": v["label"],
        "score": v["score"],
        "categories": v["categories"],
        "rules": v["rules"],
        "hits": v["hits"],
    }


def decoded(struct):
    rows = struct.to_pylist()
    for r in rows:
        if r is not None:
            r["rules"] = json.loads(r["rules"])
            r["hits"] = json.loads(r["hits"])
    return rows


@pytest.mark.parametrize("typ", [pa.string(), pa.large_string(), pa.string_view()])
@pytest.mark.parametrize("parallel", [True, False])
def test_matches_check_with_nulls(filt, typ, parallel):
    arr = pa.array(TEXTS, type=typ)
    out = filt.check_arrow(arr, parallel=parallel)
    assert isinstance(out, pa.StructArray)
    assert len(out) == len(TEXTS)
    assert out.type == pa.struct(
        [
            ("label", pa.string()),
            ("score", pa.float64()),
            ("categories", pa.list_(pa.string())),
            ("rules", pa.string()),
            ("hits", pa.string()),
        ]
    )
    assert out.null_count == 2
    assert [out[i].is_valid for i in range(len(TEXTS))] == [t is not None for t in TEXTS]
    assert decoded(out) == [expected(filt, t) for t in TEXTS]
    assert out.field("label").to_pylist()[2] == "allow"  # empty string is a post


def test_slices_chunked_empty_and_all_null(filt):
    arr = pa.array(TEXTS * 50)
    sliced = arr.slice(3, 11)  # non-zero offset through the C interface
    assert decoded(filt.check_arrow(sliced)) == [expected(filt, t) for t in (TEXTS * 50)[3:14]]
    chunked = pa.chunked_array([arr.slice(0, 5), arr.slice(5)])
    assert decoded(filt.check_arrow(chunked)) == decoded(filt.check_arrow(arr))
    assert len(filt.check_arrow(pa.array([], type=pa.string()))) == 0
    nulls = filt.check_arrow(pa.array([None, None]))  # pyarrow type "null"
    assert nulls.null_count == 2 and len(nulls) == 2
    assert filt.check_arrow(pa.chunked_array([], type=pa.string())).to_pylist() == []


def test_large_batch_in_order(filt):
    texts = [f"post {i} 收U {6 + i % 3}.95 微信 user{i}" if i % 7 == 0 else f"hello {i}" for i in range(5000)]
    labels = filt.check_arrow(pa.array(texts)).field("label").to_pylist()
    assert labels == [filt.check(t)["label"] for t in texts]
    assert labels.count("block") == len(range(0, 5000, 7))


@pytest.mark.parametrize(
    "bad",
    [pa.array([1, 2]), pa.array([b"x"]), pa.array([["a"]]), pa.array([1.5])],
    ids=["int64", "binary", "list", "double"],
)
def test_non_string_arrays_are_type_error(filt, bad):
    with pytest.raises(TypeError, match="string"):
        filt.check_arrow(bad)


@pytest.mark.parametrize("bad", [["a", "b"], "a string", None, 3])
def test_non_arrow_input_is_type_error(filt, bad):
    with pytest.raises(TypeError):
        filt.check_arrow(bad)
