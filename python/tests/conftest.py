"""Shared fixtures: one Filter for the session, the repository root."""

from pathlib import Path

import pytest

import coinsieve

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def repo() -> Path:
    """The repository root (for corpora/ and target/release/coinsieve)."""
    return REPO


@pytest.fixture(scope="session")
def filt() -> coinsieve.Filter:
    """The shipped-lexicon Filter, built once."""
    return coinsieve.Filter()
