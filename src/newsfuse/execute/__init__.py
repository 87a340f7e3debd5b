"""Where the per-article analysis runs: an executor takes articles and yields their analyses in input order.

Two engines: `local` (a process pool on this machine, the reference) and `ray` (Ray Data on a running
cluster, or a local one started for the run). Grouping and fusion stay in the main process: the story
stream is sequential by design. Ray is imported only when the `ray` engine is chosen.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Protocol

from newsfuse.analysis import Analyser
from newsfuse.errors import ConfigError
from newsfuse.types import Analysed, Article

ENGINES = ("local", "ray")


class Executor(Protocol):
    """Anything that analyses articles; an Analyser is one (in this process)."""

    def analyse(self, articles: Sequence[Article]) -> Iterator[Analysed]:
        """One analysis per article, in input order."""
        ...


def executor_for(engine: str, analyser: Analyser, workers: int = 0, address: str | None = None) -> Executor:
    """The executor of `engine` ("local" or "ray"); `workers` 0 means one per core (local) or per CPU of
    the cluster (ray); `address` is a running Ray cluster's, or None to start a local one."""
    if engine == "local":
        from newsfuse.execute.local import LocalExecutor

        return LocalExecutor(analyser, workers)
    if engine == "ray":
        try:
            from newsfuse.execute.ray_cluster import RayExecutor
        except ImportError as exc:
            raise ConfigError(
                f"engine 'ray' needs the ray package ({exc}); pip install 'ray[data]'"
            ) from None
        return RayExecutor(analyser, workers, address)
    raise ConfigError(f"unknown engine {engine!r}; choose one of: {', '.join(ENGINES)}")
