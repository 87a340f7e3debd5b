"""The per-article analysis: computed once, stored with its version, read by grouping and fusion, and
done again (with a line saying so) when the store holds another version's."""

from __future__ import annotations

import duckdb
import numpy as np
import pytest
from conftest import SEED_FILES

import newsfuse
from newsfuse.analysis import ANALYSIS_VERSION
from newsfuse.cluster.features import EMBEDDING_DIM, article_features, features_of
from newsfuse.serialize import story_to_dict
from newsfuse.store import Store


def _stored(db):
    with Store.open(db, read_only=True) as store:
        ids = [a.id for a in store.articles()]
        return store.analyses(ids, ANALYSIS_VERSION), [story_to_dict(s) for s in store.stories()]


def test_the_stored_analysis_is_what_grouping_would_compute(seed_run):
    base, result = seed_run
    analyses, _ = _stored(base / "news.duckdb")
    assert len(analyses) == 2 and all(a.version == ANALYSIS_VERSION for a in analyses)
    computed = {f.id: f for f in article_features(list(result.articles))}
    for analysed in analyses:
        stored = features_of(analysed)
        expected = computed[stored.id]
        assert stored.term_counts == expected.term_counts
        assert stored.published == expected.published
        assert stored.embedding.shape == (EMBEDDING_DIM,) and stored.embedding.dtype == np.float32
        np.testing.assert_allclose(stored.embedding, expected.embedding, atol=1e-5)
        assert analysed.sentences and analysed.mentions  # the annotation is stored beside them


def test_an_older_analysis_is_done_again_and_said(tmp_path, capsys):
    db = tmp_path / "news.duckdb"
    newsfuse.run(SEED_FILES, db=db, progress=False)
    _, before = _stored(db)
    capsys.readouterr()
    # One row as an older version wrote it, one as a store from before versions (a bare annotation).
    with duckdb.connect(str(db)) as con:
        first, second = (
            r[0] for r in con.execute("SELECT article_id FROM annotations ORDER BY 1").fetchall()
        )
        con.execute(
            "UPDATE annotations SET analysis_version = ? WHERE article_id = ?", [ANALYSIS_VERSION - 1, first]
        )
        con.execute(
            "UPDATE annotations SET analysis_version = NULL, title_terms = NULL, body_terms = NULL, "
            "embedding = NULL WHERE article_id = ?",
            [second],
        )
    with Store.open(db) as store:
        assert sorted(store.outdated_analyses(ANALYSIS_VERSION)) == sorted({ANALYSIS_VERSION - 1, 0})
        assert len(store.analyses([first, second], ANALYSIS_VERSION)) == 0
    newsfuse.run(SEED_FILES, db=db, progress=False)
    err = capsys.readouterr().err
    assert err.count("re-analysing") == 1, err
    assert "re-analysing 2 articles analysed by an older version of the analysis" in err
    analyses, after = _stored(db)
    assert len(analyses) == 2
    assert after == before
    newsfuse.run(SEED_FILES, db=db, progress=False)
    assert "re-analysing" not in capsys.readouterr().err


def test_grouping_never_computes_features_itself(tmp_path):
    """Articles stored without an analysis are not grouped from their text: the run analyses first."""
    from newsfuse.cluster import StreamParams
    from newsfuse.config import load_settings
    from newsfuse.errors import StoreError
    from newsfuse.pipeline import group_new, read_articles

    with Store.open(tmp_path / "news.duckdb") as store:
        store.add_articles(read_articles(SEED_FILES, progress=False).articles)
        with pytest.raises(StoreError, match="have no analysis of version"):
            group_new(store, StreamParams.from_settings(load_settings()), progress=False)
