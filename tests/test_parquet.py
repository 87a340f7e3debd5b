"""The Parquet export: the seeds' run exported, read back by the CLI as from the store, and by DuckDB."""

from __future__ import annotations

import json

import duckdb
import pytest

from newsfuse.cli import main
from newsfuse.pipeline import read_articles
from newsfuse.store import Store
from newsfuse.store.parquet import MANIFEST, TABLES, ParquetResult, export_parquet


def _cli(capsys, *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture(scope="module")
def exported(seed_run, tmp_path_factory):
    base, _ = seed_run
    folder = tmp_path_factory.mktemp("export") / "parquet"
    assert main(["export", "--db", str(base / "news.duckdb"), "--parquet", str(folder)]) == 0
    return base / "news.duckdb", folder


def test_the_read_commands_print_the_same_from_the_export_as_from_the_store(exported, capsys):
    db, folder = exported
    assert (folder / MANIFEST).is_file()
    for args in (["stories"], ["stories", "--json"], ["rejected", "--json"]):
        from_store = _cli(capsys, *args, "--db", str(db))
        assert from_store[0] == 0
        assert _cli(capsys, *args, "--parquet", str(folder)) == from_store
        assert _cli(capsys, *args, "--db", str(folder)) == from_store  # a folder given as --db is detected
    (story,) = json.loads(_cli(capsys, "stories", "--json", "--db", str(db))[1])
    for args in (["show", story["id"]], ["show", story["id"], "--json"]):
        from_store = _cli(capsys, *args, "--db", str(db))
        assert from_store[0] == 0 and story["title"] in from_store[1]
        assert _cli(capsys, *args, "--parquet", str(folder)) == from_store


def test_every_query_table_is_exported_with_its_rows(exported):
    db, folder = exported
    with Store.open(db, read_only=True) as store, ParquetResult.open(folder) as result:
        source, copy = store.snapshot(), result.queries()
        for table in TABLES:
            columns = [r[0] for r in source.execute(f"DESCRIBE {table}").fetchall()]
            listed = ", ".join(columns)
            want = sorted(map(repr, source.execute(f"SELECT {listed} FROM {table}").fetchall()))
            got = sorted(map(repr, copy._cur.execute(f"SELECT {listed} FROM {table}").fetchall()))
            assert got == want, table
        source.close()
        copy.close()


def test_articles_are_partitioned_by_day_and_duckdb_reads_the_files_directly(tmp_path):
    lines = [
        {"title": "Port strike ends", "text": "Dock workers voted to end the strike. " * 5,
         "published": "2025-03-04T09:30:00Z", "url": "https://a.example/1"},
        {"title": "Ferry timetable", "text": "The ferry will run hourly from April. " * 5,
         "published": "2025-03-05T07:15:00Z", "url": "https://a.example/2"},
        {"title": "Lighthouse museum", "text": "A museum will open in the cottage. " * 5,
         "url": "https://a.example/3"},
    ]  # fmt: skip
    source = tmp_path / "articles.jsonl"
    source.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    read = read_articles([source], progress=False)
    assert len(read.articles) == 3
    with Store.open(tmp_path / "n.duckdb") as store:
        store.add_articles(read.articles)
        done = export_parquet(store, tmp_path / "out")
    assert done.rows["articles"] == 3 and done.rows["stories"] == 0 and done.days == 2
    days = sorted(p.name for p in (tmp_path / "out" / "articles").iterdir())
    assert days == ["day=2025-03-04", "day=2025-03-05", "day=undated"]

    pattern = str(tmp_path / "out" / "articles" / "**" / "*.parquet")
    rows = duckdb.sql(
        f"SELECT title FROM read_parquet('{pattern}', hive_partitioning = true) WHERE day = '2025-03-05'"
    ).fetchall()
    assert rows == [("Ferry timetable",)]
    with ParquetResult.open(tmp_path / "out") as result:  # tables without rows read as empty, not missing
        reads = result.queries()
        assert reads.story_count() == 0
        titles = [a.title for a in reads.articles([a.id for a in read.articles])]
        assert titles == [line["title"] for line in lines]
        reads.close()


def test_an_export_replaces_an_earlier_one_and_refuses_a_folder_of_other_files(exported, tmp_path, capsys):
    db, _ = exported
    target = tmp_path / "out"
    assert _cli(capsys, "export", "--db", str(db), "--parquet", str(target))[0] == 0
    assert _cli(capsys, "export", "--db", str(db), "--parquet", str(target))[0] == 0  # replaced whole
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out"]  # no staging folder left beside it

    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.txt").write_text("mine", encoding="utf-8")
    code, _, err = _cli(capsys, "export", "--db", str(db), "--parquet", str(other))
    assert code == 2 and "holds other files" in err and "Traceback" not in err
    assert [p.name for p in other.iterdir()] == ["notes.txt"]

    code, _, err = _cli(capsys, "stories", "--parquet", str(other))
    assert code == 2 and "not a newsfuse Parquet export" in err and len(err.strip().splitlines()) == 1
