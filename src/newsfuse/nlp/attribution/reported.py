"""Reported speech without quote marks: "X said (that) ...", "..., X said.", "according to X, ...", and the
bounds of the reported clause.
"""

from __future__ import annotations

from bisect import bisect_right

from newsfuse.nlp.attribution.cues import after_cue, np_until, only_trailers, outlet_name, plain_phrase
from newsfuse.nlp.attribution.direct import sentence_subject
from newsfuse.nlp.attribution.document import (
    Attribution,
    Doc,
    FoundQuote,
    SpeakerSpan,
    comma_before,
    cue_at,
    is_adverb,
    is_sentence_end,
)
from newsfuse.nlp.attribution.lexicon import (
    AUX,
    BE,
    BOUNDARY_WORDS,
    DETERMINERS,
    GERUNDS,
    PREPS,
    QUOTE_MARK,
    QUOTE_TOKENS,
    SUBJECT_PRONOUNS,
)
from newsfuse.nlp.attribution.speaker_phrases import (
    inverted_speaker_at,
    speaker_from_segments,
    subject_before,
)

# ---------------------------------------------------------------- reported speech


def _content_end(doc: Doc, k: int, limit: int, stops: list[int]) -> tuple[int, list[str], int | None]:
    """Where reported content starting at token k ends: the unit end, a standalone quote, a missed
    sentence end, a dash before "and"/"but", ", according to X" (returned as via), or ", adding ..."
    (returned as the index of the next cue)."""
    via: list[str] = []
    stop_char = None
    if k < limit:
        si = bisect_right(stops, doc.tok_start[k])
        stop_char = stops[si] if si < len(stops) else None
    j = k
    follow: int | None = None
    while j < limit:
        if stop_char is not None and doc.tok_start[j] >= stop_char:
            break
        t = doc.tok[j]
        if is_sentence_end(doc, j) and j + 1 < limit:
            break
        if t == ";" or t in ("—", "–") and j + 1 < limit and doc.low[j + 1] in ("and", "but"):
            break
        if doc.low[j] in ("and", "but") and j > k and j + 1 < limit and not doc.in_quote(doc.tok_start[j]):
            nxt = j + 2 if j + 2 < limit and (doc.low[j + 1] in AUX or is_adverb(doc.tok[j + 1])) else j + 1
            cue = cue_at(doc, nxt, limit)
            if cue is not None and cue[1] in ("bare", "that", "tell"):
                follow = nxt  # "His aides say ... but noted that ...": a second statement, same speaker
                break
        if t == "," and j + 1 < limit:
            nl = doc.low[j + 1]
            if nl == "according" and j + 2 < limit and doc.low[j + 2] == "to":
                e = np_until(doc, j + 3, limit)
                name = outlet_name(doc, j + 3, e) or plain_phrase(doc, j + 3, e)
                if name:
                    via.append(name)
                break
            if nl in GERUNDS and doc.tok[j + 1] == nl:
                follow = j + 1
                break
        j += 1
    return j, via, follow


def _trim_content(doc: Doc, a: int, b: int) -> tuple[int, int] | None:
    """Characters of tokens [a, b) without trailing punctuation other than quote marks."""
    while b > a and doc.tok[b - 1] in (".", ",", ";", ":", "—", "–"):
        b -= 1
    while a < b and doc.tok[a] in (",", ":", "—", "–"):
        a += 1
    if b - a < 2:
        return None
    return doc.tok_start[a], doc.tok_end[b - 1]


def reported_in_unit(
    doc: Doc,
    unit: tuple[int, int],
    consumed: set[int],
    stops: list[int],
    frames: list[tuple[int, Attribution]],
    found: list[FoundQuote],
) -> None:
    """Reported speech in one unit: `X said (that) C`, `C, X said.`, `C, said X.`, `C, according to X.`,
    `According to X, C.`, `..., saying C` and `... and said C` (speaker from the same sentence).

    `stops` are the starts of standalone quotes and `frames` (end, attribution) the ends of standalone
    quotes with their frames, sorted: content never crosses them."""
    ua, ub = doc.tok_range(unit[0], unit[1])
    covered_until = ua - 1  # tokens up to here sit inside content already taken
    last_attr: Attribution | None = None
    frame_ends = [e for e, _ in frames]
    i = doc.next_cue_candidate(ua)
    while i < ub:
        if i <= covered_until or doc.is_blocked(doc.tok_start[i]) or doc.tok_start[i] in consumed:
            i = doc.next_cue_candidate(i + 1)
            continue
        cue = cue_at(doc, i, ub)
        if cue is None:
            i = doc.next_cue_candidate(i + 1)
            continue
        n, kind = cue
        # content and speaker start after the last standalone quote or statement before the cue
        floor = covered_until + 1
        c = bisect_right(frame_ends, doc.tok_start[i]) - 1
        if c >= 0 and frame_ends[c] > unit[0]:
            floor = max(floor, doc.tok_range(frame_ends[c], unit[1])[0])
            if last_attr is None or last_attr.cue_start < frames[c][1].cue_start:
                last_attr = frames[c][1]
        got = _reported_at(doc, floor, i, n, kind, ub, stops, last_attr)
        if got is None:
            i += n
            continue
        attr, c_start, c_end, follow = got
        found.append(FoundQuote(c_start, c_end, attr, False))
        last_attr = attr
        consumed.add(attr.cue_start)
        covered_until = max(i + n - 1, doc.tok_range(unit[0], c_end)[1] - 1)
        i = follow if follow is not None and follow > i else covered_until + 1


