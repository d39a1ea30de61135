"""Type stubs for the native module coinsieve._coinsieve (re-exported by ``coinsieve``)."""

import os
from typing import Any, Dict, List, Optional, Sequence, Tuple, Union

import pyarrow

_PathLike = Union[str, "os.PathLike[str]"]

__version__: str

DEFAULT_POLICY_TOML: str
"""The built-in account policy, as the documented TOML file."""

class LexiconError(ValueError):
    """A lexicon directory that cannot be loaded (unreadable, malformed, over a size limit)."""

class PolicyError(ValueError):
    """An account policy that cannot be used (bad TOML, unknown key, contradictory thresholds)."""

class Filter:
    """A compiled coinsieve filter: build it once, check many posts.

    ``Filter()`` uses the lexicons compiled into the library; ``Filter(lexicon_dir)`` loads a
    lexicon directory laid out like the repository's ``lexicons/`` (raises :class:`LexiconError`).
    Immutable and thread-safe; ``check`` and ``check_arrow`` release the GIL.
    """

    def __init__(self, lexicon_dir: Optional[_PathLike] = None) -> None: ...
    @property
    def lexicon_dir(self) -> Optional[str]:
        """The lexicon directory this filter was built from, or None for the shipped lexicons."""
    def check(self, text: str) -> Dict[str, Any]:
        """Check one post; the verdict as a dict with the keys of ``coinsieve check --json``:
        ``label`` ("allow" | "review" | "block"), ``score``, ``categories``, ``rules``, ``hits``,
        plus ``context`` and ``hits_capped`` when present. Raises TypeError for non-str input."""
    def check_json(self, text: str) -> str:
        """Check one post; the verdict as one JSON line. Raises TypeError for non-str input."""
    def check_arrow(self, array: Any, *, parallel: bool = True) -> pyarrow.StructArray:
        """Check every post of a pyarrow string / large_string / string_view array (or a
        ChunkedArray, or any object with ``__arrow_c_array__``).

        Returns a StructArray of the same length with fields ``label`` (string), ``score``
        (float64), ``categories`` (list<string>), ``rules`` (string, JSON) and ``hits`` (string,
        JSON). Null inputs give null structs. Raises TypeError for other array types. The GIL is
        released while posts are checked (on all cores unless ``parallel=False``)."""

class Policy:
    """The account policy of ``coinsieve scan --accounts``.

    ``Policy()`` is the default (ban at >= 3 blocked posts, restrict at 1-2, watch at >= 2
    flagged, else ok); ``Policy(toml_text)`` parses a policy file's text (raises
    :class:`PolicyError`).
    """

    def __init__(self, toml: Optional[str] = None) -> None: ...
    @staticmethod
    def from_file(path: _PathLike) -> "Policy":
        """Read a policy TOML file (as ``coinsieve scan --policy FILE``)."""
    @property
    def ban_at_blocked(self) -> int:
        """Ban at this many blocked posts or more."""
    @property
    def restrict_at_blocked(self) -> int:
        """Restrict at this many blocked posts or more (below ``ban_at_blocked``)."""
    @property
    def watch_at_review(self) -> int:
        """Watch at this many flagged (review or block) posts."""
    @property
    def examples(self) -> int:
        """How many example post ids an account report lists."""
    @property
    def window_secs(self) -> Optional[int]:
        """The time window in seconds, or None when every post counts."""
    def label(self, blocked: int, flagged: int) -> str:
        """"ok", "watch", "restrict" or "ban" for these counts (within one window, if any)."""
    def report(
        self,
        account: str,
        posts: int,
        flagged: Sequence[Tuple[str, Optional[str], str, Sequence[str]]],
    ) -> Dict[str, Any]:
        """One ``--accounts`` line as a dict, computed by the library's AccountBook.

        ``posts`` counts all the account's posts; ``flagged`` lists its review/block posts in
        input order as ``(id, time, label, categories)``."""

def account_label(blocked: int, flagged: int, policy_toml: Optional[str] = None) -> str:
    """The account label of ``coinsieve scan --accounts`` for these counts, under the default
    policy or the policy TOML text ``policy_toml``."""

def parse_time(text: str) -> Optional[int]:
    """A post time as Unix seconds (as account windows read it), or None if unreadable."""
