"""Shared fixtures. The seeds and data sets are read by path from ../shared beside the repository."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"
SEEDS = SHARED / "seeds"
DATA = SHARED / "data"
SEED_FILES = sorted(SEEDS.glob("*.txt"))


def pytest_configure(config: pytest.Config) -> None:
    # Registered here rather than in pyproject.toml so `-m "not browser"` works without a warning.
    config.addinivalue_line(
        "markers",
        "browser: drives a real headless chromium (make test installs it); deselect with -m 'not browser'",
    )


def require(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"{path} is not present")
    return path


@pytest.fixture(scope="session")
def seed_articles():
    from newsfuse.pipeline import read_articles

    result = read_articles(SEED_FILES, progress=False)
    assert not result.rejected
    return result.articles


@pytest.fixture(scope="session")
def annotated_seeds(seed_articles):
    from newsfuse.nlp.pipeline import Annotator

    return list(Annotator().annotate(list(seed_articles)))


@pytest.fixture(scope="session")
def seed_run(tmp_path_factory):
    """The whole job run once on the two seed .txt files, with its database and output folder."""
    import newsfuse

    base = tmp_path_factory.mktemp("seed-run")
    result = newsfuse.run(SEED_FILES, db=base / "news.duckdb", out=base / "out", progress=False)
    return base, result
