"""Plain-text articles: the first non-empty line is the headline, the rest is the body."""

from __future__ import annotations

from newsfuse.types import Provenance, RawArticle, Rejected


def parse_text(text: str, source: str) -> RawArticle | Rejected:
    """One article from the decoded contents of a .txt file.

    The body keeps its lines as they are (captions and furniture included); cleaning comes later.
    Returns Rejected when the file is empty or has a headline but no body.
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for index, line in enumerate(lines):
        if line.strip():
            title = " ".join(line.split())
            body = "\n".join(lines[index + 1 :]).strip("\n")
            if not body.strip():
                return Rejected(source, "no article text after the headline")
            return RawArticle(title=title, body=body, provenance=Provenance(source=source, format="txt"))
    return Rejected(source, "empty file")
