"""Direct quotes: pairing quote marks into spans, the units (sentences, glued) they sit in, and the frames
before and after a quote.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence

from newsfuse.nlp.attribution.cues import after_cue, np_until, only_trailers
from newsfuse.nlp.attribution.document import (
    Attribution,
    Doc,
    QuoteSpan,
    SpeakerSpan,
    cue_at,
    is_sentence_end,
)
from newsfuse.nlp.attribution.lexicon import (
    ABBREVIATION_END,
    CLOSERS,
    DASHES,
    NEWLINE,
    OPENERS,
    QUOTE_MARK,
    QUOTE_TOKENS,
)
from newsfuse.nlp.attribution.speaker_phrases import (
    head_mention,
    inverted_speaker_at,
    speaker_from_mention,
    speaker_from_segments,
    subject_before,
)
from newsfuse.types import Sentence

# ---------------------------------------------------------------- quote marks


def paragraphs(text: str) -> list[tuple[int, int]]:
    out = []
    start = 0
    for m in NEWLINE.finditer(text):
        if m.start() > start:
            out.append((start, m.start()))
        start = m.end()
    if start < len(text):
        out.append((start, len(text)))
    return out


def pair_marks(text: str, paras: list[tuple[int, int]]) -> list[QuoteSpan]:
    """Pair quote marks inside each paragraph. A quote left open runs to the paragraph end (news style
    for a quote that continues in the next paragraph)."""
    spans: list[QuoteSpan] = []
    for pi, (ps, pe) in enumerate(paras):
        open_mark: re.Match[str] | None = None
        for m in QUOTE_MARK.finditer(text, ps, pe):
            mark = m.group()
            if open_mark is None:
                if mark in CLOSERS:
                    continue  # a stray closing mark
                open_mark = m
            elif mark in OPENERS:
                open_mark = m  # the previous quote was never closed
            else:
                spans.append(QuoteSpan(open_mark.start(), open_mark.end(), m.start(), m.end(), pi, True))
                open_mark = None
        if open_mark is not None:
            spans.append(QuoteSpan(open_mark.start(), open_mark.end(), pe, pe, pi, False))
    kept = []
    for q in spans:
        s, e = q.content_start, q.content_end
        while s < e and text[s].isspace():
            s += 1
        while e > s and (text[e - 1].isspace() or text[e - 1] == ","):
            e -= 1
        if s < e and any(c.isalnum() for c in text[s:e]):
            q.content_start, q.content_end = s, e
            kept.append(q)
    return kept


# ---------------------------------------------------------------- units


def sentence_units(
    text: str, sentences: Sequence[Sentence], paras: list[tuple[int, int]]
) -> list[tuple[int, int]]:
    """Sentence spans cut at line breaks: the stretches the rules look inside."""
    n = len(text)
    cuts = {0, n}
    for s in sentences:
        if 0 <= s.start <= n:
            cuts.add(s.start)
        if 0 <= s.end <= n:
            cuts.add(s.end)
    for ps, pe in paras:
        cuts.add(ps)
        cuts.add(pe)
    points = sorted(cuts)
    out: list[tuple[int, int]] = []
    glue = False  # the previous unit ended on an abbreviation ("Mr."): a sentence splitter's mistake
    for a, b in zip(points, points[1:], strict=False):
        while a < b and text[a].isspace():
            a += 1
        while b > a and text[b - 1].isspace():
            b -= 1
        if a < b:
            if glue and "\n" not in text[out[-1][1] : a]:
                out[-1] = (out[-1][0], b)
            else:
                out.append((a, b))
            m = ABBREVIATION_END.search(text, max(out[-1][0], b - 6), b)
            glue = m is not None
    return out


def unit_of(units: list[tuple[int, int]], starts: list[int], pos: int) -> tuple[int, int]:
    i = bisect_right(starts, pos) - 1
    if i < 0:
        return units[0]
    return units[i]


# ---------------------------------------------------------------- direct quote frames


def sentence_subject(doc: Doc, floor: int, cue: int) -> SpeakerSpan | None:
    """The subject of a sentence whose cue has none of its own (", saying ...", "... and said ..."):
    a PERSON or ORG heading the first words of the sentence."""
    for person in (True, False):
        m = head_mention(doc, floor, min(cue, floor + 8), person)
        if m is not None:
            return speaker_from_mention(doc, m, doc.tok_start[floor])
    return None


def _adjunct_tail(doc: Doc, k: int, limit: int) -> bool:
    """Whether tokens from k are only trailers or a comma-led adjunct (", citing ...", ", as they ...")."""
    ok, _ = only_trailers(doc, k, limit)
    return ok or (k < limit and doc.tok[k] == ",")


def _dash_frame(doc: Doc, a: int, b: int) -> Attribution | None:
    """`“...” ― Karen Bobadilla` (a signature): the dash is the cue and the name all that follows."""
    if a >= b or doc.tok[a] not in DASHES:
        return None
    k = a + 1
    while k < b and doc.tok[k] in DASHES:
        k += 1
    e = k
    while e < b and e - k < 8:
        if doc.tok[e] in (",", "(") or doc.tok[e] == "." and not (e > k and len(doc.tok[e - 1]) == 1):
            break  # stop at a comma or a full stop, not at the dot of an initial ("Julie A. Diaz")
        e += 1
    if e == k or not all(doc.tok[x][:1].isupper() or doc.tok[x] in (".", "-") for x in range(k, e)):
        return None
    if e < b and doc.tok[e] not in (",", ".", "("):
        return None
    speaker = speaker_from_segments(doc, [(k, e)])
    if speaker is None:
        return None
    return Attribution(
        doc.text[doc.tok_start[a] : doc.tok_end[k - 1]], doc.tok_start[a], doc.tok_end[k - 1], speaker
    )


def post_frame(doc: Doc, q: QuoteSpan, end: int) -> tuple[Attribution, int] | None:
    """Attribution in the text after the closing mark, up to `end`, and where that frame ends."""
    a, b = doc.tok_range(q.close_end, end)
    dash = _dash_frame(doc, a, b)
    if dash is not None:
        return dash, end
    lead_comma = "," in doc.text[q.content_end : q.close_end]  # `,”` (the comma inside the marks)
    while a < b and doc.tok[a] in (",", "—", "–"):
        lead_comma = True
        a += 1
    if a >= b:
        return None
    last_char = doc.text[q.content_end - 1]
    # `"... ." The agency said X` starts a new sentence: only a short `Name said.` still frames it.
    new_sentence = last_char in ".?!" and not lead_comma
    # inverted: `," declared Russian Defense Minister Sergei Shoigu, who ...`
    cue = cue_at(doc, a, b)
    if cue is not None and cue[1] not in ("belief", "gerund", "characterize"):
        n, kind = cue
        cue_s, cue_e = doc.tok_start[a], doc.tok_end[a + n - 1]
        if kind == "according":
            e = np_until(doc, a + 2, b, 15)
            speaker = speaker_from_segments(doc, [(a + 2, e)]) if e > a + 2 else None
            if speaker is not None:
                return Attribution(doc.text[cue_s:cue_e], cue_s, cue_e, speaker, []), doc.tok_end[e - 1]
        else:
            after = inverted_speaker_at(doc, a + n, b)
            if after is not None:
                speaker, k = after
                aft = after_cue(doc, k, b, "")
                ok, via2 = only_trailers(doc, aft.next_tok, b)
                frame_end = end if ok else doc.tok_end[aft.next_tok - 1]
                attr = Attribution(doc.text[cue_s:cue_e], cue_s, cue_e, speaker, aft.via + via2)
                return attr, frame_end
    # subject first: `," the secretary general ... has told Fars News, according to Rudaw.`, or after
    # more words of the sentence: `" for criminal behavior, she said.`
    for ci in range(a + 1, min(b, a + 30)):
        if doc.tok[ci] in QUOTE_TOKENS or is_sentence_end(doc, ci):
            break
        cue = cue_at(doc, ci, b)
        if cue is None or cue[1] in ("belief", "gerund", "according", "characterize"):
            continue
        n, kind = cue
        subj = subject_before(doc, a, ci)
        if subj is None:
            continue
        aft = after_cue(doc, ci + n, b, doc.low[ci + n - 1])
        ok, via2 = only_trailers(doc, aft.next_tok, b)
        cue_s, cue_e = doc.tok_start[ci], doc.tok_end[ci + n - 1]
        attr = Attribution(doc.text[cue_s:cue_e], cue_s, cue_e, subj.speaker, aft.via + via2)
        if subj.first_tok == a:
            if new_sentence and (not ok or ci - a > 6):
                return None
            if ok:
                return attr, end
            # `"...," he said of the plan.`, `"...," he said, adding ...`: what follows is left to the
            # reported-speech rules
            if lead_comma:
                return attr, doc.tok_start[aft.next_tok]
            return None
        if subj.after_comma and not new_sentence and _adjunct_tail(doc, aft.next_tok, b):
            return attr, end if ok else doc.tok_start[aft.next_tok]
        return None
    return None


def pre_frame(doc: Doc, q: QuoteSpan, start: int, end: int | None = None) -> tuple[bool, Attribution | None]:
    """(standalone, attribution) from the text between `start` and the opening mark (or `end`).

    Standalone: the quote opens its sentence, or follows a colon or a cue; otherwise it sits inside
    someone's sentence (a partial or scare quote)."""
    a, b = doc.tok_range(start, q.open_start if end is None else end)
    # start after the last sentence end: `...Shoigu. “Our countries face ...”`
    for i in range(b - 1, a - 1, -1):
        if is_sentence_end(doc, i):
            a = i + 1
            break
    if a >= b:
        return True, None
    last = doc.tok[b - 1]
    starts_upper = doc.text[q.content_start : q.content_start + 1].isupper()
    if last not in (":", ",") and not starts_upper:
        return False, None
    cue_end = b - 1 if last in (":", ",") else b
    for ci in range(cue_end - 1, max(a - 1, cue_end - 12), -1):
        cue = cue_at(doc, ci, cue_end)
        if cue is None or doc.in_quote(doc.tok_start[ci]):
            continue
        n, kind = cue
        cue_s, cue_e = doc.tok_start[ci], doc.tok_end[ci + n - 1]
        if kind == "according":
            e = np_until(doc, ci + 2, cue_end, 15)
            if e != cue_end:
                return last == ":", None
            spk = speaker_from_segments(doc, [(ci + 2, e)])
            return True, Attribution(doc.text[cue_s:cue_e], cue_s, cue_e, spk, [])
        aft = after_cue(doc, ci + n, cue_end, doc.low[ci + n - 1])
        if aft.next_tok != cue_end:
            break  # words between the cue and the quote: reported speech holding a partial quote
        if kind == "gerund" or (ci > a and doc.low[ci - 1] in ("and", "but")):
            # `Trump attacked Clinton, saying, "..."`: the sentence's subject speaks
            if kind == "gerund" and not (ci > a and doc.tok[ci - 1] == ","):
                break
            speaker = sentence_subject(doc, a, ci)
            if speaker is None:
                break
            return True, Attribution(doc.text[cue_s:cue_e], cue_s, cue_e, speaker, aft.via)
        subj = subject_before(doc, a, ci)
        if subj is None:
            break
        return True, Attribution(doc.text[cue_s:cue_e], cue_s, cue_e, subj.speaker, aft.via)
    return last == ":", None
