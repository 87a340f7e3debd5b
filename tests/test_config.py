"""Settings layers: shipped defaults < TOML file < NEWSFUSE_* environment < explicit overrides."""

from __future__ import annotations

import subprocess
import sys

import pytest

from newsfuse.config import Settings, load_settings
from newsfuse.errors import ConfigError


def test_layers_override_in_order(tmp_path, monkeypatch):
    monkeypatch.delenv("NEWSFUSE_DB", raising=False)
    monkeypatch.delenv("NEWSFUSE_CLUSTER_THRESHOLD", raising=False)
    assert load_settings() == Settings()

    file = tmp_path / "settings.toml"
    file.write_text('db = "from-file.duckdb"\ncluster_threshold = 0.4\nsummary_sentences = 3\n')
    s = load_settings(file)
    assert (s.db, s.cluster_threshold, s.summary_sentences) == ("from-file.duckdb", 0.4, 3)

    monkeypatch.setenv("NEWSFUSE_CLUSTER_THRESHOLD", "0.25")
    assert load_settings(file).cluster_threshold == 0.25
    assert load_settings(file, cluster_threshold=0.3, db=None).cluster_threshold == 0.3
    assert load_settings(file, db=None).db == "from-file.duckdb"


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("no_such_setting = 1\n", "unknown settings no_such_setting"),
        ("cluster_threshold = 3.0\n", "must lie in (0, 1]"),
        ('summary_sentences = "many"\n', "cannot read 'many' as int"),
        ('nlp_sentences = "magic"\n', "'model' or 'rules'"),
        ("this is not toml\n", "not valid TOML"),
    ],
)
def test_bad_settings_say_what_is_wrong(tmp_path, content, message):
    file = tmp_path / "bad.toml"
    file.write_text(content)
    with pytest.raises(ConfigError, match=message.replace("(", r"\(").replace("]", r"\]")):
        load_settings(file)


def test_cli_reports_a_bad_settings_file_in_one_line(tmp_path):
    file = tmp_path / "bad.toml"
    file.write_text("cluster_threshold = -1\n")
    done = subprocess.run(
        [sys.executable, "-m", "newsfuse", "stories", "--config", str(file), "--db", str(tmp_path / "x.db")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.count("\n") == 1 and "cluster_threshold" in done.stderr


def test_a_misspelt_environment_variable_is_an_error_naming_the_setting_meant(monkeypatch):
    monkeypatch.setenv("NEWSFUSE_SUMARY_SENTENCES", "3")
    with pytest.raises(
        ConfigError, match=r"NEWSFUSE_SUMARY_SENTENCES \(did you mean NEWSFUSE_SUMMARY_SENTENCES\?\)"
    ):
        load_settings()
    monkeypatch.delenv("NEWSFUSE_SUMARY_SENTENCES")
    monkeypatch.setenv("NEWSFUSE_SUMMARY_SENTENCES", "3")
    assert load_settings().summary_sentences == 3