def _according(
    doc: Doc, floor: int, i: int, ub: int, stops: list[int]
) -> tuple[Attribution, int, int, int | None] | None:
    """`According to X, C.` or `C, according to X.`"""
    cue_s, cue_e = doc.tok_start[i], doc.tok_end[i + 1]
    initial = i == floor or doc.tok[i] == "According"
    # sentence-initial: X runs to the comma ("According to a new report by Politico, ...")
    e = np_until(doc, i + 2, ub, 15) if not initial else i + 2
    if initial:
        while e < ub and e - i < 18 and doc.tok[e] not in (",", ";", ":") and doc.tok[e] not in QUOTE_TOKENS:
            e += 1
    if e == i + 2:
        return None
    speaker = speaker_from_segments(doc, [(i + 2, e)]) or _phrase_speaker(doc, i + 2, e)
    if speaker is None:
        return None
    attr = Attribution(doc.text[cue_s:cue_e], cue_s, cue_e, speaker, [])
    if initial:
        if e < ub and doc.tok[e] == ",":
            c_end, _, _ = _content_end(doc, e + 1, ub, stops)
            span = _trim_content(doc, e + 1, c_end)
            if span:
                return attr, span[0], span[1], None
        return None
    b = i - 1 if doc.tok[i - 1] == "," else i
    span = _trim_content(doc, floor, b)
    if span is None or b - floor < 3:
        return None
    return attr, span[0], span[1], None


def _named_phrase(doc: Doc, speaker: SpeakerSpan) -> bool:
    """A phrase that can name a speaker after an inverted cue: a capitalised word or a determiner first
    (", said Brian Baker", ", said the official"; not ", declared bankruptcy")."""
    first = speaker.text.split()[0] if speaker.text.split() else ""
    return first[:1].isupper() or first.lower() in DETERMINERS


def _phrase_speaker(doc: Doc, a: int, b: int) -> SpeakerSpan | None:
    """A long source phrase cut to its first 12 tokens (and before any comma)."""
    e = min(b, a + 12)
    if e <= a:
        return None
    s, t = doc.tok_start[a], doc.tok_end[e - 1]
    return SpeakerSpan(doc.text[s:t], s, t)


