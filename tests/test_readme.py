"""The README's Python example runs as written."""

from __future__ import annotations

import re

from conftest import REPO


def test_readme_python_example_runs(tmp_path, monkeypatch, capsys):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", readme, flags=re.DOTALL)
    assert blocks, "the README has no Python example"
    (tmp_path / "examples").mkdir()
    (tmp_path / "examples" / "articles.jsonl").write_bytes(
        (REPO / "examples" / "articles.jsonl").read_bytes()
    )
    monkeypatch.chdir(tmp_path)
    exec(compile(blocks[0], "README.md", "exec"), {})
    printed = capsys.readouterr().out
    assert "Iran" in printed and "Shamkhani" in printed
    assert (tmp_path / "example-output" / "stories.json").exists()
