"""Reading a message: which part asks, and how much the story told before it counts."""

from bot.engine import Settings
from bot.reading import Reader


def test_the_last_sentences_that_ask_are_the_question_and_the_rest_is_the_story():
    reading = Reader({"orthotics"}).read("I'm a nurse on 12 hour shifts. Should I ease into my orthotics?")
    assert reading.asking[:2] == ["should", "i"] and "nurse" in reading.context and not reading.points_back


def test_a_question_that_points_back_asks_about_the_story_so_its_words_count_in_full(clinic_engine):
    engine = clinic_engine
    story = "My shoulder is in the frozen stage and the pain has eased."
    pointing = engine.reader.read(f"{story} Is that normal?")
    own = engine.reader.read(f"{story} Is shockwave normal?")
    assert pointing.points_back and not own.points_back
    assert engine.story_weight(pointing) == 1.0 > engine.story_weight(own) == Settings().context_weight
