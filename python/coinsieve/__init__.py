"""coinsieve: label Chinese/English social posts for crypto OTC offers and crypto hype.

The engine is the coinsieve Rust library; this package is a thin PyO3 binding (abi3: one wheel
for CPython >= 3.9).

>>> import coinsieve
>>> f = coinsieve.Filter()                       # the shipped lexicons; build once, share freely
>>> f.check("收U 6.95 微信 laozhang88")["label"]
'block'
>>> coinsieve.account_label(blocked=3, flagged=3)  # the policy of `coinsieve scan --accounts`
'ban'

* :class:`Filter` -- ``check(text) -> dict`` (the ``Verdict`` JSON as a dict),
  ``check_json(text) -> str`` and ``check_arrow(array) -> pyarrow.StructArray`` (a whole
  pyarrow string column at once, through the Arrow C data interface, GIL released).
* :class:`Policy`, :func:`account_label` -- account labels (ok / watch / restrict / ban) with
  exactly the library's logic; :meth:`Policy.report` builds one ``--accounts`` line.
* :func:`parse_time` -- the time parser that account windows use.
* :func:`cached_filter` -- one Filter per process and lexicon directory (for Spark executors).
"""

from __future__ import annotations

import functools
import os
from typing import Optional, Union

from ._coinsieve import (
    DEFAULT_POLICY_TOML,
    Filter,
    LexiconError,
    Policy,
    PolicyError,
    __version__,
    account_label,
    parse_time,
)

__all__ = [
    "DEFAULT_POLICY_TOML",
    "Filter",
    "LexiconError",
    "Policy",
    "PolicyError",
    "__version__",
    "account_label",
    "cached_filter",
    "parse_time",
]


@functools.lru_cache(maxsize=None)
def _cached_filter(lexicon_dir: Optional[str]) -> Filter:
    return Filter(lexicon_dir)


def cached_filter(lexicon_dir: Optional[Union[str, "os.PathLike[str]"]] = None) -> Filter:
    """Return this process's Filter for ``lexicon_dir`` (None: the shipped lexicons), building
    it on first use.

    Meant for code that runs many times in one process, such as a Spark ``mapInArrow`` function:
    the lexicons are compiled once per executor Python worker, not once per batch. The cache
    lives in this module, so it survives across tasks while Spark reuses the worker
    (``spark.python.worker.reuse``, on by default).
    """
    key = None if lexicon_dir is None else os.fspath(lexicon_dir)
    return _cached_filter(key)
