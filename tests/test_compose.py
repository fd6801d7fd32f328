"""Composing an answer: what kind of answer a question asks for, and the sentences that give it."""

import pytest

from bot.compose import best_blocks, expected_kind
from bot.text import stems


@pytest.mark.parametrize("question, says, does_not_say", [
    ("how much does a session cost?", "A session is $95.", "Physio costs less than surgery."),
    ("how much is parking?", "Parking is free behind the building.", "Parking has a price."),
    ("how many sessions will I need?", "Most people need 3 to 5 sessions.", "Someone will phone you."),
    ("how long will I be sore?", "Soreness fades within 24 to 48 hours.", "Someone may feel sore for weeks."),
])
def test_a_question_asking_how_much_many_or_long_wants_an_amount_not_the_word_for_it(question, says, does_not_say):
    kind = expected_kind(question)
    assert kind.search(says) and not kind.search(does_not_say)


def test_the_sentences_with_the_questions_rarest_words_answer_and_a_list_comes_with_its_opening():
    text = ("Taping is used by athletes. Taping helps many people.\n"
            "The benefits of taping include:\n- Pain relief\n- Less swelling")
    concepts = [(2.0, "benefit", frozenset()), (0.5, "tape", frozenset())]
    answer = best_blocks(text, concepts, 0.7, lambda t: set(stems(t)), "what are the benefits of taping", 1)
    assert answer == "The benefits of taping include:\n- Pain relief\n- Less swelling"
