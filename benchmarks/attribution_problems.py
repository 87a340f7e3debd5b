"""Counts the speaker and entity problems of issue 10 on giveme5w1h_news_cluster, and samples quotes to
read by hand.

    python benchmarks/attribution_problems.py [DATA_DIR] [--sample N] [--seed S]

Runs the whole job on the set (in a temporary store), then prints, over every story:

* quotes whose shown speaker is a pronoun (the speaker as the story shows it: its resolved name, or the
  words as written when unresolved);
* quotes whose shown speaker is a place or a date (a PLACE or DATE entity of the story, or a weekday);
* PERSON entities that are platforms (Twitter, Instagram, ...), handles or hold digits;
* PERSON entities that are half of a split name (ending in a particle: "Ursula von der");
* "he" or "she" resolved to a person whose first name is of the other gender (by gender-guesser's name
  dictionary, names it marks male or female only);
* all-capital words typed as a pronoun ("US", "IT").

and N quotes drawn at random (speaker, cue, words, the sentence around) for reading. Works with the
speaker as a plain string too (before speakers were references), so it can count the old code.
"""

from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
from functools import lru_cache
from pathlib import Path
from typing import Any

import newsfuse
from newsfuse.config import load_settings
from newsfuse.evaluate.cluster_data import convert

DEFAULT_DATA = Path(__file__).resolve().parents[2] / "shared" / "data" / "giveme5w1h_news_cluster"
PRONOUNS = frozenset("he she they it we i you him her them us me".split())
PLATFORMS = frozenset(
    "twitter instagram facebook youtube tiktok snapchat whatsapp reddit linkedin telegram tumblr".split()
)
PARTICLES = frozenset("von der van den de del da di du la le al el bin ibn".split())
WEEKDAYS = re.compile(r"\b(?:monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b", re.IGNORECASE)


def shown_speaker(quote: Any) -> str | None:
    spk = quote.speaker
    if spk is None or isinstance(spk, str):
        return spk
    return spk.name or spk.text


@lru_cache(maxsize=1)
def _gender_detector() -> Any:
    import gender_guesser.detector

    return gender_guesser.detector.Detector(case_sensitive=False)


def _other_gender(pronoun: str, name: str) -> bool:
    """ "she" resolved to a name the dictionary marks male, or "he" to one it marks female."""
    words = name.split()
    if len(words) < 2:
        return False
    gender = _gender_detector().get_gender(words[0])
    low = pronoun.lower()
    return (low in ("she", "her") and gender == "male") or (low in ("he", "him") and gender == "female")


def count(stories: Any) -> dict[str, int]:
    counts = {
        "quotes": 0,
        "pronoun speakers": 0,
        "place or date speakers": 0,
        "platforms, handles or numbers typed PERSON": 0,
        "split names (PERSON ending in a particle)": 0,
        "he/she resolved to a name of the other gender": 0,
        "all-capital words typed pronoun (US)": 0,
    }
    for story in stories:
        places = {e.name.lower() for e in story.entities if e.type in ("PLACE", "DATE")}
        for e in story.entities:
            if e.type in ("PLACE", "DATE"):
                places.update(a.lower() for a in e.aliases)
        for q in story.quotes:
            counts["quotes"] += 1
            shown = shown_speaker(q)
            if shown is None:
                continue
            low = shown.lower().strip()
            if low in PRONOUNS:
                counts["pronoun speakers"] += 1
            if not isinstance(q.speaker, str) and q.speaker is not None:
                written = q.speaker.text.strip()
                if q.speaker.kind == "pronoun" and len(written) > 1 and written.isupper():
                    counts["all-capital words typed pronoun (US)"] += 1
                if q.speaker.kind == "pronoun" and q.speaker.name and _other_gender(written, q.speaker.name):
                    counts["he/she resolved to a name of the other gender"] += 1
            elif low.removeprefix("the ") in places or WEEKDAYS.search(low):
                counts["place or date speakers"] += 1
        for e in story.entities:
            if e.type != "PERSON":
                continue
            low = e.name.lower()
            if low in PLATFORMS or e.name.startswith(("@", "#")) or any(c.isdigit() for c in e.name):
                counts["platforms, handles or numbers typed PERSON"] += 1
            if low.split()[-1] in PARTICLES:
                counts["split names (PERSON ending in a particle)"] += 1
    return counts


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("data_dir", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--sample", type=int, default=30)
    parser.add_argument("--seed", type=int, default=10)
    args = parser.parse_args(argv)
    if not args.data_dir.is_dir():
        print(f"no data at {args.data_dir}", file=sys.stderr)
        return 2
    with tempfile.TemporaryDirectory() as tmp:
        jsonl = Path(tmp) / "g5.jsonl"
        convert("giveme5w1h", str(args.data_dir), str(jsonl))
        result = newsfuse.run([jsonl], db=Path(tmp) / "g5.duckdb", settings=load_settings(), progress=False)
    for name, n in count(result.stories).items():
        print(f"{name:45s} {n}")
    texts = {a.id: a.text for a in result.articles}
    quotes = [q for s in result.stories for q in s.quotes]
    random.Random(args.seed).shuffle(quotes)
    for q in quotes[: args.sample]:
        text = texts.get(q.article_id, "")
        line_start = text.rfind("\n", 0, q.start) + 1
        line_end = text.find("\n", q.end)
        context = " ".join(text[line_start : line_end if line_end >= 0 else len(text)].split())
        spk = q.speaker
        written = spk if isinstance(spk, str) or spk is None else f"{spk.text!r} [{spk.kind}; {spk.how}]"
        print(f"\n* {shown_speaker(q)!r} <- {written} | cue {q.cue!r} | via {list(q.via)}")
        print(f"  said: {q.text[:200]!r}")
        print(f"  in:   {context[:400]!r}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
