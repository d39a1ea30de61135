"""End to end: examples/spark_scan.py on Spark local[2] labels posts and accounts exactly as
`coinsieve scan --accounts` does on the same dump.

Needs target/release/coinsieve (`cargo build --release`; or COINSIEVE_BIN), pyspark and Java 17+.
Skipped when Java or the CLI is missing, unless COINSIEVE_REQUIRE_SPARK=1 (python/run-tests.sh
sets it, so CI fails instead of skipping).
"""

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

REPO = Path(__file__).resolve().parents[2]
RECIPE = REPO / "python" / "examples" / "spark_scan.py"
OTC = "收U 6.95 微信 laozhang88"

pytestmark = pytest.mark.spark


def cli_path() -> Path:
    return Path(os.environ.get("COINSIEVE_BIN", REPO / "target" / "release" / "coinsieve"))


def require(ok: bool, why: str) -> None:
    if not ok:
        if os.environ.get("COINSIEVE_REQUIRE_SPARK") == "1":
            pytest.fail(why)
        pytest.skip(why)


@pytest.fixture(scope="module")
def dump(tmp_path_factory) -> Path:
    """The repository's labelled corpora (1,285 posts) plus edge cases, as one JSONL file."""
    lines = []
    for f in sorted((REPO / "corpora").glob("*.jsonl")):
        if f.name != "demo.jsonl":  # the demo dump repeats corpus ids
            lines += [l for l in f.read_text(encoding="utf-8").splitlines() if l.strip()]
    edge = [
        {"id": 90001, "account": "acct_numbers", "time": 1514764800, "text": OTC},
        {"id": "e-empty-account", "account": "", "text": OTC},
        {"id": "e-no-account", "text": OTC},
        {"id": "e-empty-text", "account": "acct_edge", "text": ""},
        {"id": "e-null-text", "account": "acct_edge", "text": None},
        {"id": "e-no-text", "account": "acct_edge"},
        {"id": "e-numeric-account", "account": 12345, "text": OTC},
        {"id": "e-tie-1", "account": "acct_tie", "time": "2018-01-05", "text": OTC},
        {"id": "e-tie-2", "account": "acct_tie", "time": "2018-01-05", "text": OTC},
        {"id": "e-tie-3", "account": "acct_tie", "text": OTC},
        {"id": "e-tie-4", "account": "acct_tie", "time": "2018-01-01T00:00:00Z", "text": "join our pump group, next pump 5pm GMT, 100x"},
        {"id": "e-bad-time", "account": "acct_tie", "time": "yesterday", "text": OTC},
    ]
    lines += [json.dumps(r, ensure_ascii=False) for r in edge]
    lines.insert(100, "this line is not JSON")
    path = tmp_path_factory.mktemp("dump") / "posts.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def to_parquet(jsonl: Path, out: Path) -> Path:
    """The same posts as Parquet, every field a string (numbers as their JSON text)."""
    cols = {k: [] for k in ["id", "account", "time", "text"]}
    for line in jsonl.read_text(encoding="utf-8").splitlines():
        try:
            rec = json.loads(line)
        except ValueError:
            continue
        for k in cols:
            v = rec.get(k)
            cols[k].append(None if v is None else str(v))
    pq.write_table(pa.table({k: pa.array(v, pa.string()) for k, v in cols.items()}), out)
    return out


def run_cli(dump: Path, out: Path, policy: Path = None):
    cmd = [str(cli_path()), "scan", str(dump), "-o", str(out / "posts.jsonl"),
           "--accounts", str(out / "accounts.jsonl"), "-q"]
    if policy:
        cmd += ["--policy", str(policy)]
    subprocess.run(cmd, check=True, capture_output=True)
    read = lambda p: [json.loads(l) for l in p.read_text(encoding="utf-8").splitlines()]
    return read(out / "posts.jsonl"), read(out / "accounts.jsonl")


def run_spark(inp: Path, out: Path, policy: Path = None, fmt: str = None):
    spark_submit = Path(sys.executable).parent / "spark-submit"
    env = dict(os.environ, PYSPARK_PYTHON=sys.executable, PYSPARK_DRIVER_PYTHON=sys.executable)
    cmd = [str(spark_submit), "--master", "local[2]",
           "--conf", "spark.ui.enabled=false",
           "--conf", "spark.sql.shuffle.partitions=4",
           "--conf", "spark.sql.execution.arrow.maxRecordsPerBatch=500",
           str(RECIPE), str(inp),
           "--posts-out", str(out / "posts"), "--accounts-out", str(out / "accounts")]
    if policy:
        cmd += ["--policy", str(policy)]
    if fmt:
        cmd += ["--format", fmt]
    proc = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        pytest.fail(f"spark-submit failed ({proc.returncode}):\n{proc.stderr[-6000:]}")

    def read(d: Path):
        rows = []
        for part in sorted(d.glob("part-*.json")):
            rows += [json.loads(l) for l in part.read_text(encoding="utf-8").splitlines()]
        return rows

    return read(out / "posts"), read(out / "accounts")


def compare(cli, spark):
    cli_posts, cli_accounts = cli
    sp_posts, sp_accounts = spark
    # Posts: same posts, same order, same verdicts.
    assert [p["id"] for p in sp_posts] == [p["id"] for p in cli_posts]
    for c, s in zip(cli_posts, sp_posts):
        assert s["account"] == c["account"], c["id"]
        assert s.get("time") == c.get("time"), c["id"]
        assert s["label"] == c["label"], c["id"]
        assert math.isclose(s["score"], c["score"], abs_tol=1e-12), c["id"]
        assert s["categories"] == c["categories"], c["id"]
        assert json.loads(s["rules"]) == c["rules"], c["id"]
        assert json.loads(s["hits"]) == c["hits"], c["id"]
    # Accounts: same accounts in order of first post, every field equal.
    sp_accounts = [{k: v for k, v in a.items() if v is not None or k not in ("window_block", "window_flagged")}
                   for a in sp_accounts]
    assert [a["account"] for a in sp_accounts] == [a["account"] for a in cli_accounts]
    for c, s in zip(cli_accounts, sp_accounts):
        assert s == c, c["account"]
    return len(cli_posts), len(cli_accounts)


@pytest.fixture(scope="module", autouse=True)
def prerequisites():
    require(shutil.which("java") is not None or "JAVA_HOME" in os.environ, "Java is not installed")
    require(cli_path().exists(), f"{cli_path()} is missing: run cargo build --release")


def test_spark_jsonl_default_policy_equals_cli(dump, tmp_path):
    cli = run_cli(dump, tmp_path)
    spark = run_spark(dump, tmp_path)
    posts, accounts = compare(cli, spark)
    labels = {p["label"] for p in cli[0]}
    assert posts > 1290 and accounts > 100 and labels == {"allow", "review", "block"}
    assert {a["label"] for a in cli[1]} == {"ok", "watch", "restrict", "ban"}
    print(f"\nSpark vs CLI (JSONL, default policy): {posts} posts, {accounts} accounts, all equal")


def test_spark_parquet_window_policy_equals_cli(dump, tmp_path):
    policy = tmp_path / "policy.toml"
    policy.write_text('window = "30d"\nexamples = 3\nwatch_at_review = 3\n', encoding="utf-8")
    cli = run_cli(dump, tmp_path, policy)
    parquet = to_parquet(dump, tmp_path / "posts.parquet")
    spark = run_spark(parquet, tmp_path, policy)
    posts, accounts = compare(cli, spark)
    assert all("window_block" in a for a in cli[1])
    print(f"\nSpark vs CLI (Parquet, 30-day window): {posts} posts, {accounts} accounts, all equal")
