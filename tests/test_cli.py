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


# ---------------------------------------------------------------- a command line that never loses a report


def _snapshot(folder):
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_a_failed_run_changes_nothing_in_out_and_its_rejection_is_listed(tmp_path):
    db, out = str(tmp_path / "n.duckdb"), tmp_path / "out"
    done = newsfuse("run", *map(str, SEED_FILES), "--db", db, "--out", str(out))
    assert done.returncode == 0, done.stderr
    before = _snapshot(out)
    stories = json.loads(before["stories.json"])
    assert len(stories) == 1 and len(json.loads(before["articles.json"])) == 2
    assert f"stories/{stories[0]['id']}.html" in before

    typo = newsfuse("run", str(tmp_path / "seeds-typo.txt"), "--db", db, "--out", str(out))
    assert typo.returncode == 2 and "Traceback" not in typo.stderr
    assert "seeds-typo.txt: no such file or folder [not-found: check the path]" in typo.stderr
    assert _snapshot(out) == before

    listed = newsfuse("rejected", "--db", db)
    assert listed.returncode == 0
    assert (
        listed.stdout.strip()
        == f"{tmp_path / 'seeds-typo.txt'}: no such file or folder [not-found: check the path]"
    )
    rows = json.loads(newsfuse("rejected", "--db", db, "--json").stdout)
    assert rows == [
        {
            "source": str(tmp_path / "seeds-typo.txt"),
            "code": "not-found",
            "reason": "no such file or folder",
            "advice": "check the path",
        }
    ]

    # A folder holding someone else's files is never replaced (they would be lost).
    (out / "notes.txt").write_text("mine", encoding="utf-8")
    refused = newsfuse("run", *map(str, SEED_FILES), "--db", db, "--out", str(out))
    assert refused.returncode == 2 and "notes.txt" in refused.stderr and (out / "notes.txt").exists()


def test_a_closed_pipe_ends_the_listing_quietly(tmp_path):
    from newsfuse.store import Store
    from newsfuse.types import ArticleRef, Story

    db = tmp_path / "n.duckdb"
    with Store.open(db) as store:  # enough stories that the listing outruns the pipe's buffer
        store.put_stories(
            [
                Story(
                    f"s-{i:05d}",
                    f"Story number {i} " + "x" * 60,
                    (ArticleRef(f"a{i}", "O", "T", None, None),),
                )
                for i in range(3000)
            ]
        )
    with subprocess.Popen(
        [sys.executable, "-m", "newsfuse", "stories", "--db", str(db)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        head = [process.stdout.readline() for _ in range(3)]
        process.stdout.close()  # what `| head -3` does
        stderr = process.stderr.read().decode()
        process.wait(timeout=60)
    assert len(head) == 3 and head[0].startswith(b"s-")
    assert "BrokenPipeError" not in stderr and "Traceback" not in stderr and stderr == ""
    assert process.returncode == 141


def test_a_misspelt_setting_variable_is_reported(tmp_path):
    import os

    env = {**os.environ, "NEWSFUSE_CLUSTER_TRESHOLD": "0.3"}
    done = subprocess.run(
        [sys.executable, "-m", "newsfuse", "stories", "--db", str(tmp_path / "n.duckdb")],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "newsfuse: error: environment variable NEWSFUSE_CLUSTER_TRESHOLD (did you mean "
        "NEWSFUSE_CLUSTER_THRESHOLD?) is not a newsfuse setting; fix or unset it (the settings are listed in "
        "the README)"
    )


def test_version():
    from newsfuse import __version__

    done = newsfuse("--version")
    assert done.returncode == 0 and done.stdout.strip() == f"newsfuse {__version__}"


def test_make_demo_runs_twice(tmp_path):
    """The Makefile's demo command, as written, works on a fresh folder and again on its own output (a
    store kept inside the output folder once made the second run, and the first, refuse the folder)."""
    import shlex
    import shutil

    from conftest import REPO

    line = next(x for x in (REPO / "Makefile").read_text().splitlines() if "newsfuse run" in x)
    args = shlex.split(line.strip())[2:]  # after "$(BIN)/newsfuse run"
    shutil.copytree(REPO / "examples", tmp_path / "examples")
    for _ in range(2):
        done = subprocess.run(
            [sys.executable, "-m", "newsfuse", "run", *args], cwd=tmp_path, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
    assert (tmp_path / "demo-output" / "stories.json").is_file()
