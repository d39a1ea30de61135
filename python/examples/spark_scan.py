"""Label posts and accounts with coinsieve on Spark: the Spark twin of `coinsieve scan --accounts`.

    spark-submit python/examples/spark_scan.py posts.jsonl \\
        --posts-out out/posts --accounts-out out/accounts

1. Read JSONL or Parquet posts (text, id, account, time: the same default field names as the CLI).
2. Label every post with ``mapInArrow``: each Arrow batch's text column goes to
   ``Filter.check_arrow`` in one call (Arrow C data interface, GIL released). The Filter is built
   once per executor Python process (``coinsieve.cached_filter``), not per batch.
3. Write the labeled posts (id, account, time, label, score, categories, rules, hits).
4. ``groupBy(account)`` and label accounts with the library's own account policy
   (``coinsieve.Policy.report``: ban >= 3 blocked, restrict 1-2, watch >= 2 flagged, ok; or the
   ``--policy`` TOML, time windows included), and write one row per account, as
   ``coinsieve scan --accounts`` does.

Every executor needs the ``coinsieve`` wheel installed in its Python (see python/README.md:
``--archives`` with a packed venv). Differences from the CLI, by design: a record without an id
gets a generated id (Spark has no line numbers), and "input order" (for ``examples`` and ties in
``first_flagged`` / ``last_flagged``) is Spark's read order, which is file order within each file.
"""

from __future__ import annotations

import argparse
import sys
from typing import Iterator, List, Optional

# Same defaults as `coinsieve scan` (README, "Field mapping"): the first name found wins.
DEFAULT_FIELDS = {
    "text": ["text", "content", "body", "message"],
    "id": ["id", "post_id", "mid"],
    "account": ["account", "user", "user_id", "uid", "author"],
    "time": ["time", "created_at", "timestamp"],
}

POST_SCHEMA = (
    "id string, account string, time string, label string, score double, "
    "categories array<string>, rules string, hits string, _order long"
)

ACCOUNT_SCHEMA = (
    "account string, label string, posts long, review long, block long, "
    "categories array<string>, first_flagged string, last_flagged string, "
    "examples array<string>, window_block long, window_flagged long, _first long"
)


def parse_args(argv: Optional[List[str]] = None) -> argparse.Namespace:
    """Command-line options (see the module docstring)."""
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("inputs", nargs="+", help="post files or directories (JSONL or Parquet)")
    p.add_argument("--posts-out", required=True, help="directory for the labeled posts")
    p.add_argument("--accounts-out", help="directory for the account labels")
    p.add_argument(
        "--format",
        choices=["jsonl", "parquet"],
        help="input format (default: from the first input's extension, else jsonl)",
    )
    p.add_argument(
        "--out-format", choices=["json", "parquet"], default="json", help="output format"
    )
    p.add_argument("--lexicons", help="lexicon directory (default: the shipped lexicons)")
    p.add_argument(
        "--policy", help="account policy TOML file (default: coinsieve's built-in policy)"
    )
    p.add_argument("--only-flagged", action="store_true", help="write only review/block posts")
    for role in DEFAULT_FIELDS:
        p.add_argument(
            f"--{role}-field",
            action="append",
            help=f"{role} column (repeat for alternatives; default: {', '.join(DEFAULT_FIELDS[role])})",
        )
    return p.parse_args(argv)


def read_posts(spark, inputs: List[str], fmt: Optional[str]):
    """Read the dump. JSON primitives are read as strings, so a numeric id or time becomes its
    text, as in the CLI."""
    if fmt is None:
        fmt = "parquet" if inputs[0].rstrip("/").endswith(".parquet") else "jsonl"
    if fmt == "parquet":
        return spark.read.parquet(*inputs)
    return spark.read.option("primitivesAsString", "true").json(inputs)


def resolve(df, names: List[str], required: bool, role: str):
    """The first of ``names`` that is a column (dotted names are nested fields), as a string
    column with empty strings as null; None when absent and not required."""
    from pyspark.sql import functions as F

    top = set(df.columns)
    for name in names:
        if name in top or ("." in name and name.split(".")[0] in top):
            c = F.col(f"`{name}`" if name in top else name).cast("string")
            return c if role == "text" else F.when(c != "", c)
    if required:
        raise SystemExit(f"no {role} column: tried {', '.join(names)}; columns are {sorted(top)}")
    return None


def select_posts(df, args: argparse.Namespace):
    """id, account, time, text and the input-order column ``_order``; rows without a text are
    dropped (the CLI counts them as errors), and their number is returned too."""
    from pyspark.sql import functions as F

    df = df.withColumn("_order", F.monotonically_increasing_id())
    cols = {}
    for role, defaults in DEFAULT_FIELDS.items():
        names = getattr(args, f"{role}_field") or defaults
        names = [n.strip() for arg in names for n in arg.split(",") if n.strip()]
        cols[role] = resolve(df, names, required=role == "text", role=role)
    null = F.lit(None).cast("string")
    gen_id = F.concat(F.lit("spark-"), F.col("_order").cast("string"))
    id_col = F.coalesce(cols["id"], gen_id) if cols["id"] is not None else gen_id
    posts = df.select(
        id_col.alias("id"),
        (cols["account"] if cols["account"] is not None else null).alias("account"),
        (cols["time"] if cols["time"] is not None else null).alias("time"),
        cols["text"].alias("text"),
        "_order",
    )
    return posts.filter(F.col("text").isNotNull())


