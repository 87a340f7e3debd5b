"""A store's results as a folder of partitioned Parquet files, and that folder read back like a store.

`export_parquet` writes every table the read side (store/queries.py) reads, with pyarrow, as a Hive-style
dataset partitioned by day: an article's rows by its publication day, a story's rows (its account, members,
listing, outlets, entities, terms, claims, quotes, mentions) by the day of its first article, `undated`
when there is none; redirects and rejections are single files. A day is one folder, so a crawl of years
is a folder per day that DuckDB, Spark or pandas read directly and prune by `day`:

    SELECT title, article_count FROM read_parquet('OUT/story_listing/**/*.parquet', hive_partitioning = true)
    JOIN read_parquet('OUT/stories/**/*.parquet', hive_partitioning = true) s ON s.id = story_id

`ParquetResult.open` makes an in-memory DuckDB database whose views over those files have the store's
table names, so the same `StoreQueries` (and so the CLI's read commands) read it as they read a store.
Not exported: the stream's state and the near-copy fingerprints, which only a later run needs; a run
continues from the store, not from an export.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import duckdb

from newsfuse.errors import NewsfuseError, StoreError

if TYPE_CHECKING:
    from newsfuse.store.duckdb_store import Store
    from newsfuse.store.queries import StoreQueries

MANIFEST = "newsfuse-parquet.json"
FORMAT_VERSION = 1
PARTITION = "day"  # the partition column: YYYY-MM-DD, or `undated`
UNDATED = "undated"
ROWS_PER_BATCH = 50_000  # rows read from DuckDB and written at a time: the export streams


def _day(column: str) -> str:
    return f"coalesce(strftime({column}, '%Y-%m-%d'), '{UNDATED}') AS {PARTITION}"


_STORY_DAY = "(SELECT first_published FROM story_listing l WHERE l.story_id = t.{key})"

# table -> the query that gives its rows with their partition (None: not partitioned).
_EXPORTS: dict[str, tuple[str, bool]] = {
    "articles": (f"SELECT t.*, {_day('t.published')} FROM articles t", True),
    "annotations": (
        f"SELECT t.*, {_day('a.published')} FROM annotations t LEFT JOIN articles a ON a.id = t.article_id",
        True,
    ),
    "stories": (f"SELECT t.*, {_day(_STORY_DAY.format(key='id'))} FROM stories t", True),
    **{
        table: (f"SELECT t.*, {_day(_STORY_DAY.format(key='story_id'))} FROM {table} t", True)
        for table in (
            "story_articles",
            "story_listing",
            "story_outlets",
            "story_entities",
            "story_terms",
            "story_claims",
            "story_quotes",
            "story_mentions",
        )
    },
    "story_redirects": ("SELECT * FROM story_redirects", False),
    "rejections": ("SELECT * FROM rejections", False),
}
TABLES = tuple(_EXPORTS)


@dataclass(frozen=True, slots=True)
class Exported:
    """What an export wrote: rows per table and the number of day partitions."""

    folder: Path
    rows: dict[str, int]
    days: int


def export_parquet(store: Store, folder: str | os.PathLike[str]) -> Exported:
    """Write the store's results to `folder` as partitioned Parquet (see the module's docstring).

    The export is written beside `folder` and then put in its place, so a reader never sees half of one;
    an earlier export there is replaced. A folder that holds anything else is refused (NewsfuseError),
    never emptied.
    """
    import pyarrow as pa
    import pyarrow.dataset as ds

    target = Path(folder)
    check_export_folder(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}.", dir=target.parent))
    try:
        cursor = store.snapshot()
        tables: dict[str, Any] = {}
        days: set[str] = set()
        try:
            cursor.execute("BEGIN TRANSACTION")  # every table from one committed state
            for table, (sql, partitioned) in _EXPORTS.items():
                relation = cursor.sql(sql)
                columns = [
                    [name, str(kind)] for name, kind in zip(relation.columns, relation.types, strict=True)
                ]
                partitioning = (
                    ds.partitioning(pa.schema([(PARTITION, pa.string())]), flavor="hive")
                    if partitioned
                    else None
                )
                ds.write_dataset(
                    _arrow_reader(relation),
                    staging / table,
                    format="parquet",
                    partitioning=partitioning,
                    basename_template="part-{i}.parquet",
                    max_partitions=1 << 20,  # a day a folder: years of a crawl
                    existing_data_behavior="error",
                )
                ((rows,),) = cursor.sql(f"SELECT count(*) FROM {table}").fetchall()
                if partitioned and (staging / table).is_dir():
                    days.update(p.name.split("=", 1)[1] for p in (staging / table).iterdir())
                partition = PARTITION if partitioned else None
                tables[table] = {"partitioned_by": partition, "rows": int(rows), "columns": columns}
        except duckdb.Error as exc:
            raise StoreError(f"{store.path}: reading the store for the export failed: {exc}") from exc
        finally:
            cursor.close()
        manifest = {
            "format": "newsfuse parquet export",
            "version": FORMAT_VERSION,
            "exported_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "store": os.path.basename(store.path),
            "tables": tables,
        }
        (staging / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n", encoding="utf-8")
        _put_in_place(staging, target)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Exported(target, {t: v["rows"] for t, v in tables.items()}, len(days - {UNDATED}))


def _arrow_reader(relation: duckdb.DuckDBPyRelation) -> Any:
    """The relation's rows as a pyarrow RecordBatchReader, ROWS_PER_BATCH at a time (DuckDB 1 and 2)."""
    read = getattr(relation, "to_arrow_reader", None) or relation.fetch_arrow_reader
    return read(ROWS_PER_BATCH)


