"""A story as one self-contained HTML page: inline CSS, no scripts, nothing loaded from elsewhere.

Rendered from the same template as the server's story page (report/templates/story.html), without the
server's stylesheet link, script and links to other pages.
"""

from __future__ import annotations

from collections.abc import Mapping

from newsfuse.report.jinja import render
from newsfuse.report.views import build_story_view
from newsfuse.types import Article, Story


def render_html(story: Story, articles: Mapping[str, Article], *, served: bool = False) -> str:
    """Render one story as a complete HTML5 document.

    In: the story and the articles by id (those it cites; missing ones are reported as unavailable).
    Out: the page; all text is escaped, the only links out are the articles' own http(s) urls. With
    `served`, the server's version: its stylesheet and script, entity chips linking the story list.
    """
    view = build_story_view(story, articles)
    return render("story.html", served=served, v=view, page_lang=view.page_lang, page_dir=view.page_dir)
