"""The command line as a user runs it: a real process, real files, a real database."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import SEED_FILES


def newsfuse(*args: str, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "newsfuse", *args], capture_output=True, text=True, cwd=cwd, timeout=300
    )


def test_run_then_list_and_show(tmp_path):
    db, out = str(tmp_path / "n.duckdb"), str(tmp_path / "out")
    done = newsfuse("run", *map(str, SEED_FILES), "--db", db, "--out", out)
    assert done.returncode == 0, done.stderr
    assert "2 articles read" in done.stdout and "1 story;" in done.stdout
    assert "Traceback" not in done.stderr

    listed = newsfuse("stories", "--db", db, "--json")
    rows = json.loads(listed.stdout)
    assert len(rows) == 1 and rows[0]["articles"] == 2
    story_id = rows[0]["id"]

    shown = newsfuse("show", story_id, "--db", db)
    assert shown.returncode == 0 and "Shamkhani" in shown.stdout
    shown_json = json.loads(newsfuse("show", story_id, "--db", db, "--json").stdout)
    assert shown_json["id"] == story_id and shown_json["summary"]


def test_ingest_reports_new_articles_once(tmp_path):
    db = str(tmp_path / "n.duckdb")
    first = json.loads(newsfuse("ingest", str(SEED_FILES[0]), "--db", db, "--json").stdout)
    second = json.loads(newsfuse("ingest", str(SEED_FILES[0]), "--db", db, "--json").stdout)
    assert len(first["new"]) == 1 and second["new"] == []


def test_user_mistakes_are_one_line_and_exit_2(tmp_path):
    missing = newsfuse(
        "run", str(tmp_path / "nope.txt"), "--db", str(tmp_path / "n.duckdb"), "--out", str(tmp_path / "out")
    )
    assert missing.returncode == 2
    assert "nope.txt" in missing.stderr and "Traceback" not in missing.stderr

    bad_option = newsfuse("run", "--no-such-option")
    assert bad_option.returncode == 2 and len(bad_option.stderr.strip().splitlines()) == 1

    unknown = newsfuse("show", "s-unknown", "--db", str(tmp_path / "absent.duckdb"))
    assert unknown.returncode == 2 and len(unknown.stderr.strip().splitlines()) == 1

    a_file = tmp_path / "taken"
    a_file.write_text("not a folder", encoding="utf-8")
    db = str(tmp_path / "n.duckdb")
    out_is_file = newsfuse("run", str(SEED_FILES[0]), "--db", db, "--out", str(a_file))
    assert out_is_file.returncode == 2 and "taken" in out_is_file.stderr
    assert len(out_is_file.stderr.strip().splitlines()) == 1

    not_a_db = tmp_path / "text.duckdb"
    not_a_db.write_text("hello", encoding="utf-8")
    broken = newsfuse("stories", "--db", str(not_a_db))
    assert broken.returncode == 2 and "text.duckdb" in broken.stderr and "Traceback" not in broken.stderr


def test_one_unreadable_file_among_many_is_skipped(tmp_path):
    bad = tmp_path / "bad.html"
    bad.write_bytes(b"\xff\xfe\x00garbage")
    done = newsfuse(
        "run",
        str(SEED_FILES[0]),
        str(bad),
        "--db",
        str(tmp_path / "n.duckdb"),
        "--out",
        str(tmp_path / "out"),
    )
    assert done.returncode == 0, done.stderr
    assert "bad.html" in done.stderr and "1 article read" in done.stdout
