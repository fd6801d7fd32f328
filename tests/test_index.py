"""The search index: BM25 fields whose scores are shares of the question's weight."""

from bot.index import Index, Unit
from bot.text import stems


def index(*texts):
    units = [Unit(f"t{i}", "text", text) for i, text in enumerate(texts)]
    return Index(stems, {"questions": {"text": 1.0}}, lambda target: "questions").fit(units)


def test_a_unit_counts_the_best_word_it_has_for_a_concept_not_every_one():
    found = index("pain sore ache after the session", "pain after the session", "nothing alike here")
    scores = found.search([(("hurt", 1.0), ("pain", 0.7), ("sore", 0.7), ("ach", 0.7))], 1.0)
    three, one, none = (scores.of(t, "text") for t in ("t0", "t1", "t2"))
    assert none == 0.0 and 0.0 < three <= one  # saying "pain", "sore" and "ache" gains nothing over "pain"


def test_a_score_is_a_share_of_the_question_and_an_unknown_word_is_missed_not_an_error():
    found = index("dry needling releases trigger points", "the clinic has parking")
    scores = found.search([(("trigger", 1.0),), (("sciatica", 1.0),)], 2.0)
    assert 0.0 < scores.of("t0", "text") <= 0.5 and scores.of("t1", "text") == 0.0
