"""newsfuse: one sourced account per news story, from many outlets' reports.

import newsfuse
result = newsfuse.run(["examples/articles.jsonl"], db="news.duckdb")
for story in result.stories:
    print(story.title, [s.text for s in story.summary])
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["run", "open_store", "load_settings", "__version__"]

if TYPE_CHECKING:
    from newsfuse.config import load_settings
    from newsfuse.pipeline import run
    from newsfuse.store import Store


def open_store(path: str) -> Store:
    """Open (or create) a newsfuse DuckDB file for reading stories and articles."""
    from newsfuse.store import Store

    return Store.open(path)


def __getattr__(name: str) -> Any:
    # Importing newsfuse stays cheap; spaCy and the rest load when the job first runs.
    if name == "run":
        from newsfuse.pipeline import run

        return run
    if name == "load_settings":
        from newsfuse.config import load_settings

        return load_settings
    raise AttributeError(f"module 'newsfuse' has no attribute {name!r}")
