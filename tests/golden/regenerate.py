"""Rewrite the golden files from the current code: `python tests/golden/regenerate.py`.

Golden files are never edited by hand. When a change alters the output on purpose, regenerate them and
read the diff in review: it shows exactly what the change does to the example story.
"""

from __future__ import annotations

import json
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]


def example_outputs() -> dict[str, object]:
    """The example input's articles and stories, as the output contract writes them."""
    import newsfuse
    from newsfuse.serialize import article_to_dict, story_to_dict

    with tempfile.TemporaryDirectory() as tmp:
        example = REPO / "examples" / "articles.jsonl"
        result = newsfuse.run([example], db=Path(tmp) / "g.duckdb", progress=False)
    articles = [article_to_dict(a) for a in result.articles]
    for article in articles:
        article["source"] = Path(article["source"]).name  # machine-independent
    return {"articles": articles, "stories": [story_to_dict(s) for s in result.stories]}


def main() -> int:
    outputs = example_outputs()
    for name, value in outputs.items():
        path = HERE / f"example_{name}.json"
        path.write_text(json.dumps(value, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {path.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
