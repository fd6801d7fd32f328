"""Text normalisation: one normaliser for knowledge and questions, no NLTK data needed."""

import os
import subprocess
import sys

from conftest import ROOT

from bot.speller import Speller
from bot.text import Normaliser, content_words, sentences, words


def test_words_fold_case_accents_and_apostrophes():
    assert words("Can’t I GET Dry-Needling? Café") == ["cant", "i", "get", "dry", "needling", "cafe"]


def test_a_contraction_on_a_pronoun_stays_one_word_and_on_any_other_word_is_undone():
    assert words("it'll, I'll, how's, they've") == ["itll", "ill", "hows", "theyve"]  # as the patterns spell them
    assert words("when'll my son's back heal, who'll do it") == ["when", "will", "my", "son", "back", "heal",
                                                                "who", "will", "do", "it"]


def test_a_letter_typed_over_and_over_is_read_as_the_word_meant():
    assert words("does it hurtttt, sooo sore, coool, hiii") == ["does", "it", "hurt", "so", "sore", "cool", "hi"]
    assert words("call 1000") == ["call", "1000"]  # digits are no letters typed for feeling


def test_a_contraction_is_a_function_word_never_a_topic():
    assert not content_words("it'll shouldn't they've wouldn't y'all")


def test_chat_shorthand_reads_as_the_words_it_stands_for():
    assert words("do u do needling b4 ur surgery") == ["do", "you", "do", "needling", "before", "your", "surgery"]
    assert words("wat shud i do afta") == ["what", "should", "i", "do", "after"]
    assert all(" " not in w for w in words("gonna wanna dunno"))  # one word stands for one word


def test_content_words_drop_stop_words_and_fillers_but_keep_topics():
    assert content_words("hey, I was just wondering: does it help my back?") == ["help", "back"]


def test_normaliser_stems_and_adds_the_clinics_words_for_a_visitors_synonym():
    normalise = Normaliser({"hurt": ["pain", "discomfort"], "muscle knot": ["trigger point"]})
    assert normalise("Does it hurt?") == ["hurt", "pain", "discomfort"]
    assert normalise("a muscle knot") == ["muscl", "knot", "trigger", "point"]


def test_a_synonym_phrase_matches_only_all_of_its_words_stop_words_included():
    normalise = Normaliser({"work out": ["exercise"], "working out": ["exercise"]})
    assert normalise("does it work") == ["work"]
    assert normalise("can I work out after?") == ["work", "after", "exercis"]


def test_the_longest_synonym_phrase_wins_over_the_words_inside_it():
    normalise = Normaliser({"kick": ["twitch"], "kick in": ["work"]})
    assert normalise("when does it kick in") == ["kick", "work"]
    assert normalise("my leg did a kick") == ["leg", "kick", "twitch"]


def test_sentences_split_without_a_downloaded_model():
    assert sentences("It helps. It is safe! Does it hurt? no") == ["It helps.", "It is safe!", "Does it hurt? no"]


def test_the_bot_starts_and_answers_with_an_empty_nltk_data_folder(tmp_path):
    empty = tmp_path / "nltk_data"
    empty.mkdir()
    code = (
        "import nltk; nltk.data.path[:] = [%r];"
        "from bot.engine import Engine;"
        "print(Engine.from_folder('knowledge').ask('does dry needling hurt?').type)" % str(empty)
    )
    env = {**os.environ, "NLTK_DATA": str(empty), "HOME": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "answer"


def test_the_speller_fixes_slips_toward_the_knowledges_words_and_leaves_short_words_alone():
    speller = Speller(["needling", "pain", "cost"])
    assert speller.correct("neeedling") == "needling"
    assert speller.correct("pian") == "pain"  # two letters swapped
    assert speller.correct("post") is None  # one letter from "cost", but short words keep their meaning


def test_a_short_word_missing_one_letter_is_mended_only_when_one_known_word_fits():
    speller = Speller(["neck", "sore", "sort", "back"])
    assert speller.correct("nek") == "neck"
    assert speller.correct("bak") == "back"
    assert speller.correct("sor") is None  # "sore" or "sort": no guess
