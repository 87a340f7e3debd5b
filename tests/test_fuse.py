"""Fusing the seeds: one account whose every statement is a span of a source."""

from __future__ import annotations

from newsfuse.fuse import StoryFuser
from newsfuse.fuse.entities import canonical_entities


def _texts(annotated):
    return {a.article.id: a.article.text for a in annotated}


def test_every_citation_slices_to_the_cited_words(annotated_seeds):
    story = StoryFuser().fuse("s-test", annotated_seeds)
    texts = _texts(annotated_seeds)
    assert story.summary and story.claims
    for sentence in story.summary:
        first = sentence.citations[0]
        assert texts[first.article_id][first.start : first.end] == sentence.text
    for claim in story.claims:
        first = claim.citations[0]
        assert texts[first.article_id][first.start : first.end] == claim.text
        for c in claim.citations:
            assert 0 <= c.start < c.end <= len(texts[c.article_id])
    for detail in story.details:
        first = detail.citations[0]
        assert texts[first.article_id][first.start : first.end] == detail.text
    for quote in story.quotes:
        assert texts[quote.article_id][quote.start : quote.end] == quote.text


def test_the_airspace_claim_is_relayed_by_both_outlets_from_one_origin(annotated_seeds):
    story = StoryFuser().fuse("s-test", annotated_seeds)
    texts = _texts(annotated_seeds)
    # Breitbart: "Iran is allowing Russian warplanes to use its airspace"; Newsweek (Reuters):
    # "Iran has again allowed Russian planes to use its airspace". Both rest on Shamkhani's words to Fars.
    airspace = [
        c
        for c in story.claims
        if any(
            "Russian warplanes to use its airspace" in texts[x.article_id][x.start : x.end]
            for x in c.citations
        )
    ]
    assert len(airspace) == 1
    claim = airspace[0]
    cited = " ".join(texts[x.article_id][x.start : x.end] for x in claim.citations)
    assert "Russian planes to use its airspace" in cited
    assert claim.status == "relayed"
    assert len(claim.outlets) == 2 and "Newsweek" in claim.outlets
    assert {x.article_id for x in claim.citations} == set(texts)
    assert all(s.stance == "agrees" for s in claim.support)
    (origin_id,) = claim.origins
    origin = {o.id: o for o in story.origins}[origin_id]
    assert origin.kind == "statement" and "Shamkhani" in origin.name and "Fars" in origin.name
    assert set(origin.articles) == set(texts)
    assert any("told" in texts[e.article_id][e.start : e.end] for e in origin.evidence)


def test_what_only_newsweek_or_breitbart_says_is_single_source_and_a_detail(annotated_seeds):
    story = StoryFuser().fuse("s-test", annotated_seeds)
    assert len(story.details) <= 10
    details = [d.text for d in story.details]
    singles = [c.text for c in story.claims if c.status == "single_source"]
    for words in ("Tupolev-22M long-range bombers", "have not had refueling operations", "summit in Moscow"):
        assert any(words in t for t in singles), words
        assert any(words in t for t in details), words
    assert any("Haider al-Abadi" in t for t in singles)
    origin_ids = {o.id for o in story.origins}
    assert all(d.origin in origin_ids for d in story.details)


def test_a_photo_credit_does_not_make_a_wire_copy(annotated_seeds):
    # Newsweek's photo is "Handout via Reuters": Reuters supplied the picture, not the story.
    newsweek = next(a for a in annotated_seeds if a.article.outlet == "Newsweek")
    assert "Reuters" in newsweek.article.credits
    story = StoryFuser().fuse("s-test", annotated_seeds)
    assert not any(o.kind == "wire" for o in story.origins)


def test_summary_is_short_cited_and_not_redundant(annotated_seeds):
    story = StoryFuser(summary_sentences=4).fuse("s-test", annotated_seeds)
    assert 1 <= len(story.summary) <= 4
    assert len({s.text for s in story.summary}) == len(story.summary)
    # The lead fact both outlets report is in the summary, cited in both.
    lead = [s for s in story.summary if "airspace" in s.text]
    assert lead and len({c.article_id for c in lead[0].citations}) == 2