def check_export_folder(folder: Path) -> None:
    """Refuse, before any work, a folder that is not ours to replace: a file, or a folder of other things."""
    if folder.exists() and not folder.is_dir():
        raise NewsfuseError(f"{folder}: a file is there; the Parquet export needs a folder")
    if folder.is_dir() and any(folder.iterdir()) and not (folder / MANIFEST).is_file():
        raise NewsfuseError(
            f"{folder}: the folder holds other files (no {MANIFEST}); give an empty or new folder, "
            "or one an earlier export wrote"
        )


def _put_in_place(staging: Path, target: Path) -> None:
    """Swap the new export in: the old one moves aside first, so `target` is always a whole export."""
    previous = None
    if target.exists():
        previous = target.with_name(f".{target.name}.old-{os.getpid()}")
        os.replace(target, previous)
    os.replace(staging, target)
    if previous is not None:
        shutil.rmtree(previous, ignore_errors=True)


def is_export(folder: str | os.PathLike[str]) -> bool:
    """Whether `folder` holds a Parquet export (its manifest)."""
    return (Path(folder) / MANIFEST).is_file()


class ParquetResult:
    """A Parquet export opened for reading: views with the store's table names over its files."""

    def __init__(self, connection: duckdb.DuckDBPyConnection, path: str) -> None:
        self._con = connection
        self.path = path

    @classmethod
    def open(cls, folder: str | os.PathLike[str]) -> ParquetResult:
        """Open the export in `folder`. Raises NewsfuseError when it is not one, or a newer newsfuse's."""
        where = Path(folder)
        try:
            manifest = json.loads((where / MANIFEST).read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise NewsfuseError(
                f"{where}: not a newsfuse Parquet export (no {MANIFEST}); write one with "
                "`newsfuse export --parquet DIR` or `newsfuse run ... --parquet DIR`"
            ) from None
        except (OSError, ValueError) as exc:
            raise NewsfuseError(f"{where / MANIFEST}: cannot read the export's manifest ({exc})") from None
        version = manifest.get("version") if isinstance(manifest, dict) else None
        if not isinstance(version, int) or version > FORMAT_VERSION:
            raise NewsfuseError(
                f"{where}: export format version {version!r}, this newsfuse reads up to {FORMAT_VERSION}; "
                "upgrade newsfuse"
            )
        con = duckdb.connect(":memory:")
        try:
            for table in TABLES:
                con.execute(
                    f"CREATE VIEW {table} AS {_view_sql(where, table, manifest['tables'].get(table))}"
                )
        except (duckdb.Error, KeyError, TypeError, ValueError) as exc:
            con.close()
            raise NewsfuseError(f"{where}: the export cannot be read: {exc}") from None
        return cls(con, os.fspath(where))

    def queries(self) -> StoreQueries:
        """The store's typed, paged reads (store/queries.py), over the export."""
        from newsfuse.store.queries import StoreQueries

        return StoreQueries(self._con.cursor(), self.path)

    def close(self) -> None:
        self._con.close()

    def __enter__(self) -> ParquetResult:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def _view_sql(folder: Path, table: str, entry: dict[str, Any] | None) -> str:
    if entry is None:
        raise ValueError(f"the manifest lists no table {table!r}")
    files = folder / table
    if not files.is_dir() or not any(files.rglob("*.parquet")):
        # No rows: no file was written, so the manifest's column types make the (empty) view.
        columns = ", ".join(f"CAST(NULL AS {kind}) AS {_quoted(name)}" for name, kind in entry["columns"])
        return f"SELECT {columns} WHERE false"
    pattern = _literal(f"{files.resolve()}/**/*.parquet")
    if entry["partitioned_by"]:
        return (
            f"SELECT * FROM read_parquet({pattern}, hive_partitioning = true, "
            f"hive_types = {{'{PARTITION}': VARCHAR}})"
        )
    return f"SELECT * FROM read_parquet({pattern}, hive_partitioning = false)"


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
