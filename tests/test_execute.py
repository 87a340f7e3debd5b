"""Executors: the per-article analysis on a local process pool or on Ray gives what one process gives,
and no worker outlives the run however it ends (SIGKILL, SIGTERM, Ctrl-C)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
from conftest import DATA, REPO, require

GIVEME = DATA / "giveme5w1h_news_cluster"
NEWSFUSE = [sys.executable, "-m", "newsfuse"]


def _articles(count: int):
    from newsfuse.pipeline import read_articles

    files = sorted(require(GIVEME).glob("*.json"))[:count]
    return list(read_articles(files, progress=False).articles)


def _children(pid: int) -> list[int]:
    """Live processes whose parent is `pid` (Linux /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == pid and fields[0] != "Z":
                found.append(int(entry.name))
    return found


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"  # a zombie has ended; only its exit status waits for a parent


def _wait_for(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.2)
    return condition()


def test_local_pool_gives_what_one_process_gives():
    import numpy as np

    from newsfuse.analysis import ANALYSIS_VERSION, Analyser
    from newsfuse.execute.local import LocalExecutor
    from newsfuse.nlp.pipeline import Annotator

    articles = _articles(10)
    alone = list(Analyser(Annotator()).analyse(articles))
    pooled = list(LocalExecutor(Analyser(Annotator()), workers=2, articles_per_worker=1).analyse(articles))
    assert [a.article.id for a in pooled] == [a.id for a in articles]
    assert pooled == alone
    assert all(a.version == ANALYSIS_VERSION and a.body_terms for a in pooled)
    # Batches of other sizes and one thread instead of all: the same vectors up to float rounding.
    for one, other in zip(pooled, alone, strict=True):
        assert one.embedding is not None and other.embedding is not None
        np.testing.assert_allclose(one.embedding, other.embedding, atol=1e-5)


def test_unknown_engine_is_a_setting_error():
    from newsfuse.config import load_settings
    from newsfuse.errors import ConfigError

    with pytest.raises(ConfigError, match="'engine' must be 'local' or 'ray'"):
        load_settings(engine="spark")


# A main process that starts a pool of two analysis workers and then takes its time over the results.
_SLOW_MAIN = textwrap.dedent(
    """
    import sys, time
    from newsfuse.analysis import Analyser
    from newsfuse.execute.local import LocalExecutor
    from newsfuse.nlp.pipeline import Annotator
    from newsfuse.pipeline import read_articles

    if __name__ == "__main__":
        articles = list(read_articles(sys.argv[1:], progress=False).articles)
        executor = LocalExecutor(Analyser(Annotator()), workers=2, articles_per_worker=1)
        for item in executor.analyse(articles * 50):
            print("analysed", item.article.id, flush=True)
            time.sleep(0.5)
    """
)


def test_workers_end_when_the_main_process_is_killed(tmp_path):
    script = tmp_path / "slow_main.py"
    script.write_text(_SLOW_MAIN)
    files = [str(p) for p in sorted(require(GIVEME).glob("*.json"))[:2]]
    with subprocess.Popen(
        [sys.executable, str(script), *files], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    ) as main:
        try:
            assert main.stdout is not None
            main.stdout.readline()  # the workers have analysed something: they are up
            workers = _analysis_workers(main.pid)
            assert len(workers) >= 2, workers
            main.kill()  # SIGKILL: no Python code of the main process runs
            main.wait()
            assert _wait_for(lambda: not any(_alive(w) for w in workers), 15), [
                w for w in workers if _alive(w)
            ]
        finally:
            if main.poll() is None:
                main.kill()
                main.wait()


def _cmdline(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def _start_run(tmp_path: Path, count: int) -> subprocess.Popen:
    inputs = tmp_path / "inputs"
    inputs.mkdir(exist_ok=True)
    for source in sorted(require(GIVEME).glob("*.json"))[:count]:
        (inputs / source.name).write_bytes(source.read_bytes())
    return subprocess.Popen(
        [
            *NEWSFUSE,
            "run",
            str(inputs),
            "--db",
            str(tmp_path / "news.duckdb"),
            "--out",
            str(tmp_path / "out"),
        ],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, as a shell job has
        env={**os.environ, "NEWSFUSE_NLP_PROCESSES": "2"},
    )


def _when_workers_run(run: subprocess.Popen) -> list[int]:
    assert _wait_for(lambda: len(_analysis_workers(run.pid)) >= 2 or run.poll() is not None, 180)
    workers = _analysis_workers(run.pid)
    assert len(workers) >= 2, f"no pool started; run ended with {run.poll()}"
    return workers


def _analysis_workers(pid: int) -> list[int]:
    return [w for w in _children(pid) if "spawn_main" in _cmdline(w)]


@pytest.mark.parametrize(
    ("how", "code"),
    [
        (lambda run: os.killpg(run.pid, signal.SIGINT), 130),  # Ctrl-C in a terminal: the whole group
        (lambda run: run.send_signal(signal.SIGTERM), 143),  # timeout, systemd, docker stop
    ],
    ids=["ctrl-c", "sigterm"],
)
def test_a_stopped_run_says_one_line_and_leaves_no_worker(tmp_path, how, code):
    with _start_run(tmp_path, 100) as run:
        try:
            workers = _when_workers_run(run)
            how(run)
            _, stderr = run.communicate(timeout=60)
            assert run.returncode == code, stderr
            lines = [line for line in stderr.splitlines() if line.strip()]
            assert lines == ["newsfuse: interrupted; what was stored is kept"], stderr
            assert _wait_for(lambda: not any(_alive(w) for w in workers), 15)
        finally:
            if run.poll() is None:
                os.killpg(run.pid, signal.SIGKILL)
                run.wait()


def _memberships(db: Path) -> tuple[set[frozenset[str]], int]:
    """The stories of a store as sets of article ids, and how many articles it holds."""
    from newsfuse.store import Store

    with Store.open(db, read_only=True) as store:
        stories: dict[str, set[str]] = {}
        for article, story in store.story_ids_by_article().items():
            stories.setdefault(story, set()).add(article)
        return {frozenset(s) for s in stories.values()}, len(store.articles())


@pytest.mark.slow
def test_runs_killed_at_random_moments_store_every_article_once(tmp_path):
    import random

    reference = tmp_path / "reference"
    reference.mkdir()
    started = time.monotonic()
    with _start_run(reference, 100) as run:
        _, stderr = run.communicate(timeout=900)
    took = time.monotonic() - started
    assert run.returncode == 0, stderr
    expected = _memberships(reference / "news.duckdb")

    killed = tmp_path / "killed"
    killed.mkdir()
    seed = random.randrange(10**6)
    draw = random.Random(seed)
    kills = [round(draw.uniform(0.05, 0.95) * took, 1) for _ in range(3)]
    print(f"uninterrupted run {took:.1f} s; SIGKILL after {kills} s (seed {seed})")
    for delay in kills:
        with _start_run(killed, 100) as run:
            time.sleep(delay)
            workers = _analysis_workers(run.pid)
            run.kill()  # the main process only: its workers must end by themselves
            run.communicate()
        assert _wait_for(lambda ws=workers: not any(_alive(w) for w in ws), 15), f"killed after {delay} s"
    with _start_run(killed, 100) as run:
        _, stderr = run.communicate(timeout=900)
    assert run.returncode == 0, stderr
    assert _memberships(killed / "news.duckdb") == expected, f"kills after {kills} s (seed {seed})"


@pytest.mark.slow
def test_ray_gives_the_stories_the_local_executor_gives(tmp_path):
    """A local Ray cluster of 2 CPUs, started by the run, against the local process pool, on giveme5w1h."""
    import newsfuse
    from newsfuse.config import load_settings
    from newsfuse.serialize import story_to_dict
    from newsfuse.store import Store

    files = sorted(require(GIVEME).glob("*.json"))
    accounts = {}
    for engine in ("local", "ray"):
        settings = load_settings(engine=engine, nlp_processes=2)
        db = tmp_path / f"{engine}.duckdb"
        newsfuse.run(files, db=db, settings=settings, progress=False)
        with Store.open(db, read_only=True) as store:
            accounts[engine] = [story_to_dict(s) for s in store.stories()]
    assert accounts["local"], "no story"
    assert accounts["ray"] == accounts["local"]
    assert not [p for p in _children(os.getpid()) if "ray" in _cmdline(p)], "Ray processes left running"


def test_a_store_in_use_is_waited_for_then_named_busy(tmp_path):
    from newsfuse.store import Store

    db = tmp_path / "news.duckdb"
    with Store.open(db):  # this process holds the store
        done = subprocess.run(
            [*NEWSFUSE, "stories", "--db", str(db)],
            cwd=REPO,
            capture_output=True,
            text=True,
            env={**os.environ, "NEWSFUSE_STORE_WAIT_SECONDS": "1"},
            timeout=120,
        )
    assert done.returncode == 2
    lines = done.stderr.splitlines()
    assert lines[0].startswith(f"newsfuse: waiting up to 1 s for the store {db}: another process (pid ")
    assert lines[-1].startswith(
        f"newsfuse: error: {db}: the store is busy: another process (pid {os.getpid()})"
    )
    assert len(lines) == 2 and "Traceback" not in done.stderr