def test_one_canonical_name_per_person(annotated_seeds):
    entities = {e.name: e for e in canonical_entities(annotated_seeds)}
    assert "Haider al-Abadi" in entities and "Abadi" in entities["Haider al-Abadi"].aliases
    assert entities["Haider al-Abadi"].type == "PERSON"
    assert "Ali Shamkhani" in entities and "Shamkhani" in entities["Ali Shamkhani"].aliases
    names = {e.name for e in entities.values()} | {a for e in entities.values() for a in e.aliases}
    assert "Use Airspace" not in names
    assert not any(e.name.startswith("Sergey") for e in entities.values() if e.type != "PERSON")


def test_spelling_variants_of_a_first_name_are_one_person():
    from newsfuse.types import Annotated, Article, Mention, Provenance

    text = "Sergey Lavrov met Sergei Lavrov's deputy. Lavrov spoke. Sergei Shoigu listened."
    mentions = tuple(
        Mention(text.index(s), text.index(s) + len(s), s, "PERSON", "PERSON")
        for s in ("Sergey Lavrov", "Sergei Lavrov", "Lavrov spoke", "Sergei Shoigu")
    )
    mentions = mentions[:2] + (Mention(42, 48, "Lavrov", "PERSON", "PERSON"),) + mentions[3:]
    article = Article(id="a", title="t", text=text, provenance=Provenance("x", "txt"))
    entities = canonical_entities([Annotated(article, (), mentions, ())])
    people = {e.name: e for e in entities if e.type == "PERSON"}
    assert len(people) == 2
    lavrov = next(e for e in people.values() if "Lavrov" in e.name)
    assert len(lavrov.mentions) == 3 and "Lavrov" in lavrov.aliases


def test_a_claim_holds_at_most_one_sentence_per_article(annotated_seeds):
    story = StoryFuser(align_threshold=0.05).fuse("s-test", annotated_seeds)
    for claim in story.claims:
        articles = [c.article_id for c in claim.citations]
        assert len(articles) == len(set(articles))


def test_summary_sentences_read_on_their_own(annotated_seeds):
    from newsfuse.fuse import _reads_alone

    assert not _reads_alone("He said the talks would go on.")
    assert not _reads_alone("“But we will not stop,” she added.")
    assert not _reads_alone("What will Falcon Heavy carry into space?")
    assert not _reads_alone("“We had put up Christmas lights and wondered if we had put them up wrong.”")
    assert not _reads_alone("The NAACP issued a travel advisory, claiming the airline 'could subject [")
    assert _reads_alone("“Zero chance of conviction,” Paul said.")
    assert _reads_alone("Iran has again allowed Russian planes to use its airspace.")
    story = StoryFuser().fuse("s-test", annotated_seeds)
    assert all(_reads_alone(s.text) for s in story.summary)


def test_a_name_keeps_one_type_within_a_story():
    from newsfuse.types import Annotated, Article, Mention, Provenance

    text = "Tesla said. Tesla grew. Tesla sold. Tesla won. Elon Musk spoke. Musk left."
    labels = [("Tesla", "ORG"), ("Tesla", "ORG"), ("Tesla", "PERSON"), ("Tesla", "ORG")]
    labels.append(("Elon Musk", "PERSON"))
    mentions, at = [], 0
    for name, label in labels:
        at = text.index(name, at)
        mentions.append(Mention(at, at + len(name), name, label, label))
        at += len(name)
    at = text.index("Musk left")
    mentions.append(Mention(at, at + 4, "Musk", "ORG", "ORG"))  # a surname the model calls an organisation
    article = Article(id="a", title="t", text=text, provenance=Provenance("x", "txt"))
    found = canonical_entities([Annotated(article, (), tuple(mentions), ())])
    entities = {(e.name, e.type): e for e in found}
    assert set(entities) == {("Tesla", "ORG"), ("Elon Musk", "PERSON")}
    assert len(entities[("Tesla", "ORG")].mentions) == 4
    assert len(entities[("Elon Musk", "PERSON")].mentions) == 2


def test_a_large_story_is_fused_from_its_most_central_articles(annotated_seeds):
    story = StoryFuser(max_articles=1).fuse("s-test", annotated_seeds)
    assert len(story.articles) == 2  # every article is still listed
    cited = {c.article_id for claim in story.claims for c in claim.citations}
    assert len(cited) == 1 and all(claim.status == "single_source" for claim in story.claims)
    assert {q.article_id for q in story.quotes} == {a.article.id for a in annotated_seeds}
