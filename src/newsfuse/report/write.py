"""Writing a run's outputs: stories.json, articles.json and a Markdown and an HTML page per story."""

from __future__ import annotations

import json
import os
import re
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from newsfuse.errors import OutputError
from newsfuse.report.html import render_html
from newsfuse.report.markdown import render_markdown
from newsfuse.serialize import article_to_dict, story_to_dict
from newsfuse.types import Article, Story

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")


def story_file_stem(story_id: str) -> str:
    """The file name (without suffix) for a story: its id, with anything but letters, digits, '.', '_'
    and '-' replaced by '_' so an id can never name a path outside the stories folder."""
    stem = _UNSAFE.sub("_", story_id)
    return "_" + stem if stem.startswith(".") or not stem else stem


def _write_text(path: Path, text: str) -> None:
    # Written beside the target, then renamed over it: a reader never sees half a file, and a crash
    # leaves the previous version in place.
    # (A plain open, not mkstemp, so the file gets the usual permissions rather than owner-only.)
    temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(temporary, "w", encoding="utf-8", newline="\n") as stream:
            stream.write(text)
        os.replace(temporary, path)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise


def _json(data: Any) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def write_outputs(
    out_dir: str | os.PathLike[str],
    stories: Iterable[Story],
    articles: Iterable[Article] | Mapping[str, Article],
) -> list[Path]:
    """Write the output folder, creating it when missing.

    In: the folder, the stories, and the articles (an iterable, or a mapping by id) they cite.
    Out: the paths written: `stories.json` (a list of story dicts, see newsfuse.serialize),
    `articles.json` (a list of article dicts, in the order given), then `stories/<id>.md` and
    `stories/<id>.html` per story (see `story_file_stem`). Raises OutputError naming the path and the
    reason when the folder or a file cannot be written.
    """
    try:
        return _write_all(Path(out_dir), stories, articles)
    except OSError as exc:
        where = exc.filename or out_dir
        raise OutputError(f"cannot write the output to {where}: {exc.strerror or exc}") from None


def _write_all(
    root: Path, stories: Iterable[Story], articles: Iterable[Article] | Mapping[str, Article]
) -> list[Path]:
    article_list = list(articles.values() if isinstance(articles, Mapping) else articles)
    by_id = {a.id: a for a in article_list}
    story_list = list(stories)
    pages = root / "stories"
    pages.mkdir(parents=True, exist_ok=True)

    written = [root / "stories.json", root / "articles.json"]
    _write_text(written[0], _json([story_to_dict(s) for s in story_list]))
    _write_text(written[1], _json([article_to_dict(a) for a in article_list]))
    for story in story_list:
        stem = story_file_stem(story.id)
        for suffix, render in ((".md", render_markdown), (".html", render_html)):
            path = pages / f"{stem}{suffix}"
            _write_text(path, render(story, by_id))
            written.append(path)
    return written


# What `write_outputs` puts in a folder: only a folder holding nothing else may be replaced whole.
_OURS = frozenset({"stories.json", "articles.json", "stories"})


def write_outputs_atomically(
    out_dir: str | os.PathLike[str],
    stories: Iterable[Story],
    articles: Iterable[Article] | Mapping[str, Article],
) -> list[Path]:
    """Write the output folder anew and put it in place of the old one in one step.

    Everything is written into a sibling folder first; only when all of it is written is the old folder
    renamed away and the new one renamed into its place, so a failure at any point leaves the old folder
    as it was, and pages of stories no longer stored do not linger. Raises OutputError when `out_dir` is
    a file, holds files newsfuse does not write (they would be lost), or cannot be written.
    """
    root = Path(out_dir)
    check_output_folder(root)
    staging = root.with_name(f".{root.name}.new-{os.getpid()}")
    retired = root.with_name(f".{root.name}.old-{os.getpid()}")
    try:
        shutil.rmtree(staging, ignore_errors=True)
        written = write_outputs(staging, stories, articles)
        _swap(staging, root, retired)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    shutil.rmtree(retired, ignore_errors=True)
    return [root / path.relative_to(staging) for path in written]


def check_output_folder(root: Path) -> None:
    """Raise OutputError unless `root` is absent or a folder that holds only what newsfuse writes."""
    if root.exists() and not root.is_dir():
        raise OutputError(f"--out {root}: is a file, not a folder")
    if root.is_dir():
        foreign = sorted(p.name for p in root.iterdir() if p.name not in _OURS)
        if foreign:
            raise OutputError(
                f"--out {root}: holds files newsfuse did not write ({', '.join(foreign[:3])}), which "
                "replacing the folder would delete; give an empty folder, or one newsfuse wrote"
            )


def _swap(staging: Path, root: Path, retired: Path) -> None:
    try:
        if root.exists():
            os.replace(root, retired)
        try:
            os.replace(staging, root)
        except OSError:
            if retired.exists() and not root.exists():
                os.replace(retired, root)  # put the old folder back
            raise
    except OSError as exc:
        raise OutputError(f"cannot put the output in place at {root}: {exc.strerror or exc}") from None