def _reported_at(
    doc: Doc,
    floor: int,
    i: int,
    n: int,
    kind: str,
    ub: int,
    stops: list[int],
    last_attr: Attribution | None,
) -> tuple[Attribution, int, int, int | None] | None:
    """The statement whose cue is tokens [i, i+n), as (attribution, content start, content end, index of
    a following ", adding" cue)."""
    cue_s, cue_e = doc.tok_start[i], doc.tok_end[i + n - 1]
    cue_text = doc.text[cue_s:cue_e]
    if kind == "according":
        return _according(doc, floor, i, ub, stops)
    subj = subject_before(doc, floor, i)
    inverted = None
    if subj is None and kind in ("bare", "that", "tell") and i > floor and comma_before(doc, i, floor):
        # no subject before the cue: perhaps `C, said X`
        inverted = inverted_speaker_at(doc, i + n, ub)
        if inverted is not None and not _named_phrase(doc, inverted[0]):
            inverted = None
    if inverted is not None:
        # `C, said Brian Baker, a longtime adviser ...`
        inverted_speaker, k = inverted
        aft = after_cue(doc, k, ub, "")
        ok, tail_via = only_trailers(doc, aft.next_tok, ub)
        if ok or doc.tok[aft.next_tok] in (",", "("):
            comma = i - 1 if doc.tok[i - 1] == "," else i - 2
            span = _trim_content(doc, floor, comma + (0 if doc.tok[comma] == "," else 1))
            if span is not None and comma - floor >= 3:
                attr = Attribution(
                    cue_text, cue_s, cue_e, inverted_speaker, aft.via + (tail_via if ok else [])
                )
                return attr, span[0], span[1], None
    prev = i - 1
    if prev > floor and (doc.low[prev] in AUX or is_adverb(doc.tok[prev])):
        prev -= 1  # "and also said"
    coordinated = prev >= floor and doc.low[prev] in ("and", "but") and kind != "belief"
    if kind == "gerund" or coordinated:
        # ", saying (that) C", "... and said C": the speaker is the subject of the sentence
        if kind == "gerund" and not comma_before(doc, i, 0):
            return None
        speaker: SpeakerSpan | None = None
        if last_attr is not None and last_attr.cue.lower() != "according to":
            speaker = last_attr.speaker  # `"...," he said, adding ...`, `X said A and added B`
        if speaker is None:
            speaker = sentence_subject(doc, floor, i)
        if speaker is None:
            return None
        aft = after_cue(doc, i + n, ub, doc.low[i + n - 1])
        k = aft.next_tok
        while k < ub and doc.tok[k] in (",", ":"):
            k += 1
        if kind in ("that", "belief") and not aft.has_that:
            return None
        c_end, via, follow = _content_end(doc, k, ub, stops)
        span = _trim_content(doc, k, c_end)
        if span is None:
            return None
        if kind == "characterize":
            if not QUOTE_MARK.search(doc.text, span[0], span[1]):
                return None
        elif not (aft.has_that or _clause_start(doc, k) or doc.tok[k] in QUOTE_TOKENS):
            return None
        return Attribution(cue_text, cue_s, cue_e, speaker, aft.via + via), span[0], span[1], follow
    if subj is None:
        return None
    if kind == "belief" and subj.first_tok < i - 6:
        return None  # "The two taped an hourlong show that ...": a noun, not a verb
    aft = after_cue(doc, i + n, ub, doc.low[i + n - 1])
    k = aft.next_tok
    tail_empty, tail_via = only_trailers(doc, k, ub)
    if subj.after_comma and (tail_empty or (k < ub and doc.tok[k] == ",")):
        # `C, X said.`, `C, X said, as ...` or the parenthetical `C1, X said, C2.`
        comma = subj.first_tok - 1
        before = _trim_content(doc, floor, comma) if comma - floor >= 3 else None
        after = None
        if not tail_empty:
            c_end, _, _ = _content_end(doc, k + 1, ub, stops)
            if before is None or _clause_start(doc, k + 1) and not doc.low[k + 1].endswith(("ing", "ed")):
                # "The museum, Mr. Obama said, would make ...": the words after carry the statement
                after = _trim_content(doc, k + 1, c_end)
        if before is not None and after is not None and doc.low[floor] in PREPS | BOUNDARY_WORDS:
            before = None  # "During his years in office, Mr. Obama said, a majority ...": an adverbial first
        best = before or after
        if best is None:
            return None
        attr = Attribution(cue_text, cue_s, cue_e, subj.speaker, aft.via + tail_via)
        return attr, best[0], best[1], None
    if kind == "quoted":
        return None  # "was quoted as saying" has its content before it
    if kind == "characterize":
        if subj.speaker.text[:1].islower() and subj.speaker.text.split()[0].lower() not in DETERMINERS:
            return None  # "stripping out a call for ...": a noun after all
        c_end, via, follow = _content_end(doc, k, ub, stops)
        span = _trim_content(doc, k, c_end)
        if span is None or not QUOTE_MARK.search(doc.text, span[0], span[1]):
            return None
        return Attribution(cue_text, cue_s, cue_e, subj.speaker, aft.via + via), span[0], span[1], follow
    # "that" verbs take a bare clause only when a subject pronoun shows it ("asserted she could ...")
    pronoun_clause = kind == "that" and k < ub and doc.low[k] in SUBJECT_PRONOUNS
    if kind in ("belief", "that") and not aft.has_that and not pronoun_clause:
        return None
    if not aft.has_that and not _clause_start(doc, k):
        return None
    c_end, via, follow = _content_end(doc, k, ub, stops)
    span = _trim_content(doc, k, c_end)
    if span is None:
        return None
    attr = Attribution(cue_text, cue_s, cue_e, subj.speaker, aft.via + via)
    return attr, span[0], span[1], follow


def _clause_start(doc: Doc, k: int) -> bool:
    """Whether token k can open a reported clause (not "to", a preposition, a verb form or a number)."""
    if k >= len(doc.tok):
        return False
    low = doc.low[k]
    if low in PREPS or low in AUX or low in ("to", "and", "or", "but", "not", "as", "so") or low in BE:
        return False
    if doc.tok[k] in (",", ".", ";", "?", "!", ")", "—", "–"):
        return False
    return not low[:1].isdigit()
