"""Page furniture: the lines of a scraped body that are not the article (captions, credits, promos, prompts).

Rules look at one line at a time, sometimes with its neighbours (a heading over a list of promo bullets)
or its place (a name-list caption above the first paragraph). They are written to remove only what no
article sentence looks like: a line that ends like a sentence is only ever removed by a rule that is
specific to furniture (a credit after a slash, a copyright notice), never for being short or capitalised.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from newsfuse.clean.agencies import AGENCY, agencies_in, canonical_agency

# ---------------------------------------------------------------- the line model


@dataclass(slots=True)
class Line:
    """One whitespace-normalised line of the body, in its blank-line-separated block."""

    text: str
    block: int
    kind: str | None = None  # why it was removed ("caption", "promo", ...); None while kept
    credits: list[str] = field(default_factory=list)

    @property
    def kept(self) -> bool:
        return self.kind is None

    def drop(self, kind: str, credits: list[str] | None = None) -> None:
        self.kind = kind
        self.credits = credits or []


def words(text: str) -> int:
    return len(text.split())


_CLOSERS = "\"'”’»)]"


def ends_sentence(text: str) -> bool:
    """True when the line ends as a sentence does: . ! ? or … , possibly inside closing quotes/brackets."""
    return text.rstrip(_CLOSERS).endswith((".", "!", "?", "…"))


def is_paragraph(text: str) -> bool:
    """A line that reads as running text: a sentence of some length, or a long line."""
    return (words(text) >= 8 and ends_sentence(text)) or words(text) >= 25


def headline_like(text: str) -> bool:
    """Short and not ending as a sentence: a heading, a link title, a bullet of a promo."""
    return words(text) <= 20 and not ends_sentence(text)


# ---------------------------------------------------------------- patterns

_I = re.IGNORECASE
_NAME = r"[A-Z][\w.'’-]*"  # a capitalised name token ("Kyung-Hoon", "T.", "O’Neil")
_ORG = rf"{_NAME}(?:\s(?:of\s|the\s|&\s)?{_NAME}){{0,4}}"

# Lines that are furniture whatever their case: the whole line must match.
_FURNITURE = re.compile(
    r"(?:advertisement|advertisment|advert|sponsored(?: content)?|promoted(?: content| stories)?"
    r"|story continues below(?: advertisement)?|(?:advertisement\s+)?continue reading the main story"
    r"|scroll down for (?:the )?video|(?:save)+|(?:photos?|images?|videos?|watch|listen|play|close|gallery)"
    r"|enlarge (?:this )?image(?:\s.{0,40})?|skip (?:to content|advertisement)|[-_=*•·~]{3,})[.:]?",
    _I,
)

# Headings of promo and related-link boxes; the headline-like lines after one belong to its box.
_PROMO_HEADING = re.compile(
    r"(?:editors?['’]?s?['’]?\s+picks?|(?:recommended|suggested)(?: for you| stories| articles| reading)?"
    r"|most (?:read|popular|viewed|shared)(?: stories| articles| now)?|trending(?: now| stories)?"
    r"|related(?: stories| articles| content| coverage| links| news| topics| posts| video)?"
    r"|(?:more|other|latest|top) (?:stories|news|articles|coverage|videos)(?: from .{1,30})?"
    r"|more from .{1,30}"
    r"|you (?:may|might) (?:also )?(?:like|enjoy|be interested in)|(?:also|must) read|read (?:more|next|also)"
    r"|don['’]t miss|what to read next|popular(?: now| stories)?|(?:[\w'’&.-]+\s){0,3}newsletters?"
    r"|(?:sign up|subscribe)(?: now| today| here)?)\s*[:.]?",
    _I,
)

# Prefixes that mark a whole line as a prompt, a link or a notice (checked on lines of at most 250 chars).
_PROMPT = re.compile(
    r"(?:(?:read more|read also|also read|see also|related|more|watch|listen|read next|recommended|click here"
    r"|more on this(?: story)?|more coverage)\s*[:：|]\s*\S"
    r"|share (?:this|on|via|with|the story)\b|share$|click (?:here )?to share\b|follow us\b|like us on\b"
    r"|follow [\w@.'’ -]{1,40} on (?:twitter|facebook|instagram|linkedin|youtube|tiktok|threads|x)\b"
    r"|sign up (?:for|to|now|here|today)\b|subscribe (?:to|now|today|here|for)\b"
    r"|read the (?:original|full) (?:article|story) (?:on|at)\b|read or share this story\b"
    r"|(?:this|the) (?:article|story|post) (?:was |is )?originally"
    r" (?:published|posted|appeared) (?:on|at|in)\b"
    r"|chat with us in facebook messenger\b)",
    _I,
)
# "Published: 10:41 EST, 5 February 2018 | Updated: 12:59 EST" (checked on short lines only): a label,
# then a time or a date soon after it ("Updated: Police say 3 dead" is news, not a stamp).
_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?"
_STAMP = re.compile(
    r"(?:published|updated|posted|last updated|first published|last modified)\s*:\s*.{0,40}?"
    rf"(?:\d{{1,2}}:\d{{2}}|\b\d{{4}}\b|\b\d{{1,2}}/\d{{1,2}}\b|\b{_MONTH}\s\d{{1,2}}\b|\b\d{{1,2}}\s{_MONTH})",
    _I,
)

# Phrases that only page widgets say, wherever they sit in the line: newsletter boxes, paywalls,
# affiliate disclosures, letters-to-the-editor calls, player notices.
_WIDGET = re.compile(
    r"enter your email|thanks for subscribing|as an interest to stay up to date"
    r"|media playback is (?:unsupported|not supported)|privacy policy\s*(?:and|&)?\s*terms of (?:use|service)"
    r"|\bplease subscribe\b|\balready a subscriber\b|\bsubscribe now\b|\blog in for (?:immediate )?access\b"
    r"|\bto continue reading\b|\bwe may (?:receive|earn) (?:compensation|a commission)\b"
    r"|\badvertisers? do(?:es)? not influence\b"
    r"|\b(?:submit|send|write) (?:a |your )?letters? to the editor\b"
    r"|\bskip in skip x embed x share\b"  # a video gallery's controls, with its slides' captions
    r"|\bre-?enter (?:your )?zip ?code\b|\bnot in our deliverable area\b"  # a print-delivery form
    r"|\bwe use cookies\b|\b(?:accept|allow|consent to) (?:all |the use of )?cookies\b"
    r"|\bthis video is (?:not|no longer|currently not) available\b|^now (?:watching|playing)$"
    r"|\bnext video starts in\b",  # a video player's notices
    _I,
)
# A whole line that is a site's navigation or legal link: "Cookie policy", "Terms of Service", "Contact us".
_NAV_LINK = re.compile(
    r"(?:(?:cookie|privacy|cookies) (?:policy|notice|settings|preferences)|terms (?:of (?:use|service)|and"
    r" conditions)|contact us|about us|accessibility|sitemap|site map|manage (?:cookies|preferences)"
    r"|get digital access|log ?in|sign ?in|register|(?:[\w'’&.-]+\s){0,3}all rights reserved)[.:]?",
    _I,
)
# A highlights box run into its first item: "Story highlights Heavy winds forced the plane to ..."
_HIGHLIGHTS = re.compile(r"story highlights\b(?!.*[.!?]$)", _I)
# A photo gallery flattened onto lines: "Photos: <gallery title> <caption> Hide Caption 14 of 25 ...".
_GALLERY = re.compile(r"\bhide caption \d+ of \d+\b", _I)
# A related-article link with its button: "China: the new space superpower Read more".
_LINK_WITH_BUTTON = re.compile(r".{10,200}?\s(?:Read more|Read More|READ MORE)")
# A video player's "CLOSE" button run into the clip's blurb: "CLOSE A potential mega-merger ..."
_PLAYER_BLURB = re.compile(r"^CLOSE\s(?=[A-Z])")
# Calls to sign up, told in the imperative: "Never miss the latest news by signing up to our newsletter
# today!", "Get The Times of Israel's Daily Edition by email ... Free Sign Up" (lines of at most 40 words).
_SIGN_UP_CALL = re.compile(
    r"(?:get|never miss|don['’]t miss|sign up|subscribe|join|want|do you want|stay (?:up to date|informed)"
    r"|receive|be the first)\b.{0,240}\b(?:sign(?:ing)? up|subscrib\w*|newsletters?|inbox|by email)\b"
    r"|(?:for (?:the latest|more)\b.{0,80}?)?download (?:the|our)\b.{0,40}\bapps?\b",
    _I,
)
# Page metadata: "Category : Press Releases", "January 13, 2020 | categories: Python | View Comments"
_META = re.compile(
    r"\b(?:categor(?:y|ies)|tags|filed under|posted in|release date|news date)\s*:|\bview comments\b"
    r"|\bleave a (?:comment|reply)\b|\bpermalink\b|\bdonate(?: now| today)?$",
    _I,
)

# "Copyright 2018 The Associated Press. All rights reserved. ...", "© 2018 NPR": a notice, not a sentence
# about copyright ("Copyright cases rose ..." is kept).
_COPYRIGHT = re.compile(
    r"(?:copyright\s*)?©|copyright\s+(?:©\s*)?\d{4}\b|.{0,200}\ball rights reserved\b", _I
)

# "Xinhua | Updated: 2017-09-15 17:52", "... Updated: 2016-07-15 06:50 (Xinhua)"
_TIMESTAMP = re.compile(
    r"(?:^(?P<src>[^|]{1,40}?)\s\|\s)?.{0,150}?\b(?:updated|published|posted)\s*:?\s*\d{4}-\d{2}-\d{2}"
    r"(?:\s\d{1,2}:\d{2})?(?:\s*\((?P<wire>[^()]{1,30})\))?$",
    _I,
)

# Wire sign-offs: editors' initials and the agencies used ("jm/dm (AFP, dpa)"), reporting credits.
_SIGN_OFF = re.compile(r"[a-z]{1,4}(?:/[a-z]{1,4})+(?:\s*\((?P<wires>[^()]{1,60})\))?")
_REPORTING = re.compile(r"\((?:additional )?(?:reporting|writing|editing)(?: and \w+)? by [^()]{1,300}\)", _I)

# Captions: the whole line is removed; the named group `credit` (or the match) is searched for agencies.
_CAPTIONS: tuple[re.Pattern[str], ...] = (
    # ".../Handout via Reuters", "Dado Ruvic/Reuters", "Toru Yamanaka/AFP/Getty Images", ", FILE"
    re.compile(
        rf"(?P<credit>/\s?(?:{_NAME}\s){{0,3}}(?:via\s)?{AGENCY}(?:\s?/\s?{AGENCY})*)"
        r"(?:,?\s?(?:FILE|File|file))?\s*$"
    ),
    # "(Getty)", "(AFP/File)", "(Christian Smith/AP/PA)", "(Reuters)"
    re.compile(rf"(?P<credit>\((?:[^()]{{0,60}}?/\s?)?{AGENCY}(?:\s?/\s?[^()]{{1,30}})?\))\s*$"),
    # "(Rick Loomis / Los Angeles Times)"
    re.compile(rf"\((?:{_NAME}\s){{0,3}}{_NAME}\s?/\s?(?P<org>{_ORG})\)\s*$"),
    # "(AP Photo/Evan Vucci)", "(Photo by Alex Wong/Getty Images)", "(Photo: .)", "(file photo)"
    re.compile(r"(?P<credit>\((?:\w+\s){0,2}(?:photo|image|picture|credit)s?\b[^()]{0,80}\))\s*$", _I),
    # "[Photo/Agencies]"
    re.compile(r"(?P<credit>\[(?:photo|image|picture)s?\b[^\]]{0,60}\])\s*$", _I),
    # "REUTERS/Mike Blake", "REUTERS/Kim Kyung-Hoon TPX IMAGES OF THE DAY", "AFP PHOTO / JOHN DOE"
    re.compile(
        rf"(?P<credit>\b(?:REUTERS|AFP(?: PHOTO)?|EPA|AP(?: Photo)?)\s?/\s?{_NAME}(?:[\s-]{_NAME}){{0,3}})"
        r"(?:\s+TPX IMAGES OF THE DAY)?\s*$"
    ),
    # BBC, NPR, CNN, Mirror caption furniture
    re.compile(
        r"^(?P<credit>(?:image|picture|photo) (?:copyright|credit)\b.*?)(?=\s(?:image|media) caption\b|$)", _I
    ),
    re.compile(r"^(?:image|media) caption\b", _I),
    re.compile(r"\btoggle caption\b(?P<credit>.*)$", _I),
    re.compile(r"\bhide caption \d+ of \d+\s*$", _I),
    # A credit run into the caption after it: "Getty - Contributor Russia shares a 24-mile border ..."
    re.compile(rf"^(?P<credit>{AGENCY})\s?[-–—]\s?(?:Contributor|Stringer|Pool|Staff|{AGENCY})\s"),
    re.compile(r"^\((?:image|photo|picture)s?:\s*(?P<credit>[^()]{1,80})\)$", _I),
    # AP file-photo captions: "FILE - In this May 18, 2017 file photo, ..."
    re.compile(r"^FILE\s?[-–—]+\s"),
    re.compile(
        r"^In this\b[^.]{0,100}?\b(?:photo|image|picture|frame grab)\b(?:,| provided| released| taken| made)"
    ),
    # A credit in front of the caption: "Kim Kyung Hoon / Reuters A man walks past ..."
    re.compile(rf"^(?P<credit>(?:{_NAME}\s){{1,4}}/\s?{AGENCY})\s+[A-Z“\"]"),
    # "© REUTERS/ Stringer The Long March-5 ..." (a copyright sign opening a caption)
    re.compile(rf"^(?P<credit>©\s?{AGENCY}\b.{{0,40}})"),
)

# Captions recognised only when the line does not end as a sentence: a credit at the very end
# ("... Nice, France. Reuters", "... Downing Street Getty Images") or at the very start
# ("Reuters The attack ...").
_BARE_CREDIT_END = re.compile(rf"(?<=[\s.])(?P<credit>{AGENCY}(?:\s?/\s?{AGENCY})*)\s*$")
_BARE_CREDIT_START = re.compile(rf"^(?P<credit>{AGENCY})\s?[:•|]?\s?(?:{AGENCY}\s)?[A-Z]")

# Lines that are only a credit: "Vjeran Pavic/The Verge", "Photo: Jane Doe".
_NAME_SLASH_ORG = re.compile(rf"(?:{_NAME}\s){{1,4}}{_NAME}\s?/\s?(?P<org>{_ORG})")
_LABELLED_CREDIT = re.compile(
    r"(?:photo|photograph|picture|image|credit|photo credit)s?\s*(?:by|:)\s*(?P<org>.{1,80})", _I
)
_AGENCY_SEPARATORS = re.compile(r"\s*(?:[-–—/•·,|&+;]|\band\b)\s*", _I)

_BULLET = re.compile(r"^[•·▪●◦‣►▶■□✓*–—-]\s")
# What subscription and membership offers promise; a bullet run made of these is an ad.
_OFFER = re.compile(
    r"delivered to your (?:door|home)|unlimited (?:digital )?access|\bad[- ]free\b|\bapp access\b"
    r"|newsletters?|podcasts?|\bsubscri(?:be|ption|ber)|digital access|cancel any ?time|e-?paper"
    r"|print edition|members?[- ]only|exclusive (?:offers|content|events)|premium|free trial"
    r"|per (?:month|week|year)",
    _I,
)

# Top of the body: a caption naming the people pictured ("Sergey Lavrov, Mohammad Javad Zarif"),
# a byline ("By Jane Doe and John Roe").
_NAME_WORD = re.compile(r"(?:[A-Z][\w.'’-]*|al|el|bin|ibn|de|da|del|der|di|du|la|le|van|von|y)$")
_BYLINE = re.compile(rf"By\s{_NAME}(?:\s{_NAME}){{0,3}}(?:(?:,|\sand|\s&)\s.{{1,60}})?")


# ---------------------------------------------------------------- rules


def _lone_credit(text: str) -> list[str] | None:
    """Credits when the line is nothing but a credit; None when it is something else."""
    if ends_sentence(text) or words(text) > 10:
        return None
    pieces = [p for p in _AGENCY_SEPARATORS.split(text) if p]
    names = [canonical_agency(p) for p in pieces]
    if pieces and all(names):
        return [n for n in names if n]
    m = _NAME_SLASH_ORG.fullmatch(text) or _LABELLED_CREDIT.fullmatch(text)
    if m:
        org = m.group("org").strip()
        return agencies_in(org) or [org]
    return None


def _caption(text: str) -> list[str] | None:
    """Credits when the line is a photo caption or credit; None when it is not one."""
    for pattern in _CAPTIONS:
        m = pattern.search(text)
        if m:
            groups = m.groupdict()
            if groups.get("org"):
                org = groups["org"].strip()
                return agencies_in(org) or [org]
            return agencies_in(groups.get("credit") or m.group(0))
    if not ends_sentence(text) and words(text) >= 4:
        m = _BARE_CREDIT_END.search(text) or _BARE_CREDIT_START.search(text)
        if m:
            return agencies_in(m.group("credit"))
    return None


# Furniture is short. A longer line is running text, or a whole article flattened onto one line (BBC pages
# as news-please saves them: "Image copyright EPA Image caption ... A suicide bomber has rammed ..."), where
# a caption or widget rule would throw the article away with its furniture.
MAX_FURNITURE_WORDS = 80


def _line_rule(text: str) -> tuple[str, list[str]] | None:
    """(kind, credits) when a line is furniture on its own, wherever it stands; None to keep it."""
    galleries = _GALLERY.findall(text)
    if galleries and (text.startswith("Photos:") or len(galleries) > 1 or _GALLERY.search(text[-25:])):
        return "caption", agencies_in(text) if words(text) <= MAX_FURNITURE_WORDS else []
    if words(text) > MAX_FURNITURE_WORDS:
        return None
    if _NAV_LINK.fullmatch(text):
        return "furniture", []
    if words(text) <= 30 and _LINK_WITH_BUTTON.fullmatch(text):
        return "promo", []
    credits = _lone_credit(text)
    if credits is not None:
        return "credit", credits
    if _FURNITURE.fullmatch(text):
        return "furniture", []
    if _PROMO_HEADING.fullmatch(text) or _HIGHLIGHTS.match(text):
        return "promo", []
    m = _SIGN_OFF.fullmatch(text)
    if m:
        return "sign-off", agencies_in(m.group("wires") or "")
    if _REPORTING.fullmatch(text):
        return "sign-off", []
    credits = _caption(text)
    if credits is not None:
        return "caption", credits
    if len(text) <= 250 and _PROMPT.match(text):
        return "prompt", []
    if _WIDGET.search(text) or (words(text) <= 15 and _STAMP.match(text)):
        return "prompt", []
    if _PLAYER_BLURB.match(text):
        return "caption", []
    if words(text) <= 40 and _SIGN_UP_CALL.match(text):
        return "prompt", []
    if words(text) <= 25 and not ends_sentence(text) and _META.search(text):
        return "furniture", []
    if _COPYRIGHT.match(text):
        return "copyright", agencies_in(text)
    m = _TIMESTAMP.match(text)
    if m and len(text) <= 200:
        return "timestamp", agencies_in(f"{m.group('src') or ''} ({m.group('wire') or ''})")
    return None


def _name_list(text: str) -> bool:
    """'Sergey Lavrov, Mohammad Javad Zarif': two or more short capitalised names, no sentence punctuation."""
    if ends_sentence(text) or text.rstrip().endswith((":", ";")) or words(text) > 12:
        return False
    chunks = [c.strip() for c in re.split(r",|\band\b|&", text)]
    if len(chunks) < 2 or any(not c for c in chunks):
        return False
    for chunk in chunks:
        tokens = chunk.split()
        if not 1 <= len(tokens) <= 4 or not tokens[0][0].isupper():
            return False
        if not all(_NAME_WORD.match(t) for t in tokens):
            return False
    return True


def _fold(text: str) -> str:
    return " ".join(text.split()).casefold().rstrip(".:;")


def mark_furniture(lines: list[Line], title: str) -> None:
    """Mark (in place) every line of the body that is furniture, with why and the credits it names."""
    for line in lines:
        rule = _line_rule(line.text)
        if rule is not None:
            line.drop(*rule)
    _mark_promo_boxes(lines)
    _mark_top(lines, title)
    # Anywhere in the body, the names of the people pictured sit right above the credit of their photo.
    for line, below in zip(lines, lines[1:], strict=False):
        if line.kept and below.kind == "credit" and below.block == line.block and _name_list(line.text):
            line.drop("caption")


def _mark_promo_boxes(lines: list[Line]) -> None:
    # A promo heading owns the headline-like lines below it (the links or offers of its box).
    for i, line in enumerate(lines):
        if line.kind != "promo":
            continue
        for follower in lines[i + 1 : i + 13]:
            if follower.kept and not headline_like(follower.text):
                break
            if follower.kept:
                follower.drop("promo")
    # A run of bullets that mostly sells something is an offer box, with the short heading above it.
    i = 0
    while i < len(lines):
        if not _BULLET.match(lines[i].text):
            i += 1
            continue
        j = i
        while j < len(lines) and _BULLET.match(lines[j].text):
            j += 1
        run = lines[i:j]
        offers = sum(1 for line in run if _OFFER.search(line.text))
        if offers and offers * 2 >= len(run):
            for line in run:
                line.drop("promo")
            head = lines[i - 1] if i else None
            if head is not None and head.kept and headline_like(head.text) and words(head.text) <= 6:
                head.drop("promo")
        i = j


def _mark_top(lines: list[Line], title: str) -> None:
    # Above the first paragraph of running text sit the headline again, captions and bylines.
    top: list[Line] = []
    for line in lines:
        if line.kept and is_paragraph(line.text):
            break
        top.append(line)
    if lines and lines[0].kept and len(title) >= 15:
        first, wanted = _fold(lines[0].text), _fold(title)
        # A header line may wrap the headline in a section name and a standfirst, but is not the whole body.
        header = wanted in first and not ends_sentence(lines[0].text) and len(first) <= len(wanted) + 400
        if first == wanted or header:
            lines[0].drop("headline")
    for line in top:
        if not line.kept:
            continue
        # A byline first: "By Jane Doe and John Roe" reads as a list of names too.
        if _BYLINE.fullmatch(line.text) and not ends_sentence(line.text):
            line.drop("byline")
        elif _name_list(line.text):
            line.drop("caption")
