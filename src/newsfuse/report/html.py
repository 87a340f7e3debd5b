"""A story as one self-contained HTML page: inline CSS, no scripts, nothing loaded from elsewhere."""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping, Sequence
from functools import cache
from importlib import resources

from newsfuse.clean.language import text_direction
from newsfuse.report._common import (
    Sources,
    attribution,
    byline,
    claims_by_status,
    entities_by_type,
    format_date,
    is_web_link,
    one_line,
    plural,
    speaker_label,
    via_chain,
)
from newsfuse.types import Article, Citation, Story

_DOUBLE_QUOTES = frozenset('"“”„«»')

# U+2060 WORD JOINER before the markers: no line break between a sentence and its markers, so a marker
# never starts a line on its own (the markers themselves are kept together by the `cites` class).
_JOIN = "&#8288;"


def esc(text: str) -> str:
    """Text for HTML content or a quoted attribute: on one line, with &, <, >, " and ' escaped."""
    return html.escape(one_line(text), quote=True)


@cache
def _css() -> str:
    return resources.files("newsfuse.report").joinpath("style.css").read_text(encoding="utf-8")


def _quoted(words: str) -> str:
    """The words in “ ”, or in ‘ ’ when they begin or end with a double quote mark of their own, so a
    cited quotation reads ‘“…”’ rather than ““…”."""
    if words[:1] in _DOUBLE_QUOTES or words[-1:] in _DOUBLE_QUOTES:
        return f"‘{words}’"
    return f"“{words}”"


def _marker(number: int, hover: str | None = None) -> str:
    title = f' title="{esc(hover)}"' if hover else ""
    return f'<a class="cite" href="#source-{number}"{title}>[{number}]</a>'


def _markers(citations: Sequence[Citation], sources: Sources, *, hover: bool = True) -> str:
    """One marker per cited source, in first-cited order; with `hover`, its title shows the cited words."""
    words: dict[str, list[str]] = {}
    for citation in citations:
        cited = sources.cited_words(citation)
        words.setdefault(citation.article_id, []).append(
            _quoted(cited) if cited is not None else "(unavailable)"
        )
    markers = []
    for article_id, cited_words in words.items():
        source = sources.of(article_id)
        title = f"{source.outlet}: {' … '.join(cited_words)}" if hover else None
        markers.append(_marker(source.number, title))
    return f'{_JOIN}<span class="cites">{"".join(markers)}</span>' if markers else ""


def _cited(citations: Sequence[Citation], sources: Sources) -> str:
    """What follows every cited text on the page: its citation markers, then the cited words."""
    return _markers(citations, sources) + _evidence(citations, sources)


def _evidence(citations: Sequence[Citation], sources: Sources) -> str:
    """A collapsed list of the exact cited words, one line per citation."""
    if not citations:
        return ""
    items = []
    for citation in citations:
        source = sources.of(citation.article_id)
        cited = sources.cited_words(citation)
        shown = (
            f'<span class="words">{esc(_quoted(cited))}</span>'
            if cited is not None
            else f'<span class="none">cited words unavailable: {sources.why_unavailable(citation)}</span>'
        )
        items.append(
            f'<li>{_marker(source.number)} <span class="outlet">{esc(source.outlet)}</span>: {shown}</li>'
        )
    return (
        f"<details><summary>Cited words ({len(citations)})</summary>"
        f'<ul class="evidence">{"".join(items)}</ul></details>'
    )


def _page_language(sources: Sources) -> str:
    """The language most of the story's articles are in ("en" when none was determined)."""
    counts = Counter(s.article.language for s in sources if s.article is not None and s.article.language)
    return counts.most_common(1)[0][0] if counts else "en"


def _lang(article_id: str, sources: Sources, page: str) -> str:
    """` lang=".." dir=".."` for words of an article in another language than the page; else ""."""
    article = sources.of(article_id).article
    language = article.language if article is not None else None
    if language is None or language == page:
        return ""
    return f' lang="{esc(language)}" dir="{text_direction(language)}"'


def _title_lang(story: Story, sources: Sources, page: str) -> str:
    # The story's title is the headline of one of its articles: the first whose title it is.
    for source in sources:
        if source.title == story.title:
            return _lang(source.article_id, sources, page)
    return ""


def _cited_lang(citations: Sequence[Citation], sources: Sources, page: str) -> str:
    return _lang(citations[0].article_id, sources, page) if citations else ""


def _sources_section(sources: Sources, page: str) -> list[str]:
    out = ['<section id="sources">', "<h2>Sources</h2>", '<ol class="sources">']
    for source in sources:
        title = esc(source.title) or "(untitled)"
        lang = _lang(source.article_id, sources, page)
        if lang:
            title = f"<span{lang}>{title}</span>"
        if source.url and is_web_link(source.url):
            title = f'<a href="{html.escape(source.url, quote=True)}">{title}</a>'
        elif source.url:
            title += f' <span class="none">({esc(source.url)})</span>'
        out.append(
            f'<li id="source-{source.number}" value="{source.number}">'
            f'<span class="outlet">{esc(source.outlet)}</span> — {title} — '
            f'<span class="date">{esc(format_date(source.published))}</span></li>'
        )
    out += ["</ol>", "</section>"]
    return out