def label_posts(posts, lexicons: Optional[str]):
    """Label every post with ``mapInArrow``: one ``check_arrow`` call per Arrow batch."""

    def label_batches(batches: Iterator) -> Iterator:
        import coinsieve
        import pyarrow as pa

        filter_ = coinsieve.cached_filter(lexicons)  # once per executor process
        for batch in batches:
            # One thread per task: Spark already runs one Python worker per task slot.
            verdicts = filter_.check_arrow(batch.column("text"), parallel=False)
            yield pa.RecordBatch.from_arrays(
                [
                    batch.column("id"),
                    batch.column("account"),
                    batch.column("time"),
                    verdicts.field("label"),
                    verdicts.field("score"),
                    verdicts.field("categories"),
                    verdicts.field("rules"),
                    verdicts.field("hits"),
                    batch.column("_order"),
                ],
                names=[
                    "id", "account", "time", "label", "score",
                    "categories", "rules", "hits", "_order",
                ],
            )

    return posts.mapInArrow(label_batches, POST_SCHEMA)


def label_accounts(labeled, policy_toml: Optional[str]):
    """One row per account, as ``coinsieve scan --accounts``: posts are counted per account, the
    flagged ones (review/block: id, time, label, categories, in input order) are handed to the
    library's ``Policy.report``, which applies the thresholds (and the window, if any)."""
    from pyspark.sql import functions as F

    with_account = labeled.filter(F.col("account").isNotNull())
    counts = with_account.groupBy("account").agg(
        F.count(F.lit(1)).alias("posts"), F.min("_order").alias("_first")
    )
    flagged = (
        with_account.filter(F.col("label") != "allow")
        .groupBy("account")
        .agg(
            F.collect_list(F.struct("_order", "id", "time", "label", "categories")).alias(
                "flagged"
            )
        )
    )
    joined = counts.join(flagged, "account", "left")

    def report_batches(batches: Iterator) -> Iterator:
        import coinsieve
        import pyarrow as pa

        policy = coinsieve.Policy(policy_toml)
        fields = [
            "account", "label", "posts", "review", "block", "categories",
            "first_flagged", "last_flagged", "examples", "window_block", "window_flagged",
        ]
        for batch in batches:
            cols = {name: [] for name in fields + ["_first"]}
            for row in batch.to_pylist():
                posts = sorted(row["flagged"] or [], key=lambda p: p["_order"])
                report = policy.report(
                    row["account"],
                    row["posts"],
                    [(p["id"], p["time"], p["label"], p["categories"] or []) for p in posts],
                )
                for name in fields:
                    cols[name].append(report.get(name))
                cols["_first"].append(row["_first"])
            yield pa.RecordBatch.from_pydict(
                cols,
                schema=pa.schema(
                    [
                        ("account", pa.string()), ("label", pa.string()),
                        ("posts", pa.int64()), ("review", pa.int64()), ("block", pa.int64()),
                        ("categories", pa.list_(pa.string())),
                        ("first_flagged", pa.string()), ("last_flagged", pa.string()),
                        ("examples", pa.list_(pa.string())),
                        ("window_block", pa.int64()), ("window_flagged", pa.int64()),
                        ("_first", pa.int64()),
                    ]
                ),
            )

    return joined.mapInArrow(report_batches, ACCOUNT_SCHEMA)


def write(df, path: str, fmt: str) -> None:
    """Overwrite ``path`` with ``df`` as JSON lines or Parquet."""
    writer = df.write.mode("overwrite")
    if fmt == "parquet":
        writer.parquet(path)
    else:
        writer.option("ignoreNullFields", "false").json(path)


def run(spark, args: argparse.Namespace) -> dict:
    """The whole job; returns a small summary (posts, label and account-label counts)."""
    from pyspark.sql import functions as F

    policy_toml = None
    if args.policy:
        with open(args.policy, encoding="utf-8") as fh:
            policy_toml = fh.read()
    import coinsieve

    coinsieve.Policy(policy_toml)  # fail fast, on the driver, on a bad policy

    raw = read_posts(spark, args.inputs, args.format)
    posts = select_posts(raw, args)
    labeled = label_posts(posts, args.lexicons).persist()

    out = labeled.filter(F.col("label") != "allow") if args.only_flagged else labeled
    write(out.orderBy("_order").drop("_order"), args.posts_out, args.out_format)
    summary = {
        "posts": labeled.count(),
        "labels": {r["label"]: r["count"] for r in labeled.groupBy("label").count().collect()},
    }
    if args.accounts_out:
        accounts = label_accounts(labeled, policy_toml).persist()
        write(accounts.orderBy("_first").drop("_first"), args.accounts_out, args.out_format)
        summary["accounts"] = {
            r["label"]: r["count"] for r in accounts.groupBy("label").count().collect()
        }
        accounts.unpersist()
    labeled.unpersist()
    return summary


def main(argv: Optional[List[str]] = None) -> int:
    """spark-submit entry point."""
    from pyspark.sql import SparkSession

    args = parse_args(argv)
    spark = SparkSession.builder.appName("coinsieve-scan").getOrCreate()
    spark.sparkContext.setLogLevel("WARN")
    try:
        summary = run(spark, args)
    finally:
        spark.stop()
    print(f"coinsieve spark_scan: {summary}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
