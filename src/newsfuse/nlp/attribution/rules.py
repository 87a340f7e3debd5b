"""Quotes and attributions, found by rule from sentence spans and named-entity mentions.

`rule_quotes(text, sentences, mentions)` returns `Quote` records for

* direct quotes in “...”, "...", ‘‘...’’, ``...'' or ''...'' with the frame that attributes them
  (`"...," Shamkhani added.`, `," declared Sergei Shoigu.`, `X told Fars: "..."`), and unframed quotes
  that continue a speaker quoted earlier in the paragraph;
* reported speech without quote marks: `X said (that) ...`, `..., X said.`, `..., said X.`,
  `..., according to X.`, `According to X, ...`, `..., adding that ...`, and characterisations that
  carry a partial quote (`Trump called the senator a "nasty guy"`).

The parts live beside this file: `lexicon` (the words), `document` (tokens and mentions with their
look-ups), `speaker_phrases`, `cues` (what follows a cue: addressees and outlet chains), `direct` (quote
marks and the frames of direct quotes) and `reported` (reported speech). This module runs them in order.

It works on characters and a light tokenisation only (no parser or tagger), so a 600-word article
takes about a millisecond. Everything here is heuristic: see the evaluation in
`newsfuse.evaluate.attribution` for how often it is right.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence

from newsfuse.nlp.attribution.direct import (
    pair_marks,
    paragraphs,
    post_frame,
    pre_frame,
    sentence_units,
    unit_of,
)
from newsfuse.nlp.attribution.document import NO_ATTRIBUTION, Attribution, Doc, FoundQuote, QuoteSpan
from newsfuse.nlp.attribution.reported import reported_in_unit
from newsfuse.types import Mention, Quote, Sentence

__all__ = ["rule_quotes"]

# ---------------------------------------------------------------- entry point


def _to_quote(f: FoundQuote, doc: Doc) -> Quote:
    attr = f.attribution
    if attr is None:
        return Quote(f.content_start, f.content_end, "", f.content_start, f.content_start, f.direct)
    spk = attr.speaker  # as written; the speaker step resolves pronouns beside it
    via = tuple(dict.fromkeys(v for v in attr.via if v and (spk is None or v != spk.text)))
    return Quote(
        f.content_start,
        f.content_end,
        attr.cue,
        attr.cue_start,
        attr.cue_end,
        f.direct,
        speaker=None if spk is None else spk.text,
        speaker_start=None if spk is None else spk.start,
        speaker_end=None if spk is None else spk.end,
        via=via,
    )


def rule_quotes(
    text: str, sentences: Sequence[Sentence], mentions: Sequence[Mention], doc: Doc | None = None
) -> list[Quote]:
    """Quotes and reported statements in `text`, sorted by content start and never overlapping.

    `sentences` and `mentions` are character spans into `text` (any order; spans outside the text are
    ignored); `doc` is the article's `Doc` when the caller built it (the tagger shares it). Direct
    quotes have `direct=True` and the words inside the marks as content; reported speech has the
    reported clause. A quote with no attribution has speaker None and an empty cue at its start.
    """
    if not text.strip():
        return []
    doc = doc or Doc(text, mentions)
    paras = paragraphs(text)
    para_starts = [p[0] for p in paras]
    units = sentence_units(text, sentences, paras)
    unit_starts = [u[0] for u in units]
    spans = pair_marks(text, paras)
    doc.set_quoted([(q.open_start, q.close_end) for q in spans])
    consumed: set[int] = set()  # cue starts already used by a quote frame

    # 1. direct quotes and their frames
    prev_close: dict[int, int] = {}
    blocked: list[tuple[int, int]] = []
    frames: list[tuple[int, Attribution]] = []  # (end of quote and frame, its attribution)
    for qi, q in enumerate(spans):
        u_open = unit_of(units, unit_starts, q.open_start)
        pre_start = max(u_open[0], prev_close.get(q.para, paras[q.para][0]))
        prev_close[q.para] = q.close_end
        standalone, pre_attr = pre_frame(doc, q, pre_start)
        if standalone and pre_attr is None and q.para > 0 and q.open_start == paras[q.para][0]:
            # "The New York Times reports:" as a paragraph of its own, the quote in the next one
            ps, pe = paras[q.para - 1]
            if text[ps:pe].rstrip().endswith(":"):
                pre_attr = pre_frame(doc, q, unit_of(units, unit_starts, pe - 1)[0], pe)[1]
        q.standalone = standalone
        post_attr = None
        if q.closed and q.close_end < paras[q.para][1]:
            # the frame after the quote runs to the end of the unit holding the next word, or the next quote
            a, _ = doc.tok_range(q.close_end, paras[q.para][1])
            if a < len(doc.tok):
                u_next = unit_of(units, unit_starts, doc.tok_start[a])
                end = min(u_next[1], paras[q.para][1])
                if qi + 1 < len(spans) and spans[qi + 1].para == q.para:
                    end = min(end, spans[qi + 1].open_start)
                if end > q.close_end:
                    post = post_frame(doc, q, end)
                    if post is not None:
                        post_attr, end = post
        # An embedded quote with a frame after it (`The plan is "a disaster," he said.`) is left to the
        # reported-speech rules, whose content is the whole clause.
        if standalone:
            q.attribution = post_attr or pre_attr
            if q.attribution is not None:
                consumed.add(q.attribution.cue_start)
            # the quote and its frame are off limits to the reported-speech rules
            if post_attr is not None:
                blocked.append((q.open_start, end))
            elif pre_attr is not None:
                blocked.append((pre_start, q.close_end))
            else:
                blocked.append((q.open_start, q.close_end))
            frames.append((blocked[-1][1], q.attribution or NO_ATTRIBUTION))
    doc.set_blocked(blocked)

    # 2. reported speech, outside the standalone quotes and their frames
    found: list[FoundQuote] = []
    stops = sorted(q.open_start for q in spans if q.standalone)
    frames.sort(key=lambda f: f[0])
    for unit in units:
        reported_in_unit(doc, unit, consumed, stops, frames, found)

    # 3. standalone quotes; an unframed one continues the speaker of the nearest statement before it in
    # its paragraph, else of a framed quote after it there, else of a quote that ended the paragraph
    # before ("...," he said.  /  "More words.").
    para_of = [bisect_right(para_starts, f.content_start) - 1 for f in found]
    by_para: dict[int, list[tuple[int, bool, Attribution]]] = {}  # (end, direct, attribution)
    for f, pi in zip(found, para_of, strict=True):
        if f.attribution is not None:
            by_para.setdefault(pi, []).append((f.content_end, False, f.attribution))
    for q in spans:
        if q.standalone and q.attribution is not None:
            by_para.setdefault(q.para, []).append((q.close_end, True, q.attribution))
    for items in by_para.values():
        items.sort(key=lambda x: x[0])
    last_in_para: dict[int, QuoteSpan] = {}
    for q in spans:
        if not q.standalone:
            continue
        if q.attribution is None:
            items = by_para.get(q.para, [])
            before = [a for e, _, a in items if e <= q.open_start]
            after = [a for e, direct, a in items if e > q.close_end and direct]
            if before:
                q.attribution = before[-1]
            elif after:
                q.attribution = after[0]
            else:
                prev = last_in_para.get(q.para - 1)
                if prev is not None and prev.attribution is not None and q.open_start == paras[q.para][0]:
                    q.attribution = prev.attribution
        if q.attribution is None and len(text[q.content_start : q.content_end].split()) < 4:
            continue  # a scare quote ("terrorists.")
        found.append(FoundQuote(q.content_start, q.content_end, q.attribution, True))
        last_in_para[q.para] = q

    # 4. no overlaps: direct quotes first, then the earlier and longer
    found.sort(key=lambda f: (not f.direct, f.content_start, -(f.content_end - f.content_start)))
    taken: list[tuple[int, int]] = []
    out: list[Quote] = []
    for f in found:
        if f.content_start >= f.content_end or f.content_start < 0 or f.content_end > len(text):
            continue
        if any(f.content_start < e and s < f.content_end for s, e in taken):
            continue
        taken.append((f.content_start, f.content_end))
        out.append(_to_quote(f, doc))
    out.sort(key=lambda q: q.content_start)
    return out