def render_html(story: Story, articles: Mapping[str, Article]) -> str:
    """Render one story as a complete HTML5 document.

    In: the story and the articles by id (those it cites; missing ones are reported as unavailable).
    Out: the page; all text is escaped, the only links out are the articles' own http(s) urls.
    """
    sources = Sources(story, articles)
    title = esc(story.title)
    # Right-to-left text (Arabic, Hebrew, Persian, ...) is laid out right to left: the page takes the
    # language of most of its articles, and words of an article in another language carry their own.
    page = _page_language(sources)
    out = [
        "<!DOCTYPE html>",
        f'<html lang="{esc(page)}" dir="{text_direction(page)}">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>{title}</title>",
        f"<style>\n{_css()}</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f"<h1{_title_lang(story, sources, page)}>{title}</h1>",
        f'<p class="meta">{byline(story, sources)} · story {esc(story.id)}</p>',
        "</header>",
    ]
    out += _sources_section(sources, page)

    out += ['<section id="summary">', "<h2>Summary</h2>"]
    if story.summary:
        out.append('<ol class="summary">')
        for sentence in story.summary:
            # An outlet's own evaluative wording is said in its name, outside the cited words.
            voice = f'<span class="voice">{esc(sentence.voice)}:</span> ' if sentence.voice else ""
            out.append(
                f'<li>{voice}<span class="sentence"{_cited_lang(sentence.citations, sources, page)}>'
                f"{esc(sentence.text)}</span>"
                f"{_cited(sentence.citations, sources)}</li>"
            )
        out.append("</ol>")
    else:
        out.append('<p class="none">No summary sentences.</p>')
    out.append("</section>")

    out += ['<section id="claims">', "<h2>Claims</h2>"]
    for heading, claims in claims_by_status(story):
        out += [f"<h3>{esc(heading)}</h3>", '<ul class="claims">']
        for claim in claims:
            outlets = ", ".join(esc(o) for o in claim.outlets) or "no named outlet"
            lang = _cited_lang(claim.citations, sources, page)
            out.append(
                f'<li><span class="claim"{lang}>{esc(claim.text)}</span>'
                f' <span class="outlets">— {outlets}</span>'
                f"{_cited(claim.citations, sources)}</li>"
            )
        out.append("</ul>")
    if not story.claims:
        out.append('<p class="none">No claims.</p>')
    out.append("</section>")

    out += ['<section id="timeline">', "<h2>Timeline</h2>"]
    if story.timeline:
        out.append('<ul class="timeline">')
        for entry in story.timeline:
            out.append(
                f'<li><time datetime="{esc(entry.date)}">{esc(entry.date)}</time> {esc(entry.text)}'
                f"{_cited(entry.citations, sources)}</li>"
            )
        out.append("</ul>")
    else:
        out.append('<p class="none">No dated events.</p>')
    out.append("</section>")

    out += ['<section id="quotes">', "<h2>Quotes</h2>"]
    if story.quotes:
        out.append('<ul class="quotes">')
        for quote in story.quotes:
            ref = quote.speaker
            speaker = (
                f'<span class="speaker" title="{esc(ref.text)} ({esc(ref.how or ref.kind)})">'
                f"{esc(speaker_label(ref) or '')}</span>"
                if ref is not None
                else "An unnamed speaker"
            )
            lang = _lang(quote.article_id, sources, page)
            said = (
                f'<span class="direct"{lang}>“{esc(quote.text)}”</span>'
                if quote.direct
                else f'<span class="reported"{lang}>{esc(quote.text)}</span> (reported speech)'
            )
            chain = " → ".join(esc(o) for o in via_chain(quote, sources))
            number = sources.of(quote.article_id).number
            out.append(
                f'<li>{attribution(speaker, esc(quote.cue))}: {said} <span class="via">— via {chain}</span>'
                f'{_JOIN}<span class="cites">{_marker(number)}</span></li>'
            )
        out.append("</ul>")
    else:
        out.append('<p class="none">No quotes.</p>')
    out.append("</section>")

    out += ['<section id="entities">', "<h2>Entities</h2>"]
    for heading, entities in entities_by_type(story):
        out += [f"<h3>{esc(heading)}</h3>", '<ul class="entities">']
        for entity in entities:
            aliases = [a for a in entity.aliases if a != entity.name]
            also = (
                f' <span class="aliases">(also {", ".join(esc(a) for a in aliases)})</span>'
                if aliases
                else ""
            )
            out.append(
                f"<li><strong>{esc(entity.name)}</strong>{also} "
                f'<span class="count">— {plural(len(entity.mentions), "mention")}</span>'
                f"{_markers(entity.mentions, sources, hover=False)}</li>"
            )
        out.append("</ul>")
    if not story.entities:
        out.append('<p class="none">No entities.</p>')
    out.append("</section>")

    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"
