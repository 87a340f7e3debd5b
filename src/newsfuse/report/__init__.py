"""Readable reports of a story (Markdown, self-contained HTML) and the writer of the output folder."""

from newsfuse.report._common import plural
from newsfuse.report.html import render_html
from newsfuse.report.markdown import render_markdown
from newsfuse.report.write import story_file_stem, write_outputs, write_outputs_atomically

__all__ = [
    "plural",
    "render_html",
    "render_markdown",
    "story_file_stem",
    "write_outputs",
    "write_outputs_atomically",
]
