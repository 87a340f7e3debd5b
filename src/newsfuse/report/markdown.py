"""A story as Markdown: readable as plain text, and with working links where Markdown is rendered."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

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
    source_numbers,
    speaker_label,
    via_chain,
)
from newsfuse.types import Article, Citation, Story

# Characters that would otherwise start emphasis, code, links or raw HTML; `&` only where it would be
# read as an entity (escaping every `&` would turn "AT&T" into "AT\&T" in the plain text).
_SPECIAL = re.compile(r"[\\`*_\[\]<>]|&(?=#?\w+;)")


def md(text: str) -> str:
    """Text for inline Markdown: on one line, with Markdown's special characters backslash-escaped."""
    return _SPECIAL.sub(lambda m: "\\" + m.group(0), one_line(text))


def _url(url: str) -> str:
    # The <...> form allows spaces and parentheses in a link destination; only <, > and newlines break it.
    return "<" + url.replace("<", "%3C").replace(">", "%3E").replace("\n", "%0A") + ">"


def _markers(numbers: Sequence[int]) -> str:
    return " ".join(f"[[{n}]](#source-{n})" for n in numbers)


def _evidence(citations: Sequence[Citation], sources: Sources, indent: str) -> list[str]:
    """One line per citation: its marker, outlet and the exact cited words."""
    lines = []
    for citation in citations:
        source = sources.of(citation.article_id)
        words = sources.cited_words(citation)
        if words is not None:
            shown = f"“{md(words)}”"
        else:
            shown = f"_(cited words unavailable: {sources.why_unavailable(citation)})_"
        lines.append(f"{indent}- {_markers([source.number])} {md(source.outlet)}: {shown}")
    return lines


def render_markdown(story: Story, articles: Mapping[str, Article]) -> str:
    """Render one story as a Markdown document.

    In: the story and the articles by id (those it cites; missing ones are reported as unavailable).
    Out: the document, ending in a newline.
    """
    sources = Sources(story, articles)
    out = [f"# {md(story.title)}", ""]
    out += [
        f"{byline(story, sources)} · story {md(story.id)}",
        "",
    ]

    out += ["## Sources", ""]
    for source in sources:
        title = md(source.title) or "(untitled)"
        link = f"[{title}]({_url(source.url)})" if source.url and is_web_link(source.url) else title
        line = f'{source.number}. <a id="source-{source.number}"></a>**{md(source.outlet)}** — {link}'
        line += f" — {format_date(source.published)}"
        if source.url and not is_web_link(source.url):
            line += f" — {md(source.url)}"
        out.append(line)
    out.append("")

    out += ["## Summary", ""]
    if not story.summary:
        out += ["_No summary sentences._", ""]
    for number, sentence in enumerate(story.summary, start=1):
        head = f"{number}. "
        voice = f"{md(sentence.voice)}: " if sentence.voice else ""
        out.append(
            f"{head}{voice}{md(sentence.text)} "
            f"{_markers(source_numbers(sentence.citations, sources))}".rstrip()
        )
        # Nested lines must start where the item's text starts, or Markdown ends the list item.
        out += _evidence(sentence.citations, sources, " " * len(head))
    out.append("")

    out += ["## Claims", ""]
    if not story.claims:
        out += ["_No claims._", ""]
    for heading, claims in claims_by_status(story):
        out += [f"### {heading}", ""]
        for claim in claims:
            outlets = ", ".join(md(o) for o in claim.outlets) or "no named outlet"
            markers = _markers(source_numbers(claim.citations, sources))
            out.append(f"- {md(claim.text)} — _{outlets}_ {markers}".rstrip())
            out += _evidence(claim.citations, sources, "  ")
        out.append("")

    out += ["## Timeline", ""]
    if not story.timeline:
        out += ["_No dated events._", ""]
    for entry in story.timeline:
        markers = _markers(source_numbers(entry.citations, sources))
        out.append(f"- **{entry.date}** {md(entry.text)} {markers}".rstrip())
        out += _evidence(entry.citations, sources, "  ")
    out.append("")

    out += ["## Quotes", ""]
    if not story.quotes:
        out += ["_No quotes._", ""]
    for quote in story.quotes:
        label = speaker_label(quote.speaker)
        speaker = f"**{md(label)}**" if label else "_An unnamed speaker_"
        said = f"“{md(quote.text)}”" if quote.direct else f"{md(quote.text)} _(reported speech)_"
        chain = " → ".join(md(o) for o in via_chain(quote, sources))
        marker = _markers([sources.of(quote.article_id).number])
        out.append(f"- {attribution(speaker, md(quote.cue))}: {said} — via {chain} {marker}")
    out.append("")

    out += ["## Entities", ""]
    if not story.entities:
        out += ["_No entities._", ""]
    for heading, entities in entities_by_type(story):
        out += [f"### {heading}", ""]
        for entity in entities:
            line = f"- **{md(entity.name)}**"
            aliases = [a for a in entity.aliases if a != entity.name]
            if aliases:
                line += " (also " + ", ".join(md(a) for a in aliases) + ")"
            line += f" — {plural(len(entity.mentions), 'mention')}"
            markers = _markers(source_numbers(entity.mentions, sources))
            out.append(f"{line} {markers}".rstrip())
        out.append("")

    return "\n".join(out).rstrip("\n") + "\n"
