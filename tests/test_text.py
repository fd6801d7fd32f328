"""Text normalisation: one normaliser for knowledge and questions, no NLTK data needed."""

import os
import subprocess
import sys

from conftest import ROOT

from bot.speller import Speller
from bot.text import content_words, flatten, information, is_clinical, sentences, stem, words


def test_words_fold_case_and_accents_and_spell_out_contractions():
    assert words("Can’t I GET Dry-Needling? Café") == ["can", "not", "i", "get", "dry", "needling", "cafe"]
    assert words("it'll, I'm, they've, won't") == ["it", "will", "i", "am", "they", "have", "will", "not"]
    assert words("my son's back") == ["my", "son", "back"]


def test_a_contraction_typed_without_its_apostrophe_is_read_the_same():
    assert words("itll shouldnt im") == ["it", "will", "should", "not", "i", "am"]


def test_a_letter_typed_over_and_over_is_read_as_the_word_meant():
    assert words("does it hurtttt, sooo sore, coool, hiii") == ["does", "it", "hurt", "so", "sore", "cool", "hi"]
    assert words("call 1000") == ["call", "1000"]  # digits are no letters typed for feeling


def test_chat_shorthand_reads_as_the_words_it_stands_for():
    assert words("do u do needling b4 ur surgery") == ["do", "you", "do", "needling", "before", "your", "surgery"]
    assert words("wat shud i do") == ["what", "should", "i", "do"]


def test_a_word_tells_as_much_as_it_is_rare_in_english():
    assert information("the") == information("what") == 0.0 and information("does") < 0.5
    assert information("pacemaker") > information("shoulder") > information("cost") > 0.0
    assert content_words("hey, I was just wondering: does it help my shoulder?") == ["shoulder"]


def test_clinical_words_come_from_wordnet_and_a_job_or_a_sport_is_none():
    assert all(is_clinical(w) for w in ("hip", "pacemaker", "cortisone", "bunions", "concussion", "sciatica"))
    assert not any(is_clinical(w) for w in ("hairdresser", "volleyball", "weather", "parking"))


def test_an_irregular_form_stems_as_its_base_and_a_word_of_its_own_does_not():
    assert stem("torn") == stem("tear") and stem("driven") == stem("drive") and stem("broke") == stem("breaks")
    assert stem("frozen") == stem("freezing") and stem("swollen") == stem("swelling")
    assert stem("left") == "left" and stem("wound") == "wound"  # the left knee; a wound to dress


def test_flatten_is_what_the_red_flag_patterns_read():
    assert flatten("I CAN'T breathe!!") == "i cant breathe"


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


def test_a_word_the_knowledge_never_uses_finds_the_knowledge_words_near_it_in_meaning():
    from bot.neighbours import Neighbours

    near = Neighbours(["fatigue", "vertigo", "knee", "swelling"]).of
    assert near("exhausted") == ("fatigu",) and near("dizzy") == ("vertigo",)
    assert near("ankle") == ()  # a neighbouring body part is another part, not the same one
    assert near("swelling") == ()  # a word the knowledge uses stands for itself
    assert near("qwzx") == ()  # a word with no vector has no neighbours
