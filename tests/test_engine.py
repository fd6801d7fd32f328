"""The answer policy: emergency first, then small talk, then an answer only above the threshold."""

import pytest

from bot.asking import asking_clause, asking_sentence, questions
from bot.engine import REPLY_TYPES, Engine, Settings, english_frequency, meant
from bot.knowledge import load_knowledge


def assert_answers(engine, message, phrase):
    """The message gets an answer, and the answer says ``phrase``."""
    reply = engine.ask(message)
    assert reply.type == "answer" and phrase in reply.answer, (reply.type, reply.matched, reply.reason)


def test_a_close_question_gets_the_answer_with_its_source(tiny_engine):
    reply = tiny_engine.ask("does needling hurt?")
    assert reply.type == "answer"
    assert reply.answer == "Most people feel only mild discomfort when the thin needle goes in."
    assert [(s.title, s.section) for s in reply.sources] == [("All About Needling", "What is needling?")]
    assert 0 < reply.confidence <= 1


def test_a_typo_and_a_synonym_still_find_the_answer(tiny_engine):
    assert tiny_engine.ask("is neeedling painfull").matched == "faq/hurt"
    assert tiny_engine.ask("ouch?").matched == "faq/hurt"


def test_two_words_run_together_are_read_apart(clinic_engine):
    assert clinic_engine.ask("what is drynedling").matched == "faq/what-is-dry-needling"
    assert clinic_engine.ask("can it help my neckpain").type == "answer"


def test_an_article_section_answers_with_its_most_relevant_sentences(tiny_engine):
    reply = tiny_engine.ask("will I have soreness after the session")
    assert reply.type == "answer"
    assert "mild soreness" in reply.answer


def test_the_entry_that_names_the_visitors_condition_beats_a_general_one(clinic_engine):
    reply = clinic_engine.ask("I have fibromyalgia, could dry needling help me?")
    assert reply.matched == "faq/chronic" and "fibromyalgia" in reply.answer


def test_in_a_long_message_the_sentence_that_asks_decides(clinic_engine):
    assert_answers(clinic_engine, "My neck and shoulders are tight from sitting at a desk all day and a friend said "
                                  "it helped her. I'm nervous about needles though. Does it hurt?", "mild discomfort")


# Whether one word makes a question unanswerable depends on where it stands and what it names.
WORDS_IN_CONTEXT = [
    # a misspelt function word is no topic; a rare condition still is
    ("wil i be sore aftr", "answer"),
    ("will i be sore tomorow", "answer"),
    ("can dry needling help my tmj", "handoff"),
    # who gave the advice and what was already tried are context; what is asked about is a topic
    ("my chiro said it isn't acupuncture, what's the difference?", "answer"),
    ("my oncologist said to ask: can dry needling help my cancer pain?", "handoff"),
    ("I tried acupuncture and cupping, how is dry needling different?", "answer"),
    # what is asked for (a price, a day) is a topic only in the clause that asks...
    ("I read online that dry needling releases endorphins, is that true?", "answer"),
    ("I have a session on Thursday. What's the cost?", "handoff"),
    # ...but a condition counts wherever it is said: it is who the answer would be about
    ("I'm pregnant and my back hurts, would dry needling be safe for me?", "handoff"),
    # a body part is a topic unless the answer is the same for any part
    ("my arm is sore after dry needling", "answer"),
    ("why did my calf twitch during needling", "answer"),
    ("will dry needling help my elbow", "handoff"),
    # ...and a part named only before the question is where it hurts, unless the question asks
    # nothing but whether it helps there
    ("I've got a tournament soon and my groin is tight, how quickly does needling usually work?", "answer"),
    ("My knee is killing me. Can dry needling fix it?", "handoff"),
    ("I feel like giving up on exercise because my knees hurt, would needling help", "handoff"),
    ("I had chest pain a few years ago, is dry needling safe for me?", "handoff"),
    # when the question asks something of its own, what the message says around it is context...
    ("I've done massage, chiro and yoga for my back. What kind of needle do you use?", "answer"),
    ("Does dry needling hurt? I had a bad experience with injections as a kid", "answer"),
    # ...except a condition the answer would be about, unless the answer is the same for anyone
    ("I'm pregnant. How long does the soreness last after dry needling?", "handoff"),
    ("I'm looking at options for my tennis elbow. What is dry needling exactly?", "answer"),
    ("my daughter is scared of needles from vaccines. are these the same size as a vaccine needle?", "answer"),
    ("I have a lot of tattoos on my back, can you still do dry needling over them?", "handoff"),
    # what a feeling is compared with is context; a comparison of treatments is not answered
    ("is it more painful than a flu shot", "answer"),
    ("is the needle like the one for a flu shot?", "answer"),
    ("is dry needling better than massage", "handoff"),
    # words in an idiom are no topic; an adult relative is who asks, a child's age is a topic
    ("I'm tired of pills, would dry needling help my fibromyalgia?", "answer"),
    ("I have fibromyalgia and want something that isn't more pills, is dry needling an option?", "answer"),
    ("can dry needling help fatigue", "handoff"),
    ("my dad has a stiff neck, could dry needling help him", "answer"),
    ("can my 10 year old son get dry needling", "handoff"),
    # who the visitor is, is context, unless it names a condition
    ("I'm a hairdresser and my shoulders are knotted, can needling release the knots?", "answer"),
    ("I'm a diabetic, can I get dry needling?", "handoff"),
    ("I'm a yoga teacher and my hamstrings are so tight, would dry needling loosen them?", "answer"),
    ("I'm a baby about needles, how much does it actually hurt?", "answer"),
    ("I'm a dental hygienist and my neck is always tight. Will dry needling hurt?", "answer"),
    ("I'm a nurse. What kind of needle do you use?", "answer"),
    # what comes before "about" is how the visitor feels
    ("I have a bit of anxiety about medical stuff. Is dry needling actually safe?", "answer"),
    # an idiom's words are no topic and no term: "worth a shot" is no injection
    ("I have fibromyalgia and tried everything, would dry needling be worth a shot?", "answer"),
    ("can someone explain in plain english how dry needling works", "answer"),
    ("I'm a hockey player, would dry needling get me back on the ice sooner after workouts?", "answer"),
    # a booking told is context; feeling bruised is soreness, a bruise is a reaction the articles don't describe
    ("I'm booked in for dry needling on Thursday, what will happen when I get there?", "answer"),
    ("after my session my back feels bruised and achy, how long will this last?", "answer"),
    ("I got a bruise after dry needling, is that normal?", "handoff"),
    # a rare word the visitor says they have is a condition, listed or not
    ("I have hemophilia. Does dry needling hurt?", "handoff"),
    ("I have a wedding next week. How long will I be sore?", "answer"),
    # a medicine the visitor takes is a condition, though the articles say "no medication is injected"
    ("I'm on pain meds, can I still do dry needling?", "handoff"),
    ("I've had fibromyalgia for years and I'm tired of relying on medication, could dry needling help?", "answer"),
    ("is dry needling based on Chinese medicine?", "answer"),
    # a time of day is asked for like a day: context before the question, a topic inside it
    ("by 3pm my neck is so tight I get a headache, could dry needling help with that?", "answer"),
    ("are you open at 3pm", "handoff"),
    # where the visitor lives and when something happens are context; a place or day asked for is not
    ("I live in Embrun and was wondering if your clinic does dry needling?", "answer"),
    ("can it fix my tight hips so I can squat deeper", "answer"),
    ("I had sciatica-like pain in my glutes after needling, how long does this soreness last?", "answer"),
    ("do you have a clinic in Embrun?", "handoff"),
    ("is it normal to ache the next morning", "answer"),
    # what the visitor lifts or has tried is how it happened; a child as the patient is a topic
    ("My back keeps going into spasm whenever I lift my toddler. Would dry needling stop the spasms?", "answer"),
    ("I've had neck pain for years, tried everything from massage to pills. Can dry needling give lasting relief?",
     "answer"),
    # a contraction typed without its apostrophe is a function word, not a rare topic
    ("He wants to know if that's normal and when it'll ease up", "answer"),
    ("will the soreness go away or shouldnt i worry", "answer"),
    # a condition beside a question about where to needle concerns it, whatever entry is closest
    ("I have a rope burn on my arm, can you needle near it", "handoff"),
    # a sport played before the soreness is how it happened; one asked about after needling is asked for
    ("Can it help with sore muscles after hockey?", "answer"),
    ("can i play hockey the night after needling", "handoff"),
]


@pytest.mark.parametrize("message, expected", WORDS_IN_CONTEXT)
def test_a_word_is_a_topic_by_where_it_stands_and_what_it_names(clinic_engine, message, expected):
    assert clinic_engine.ask(message).type == expected


def test_the_clinics_matters_said_as_context_do_not_steer_the_search(clinic_engine):
    """Who advised ("my chiropractor mentioned") and what comes later ("before I book") would pull
    a question toward the hand-off topics for other services and booking."""
    reply = clinic_engine.ask("my chiropractor mentioned dry needling but didn't explain it, what actually is it?")
    assert reply.matched == "faq/what-is-dry-needling"
    reply = clinic_engine.ask("Before I book I'd like to know who does the needling, is it a physio or someone else?")
    assert reply.matched == "faq/who-performs"
    assert clinic_engine.ask("explain dry needling to me in simple terms").matched == "faq/what-is-dry-needling"


def test_an_entry_far_closer_than_any_other_answers_below_the_usual_threshold(clinic_engine):
    reply = clinic_engine.ask("what does aftercare usually include")
    assert reply.matched == "faq/aftercare" and reply.confidence < Settings().answer_threshold
    assert clinic_engine.ask("what does aftercare cost").type == "handoff"


def test_do_you_offer_that_asks_for_what_the_message_named_before(clinic_engine):
    assert clinic_engine.ask("I had acupuncture before and it helped. Do you offer that?").type == "handoff"
    assert clinic_engine.ask("My friend told me about dry needling. Do you offer that?").type == "answer"


def test_between_two_entries_nearly_as_close_the_visitor_reads_both(clinic_engine):
    reply = clinic_engine.ask("does it hurt afterwards")
    assert "mild discomfort" in reply.answer and "24 to 48 hours" in reply.answer
    assert len(reply.sources) == len(set(reply.sources))
    assert "Will I be sore after dry needling? How long does it last?" not in reply.related


def test_two_questions_in_one_message_get_both_answers(clinic_engine):
    reply = clinic_engine.ask("Does it hurt? And how long will I be sore after?")
    assert "mild discomfort" in reply.answer and "24 to 48 hours" in reply.answer
    reply = clinic_engine.ask("is dry needling the same as acupuncture, and who does it at your clinic?")
    assert "Western medicine" in reply.answer and "physiotherapists" in reply.answer


def test_a_question_for_the_clinic_beside_one_the_articles_answer_gets_both(clinic_engine):
    reply = clinic_engine.ask("Do you take insurance? Does it hurt?")
    assert reply.type == "handoff" and "343-998-9229" in reply.answer and "mild discomfort" in reply.answer


def test_a_condition_named_beside_two_questions_concerns_both(clinic_engine):
    reply = clinic_engine.ask("is it safe and can I get it while pregnant")
    assert reply.type == "handoff" and "non-invasive" not in reply.answer


def test_questions_are_split_only_where_a_new_one_opens():
    assert questions("what is dry needling and is it safe?") == ["what is dry needling", "is it safe"]
    assert questions("Ever had a knot that won't go away? Mine is in my shoulder. Can needling help?") == []
    assert questions("does needling help neck and shoulder pain?") == []


def test_one_clear_entry_is_answered_alone(clinic_engine):
    reply = clinic_engine.ask("will I be sore after dry needling?")
    assert "24 to 48 hours" in reply.answer and "\n\n" not in reply.answer


def test_the_asking_sentence_alone_raises_only_what_the_whole_message_supports(clinic_engine):
    assert_answers(clinic_engine, "My physio did needling on my shoulder and my muscle jumped a few times. "
                                  "Why does that happen?", "twitch")


def test_a_question_about_that_asks_about_what_the_message_told(clinic_engine):
    assert_answers(clinic_engine, "I had my first treatment two days ago and my back is still a little sore. "
                                  "How long does that usually last?", "24 to 48 hours")
    assert_answers(clinic_engine, "During my needling session my calf twitched so hard it scared me. "
                                  "Is that supposed to happen?", "twitch")


def test_an_asking_sentence_that_names_something_is_asked_alone(clinic_engine):
    assert_answers(clinic_engine, "My physio wants to use dry needling on my calf next session. I've never had it done. "
                                  "Is it going to be painful?", "mild discomfort")


def test_a_very_close_asking_sentence_needs_no_support_from_the_context(clinic_engine):
    assert_answers(clinic_engine, "I'm considering dry needling for my lower back. Is it safe? "
                                  "I've never had it done.", "safe")
    assert_answers(clinic_engine, "My mother is 70 and has had back pain for decades. She's nervous about trying "
                                  "something new. Is dry needling considered safe?", "safe")


def test_a_question_about_that_is_a_question_about_the_visitors_own_health_when_that_is_what_was_told(clinic_engine):
    for message in ["it's been a week and i'm still sore, is that normal",
                    "the needling hasn't really done anything for my back, is that normal?"]:
        assert clinic_engine.ask(message).matched == "handoff/personal-medical"
    assert_answers(clinic_engine, "I had my first treatment two days ago and my back is still a little sore. "
                                  "Is that normal?", "soreness")
    assert_answers(clinic_engine, "Went for needling on Tuesday and my shoulder has been a bit achy since, it's "
                                  "Thursday now. Should I be worried?", "24 to 48 hours")


def test_a_sentence_comparing_with_what_the_message_told_needs_its_support(clinic_engine):
    assert_answers(clinic_engine, "My only experience with needles is blood tests and vaccines, and those needles "
                                  "look pretty big. Are dry needling needles like that, or different?", "thin")


@pytest.mark.parametrize("message, entry", [
    ("my physio suggested dry needling for my back, what is it exactly?", "faq/what-is-dry-needling"),
    ("So my physio found a bunch of trigger points in my upper traps and said they're why my shoulders feel "
     "like concrete. What does that actually mean?", "faq/trigger-points"),
    ("who is doing this treatment", "faq/who-performs"),
    ("who's going to be doing the needling?", "faq/who-performs"),
    ("which staff member does dry needling", "faq/who-performs"),
    ("my chiropractor offered to do dry needling on me but I've also heard physios do it. at your clinic who "
     "actually does it?", "faq/who-performs"),
    ("never heard of dry needling before, explain?", "faq/what-is-dry-needling"),
    ("my physiotherapist wants to do dry needling but I'm not sure what it actually does to the muscle, can you "
     "explain?", "faq/how-it-works"),
])
def test_asking_what_something_is_or_who_does_it_takes_an_entry_of_that_kind(clinic_engine, message, entry):
    assert clinic_engine.ask(message).matched == entry


def test_a_bare_asking_sentence_leaves_the_topic_to_the_context(clinic_engine):
    assert_answers(clinic_engine, "I have fibromyalgia and everything aches. Would dry needling help at all?",
                   "fibromyalgia")


def test_asking_sentence_is_the_last_question():
    assert asking_sentence("My back is tight. Does it hurt? Thanks.") == "Does it hurt?"
    assert asking_sentence("my back is tight. it hurts") == "it hurts"
    assert asking_sentence("it feels worse?? how long will this last") == "how long will this last"


def test_asking_clause_starts_where_the_question_opens():
    assert asking_clause("I'm booked in on Thursday, what will happen?") == "what will happen?"
    assert asking_clause("My neck, shoulders and back are tight") == "My neck, shoulders and back are tight"
    assert asking_clause("I have a wedding Saturday, if I get needled Thursday will I be sore?") == "will i be sore"
    assert asking_clause("at your clinic who actually does it?") == "who actually does it"


def test_a_day_something_should_be_over_by_is_no_request(clinic_engine):
    assert_answers(clinic_engine, "Had needling on my back this morning and it feels like a hard workout. "
                                  "Is that normal soreness and will it be gone by the weekend?", "24 to 48 hours")


def test_that_kind_of_pain_is_the_pain_the_message_told_of(clinic_engine):
    reply = clinic_engine.ask("I'm a hairstylist with my arms up all day, my neck gets so tight I get headaches. "
                              "Can dry needling help with that kind of pain?")
    assert reply.matched == "faq/headaches-neck"


def test_a_day_in_the_context_is_no_request(clinic_engine):
    assert clinic_engine.ask("I have a wedding on Saturday, if I get dry needling Thursday will I still be sore?"
                             ).type == "answer"
    assert clinic_engine.ask("I'm free Saturday, can I book then?").type == "handoff"
    assert clinic_engine.ask("i'm worried about feeling sore for my game on saturday").type == "answer"


def test_a_close_hand_off_topic_wins_unless_the_answer_has_more_of_the_question(clinic_engine):
    assert_answers(clinic_engine, "My physio wants to try needling next visit. What should I expect during the "
                                  "appointment?", "assessment")
    assert clinic_engine.ask("how long does a dry needling session last").type == "handoff"
    assert clinic_engine.ask("how do I make an appointment").type == "handoff"


def test_a_slip_of_a_common_word_is_read_as_that_word_but_a_rare_term_stays_a_topic():
    assert meant("tomorow", english_frequency("tomorow")) == "tomorrow"
    assert meant("statins", english_frequency("statins")) is None
    assert meant("sciatica", english_frequency("sciatica")) is None


def test_an_inflected_everyday_word_is_no_rare_topic():
    assert english_frequency("swears") > english_frequency("shingles")
    assert english_frequency("warfarin") < 3.5
    assert english_frequency("nodded") == english_frequency("nod")


def test_emergency_comes_before_anything_else(tiny_engine):
    reply = tiny_engine.ask("hi, does needling hurt? I have chest pain right now")
    assert reply.type == "emergency"
    assert "911" in reply.answer


def test_a_suicide_crisis_gets_the_crisis_line(tiny_engine):
    reply = tiny_engine.ask("I want to kill myself")
    assert reply.type == "emergency"
    assert "9-8-8" in reply.answer


def test_chest_alone_is_not_an_emergency(tiny_engine):
    assert tiny_engine.ask("does needling help chest muscles pain?").type != "emergency"


def test_small_talk_only_when_it_is_the_whole_message(tiny_engine):
    assert tiny_engine.ask("Hello!").type == "smalltalk"
    assert tiny_engine.ask("hello, does needling hurt?").type == "answer"


@pytest.mark.parametrize("message", ["hello bot", "hi again", "thank you, that's really helpful",
                                     "lol ok", "are you a person or a bot", "thank you kindly", "hi, I'm Anna"])
def test_filler_words_do_not_turn_small_talk_into_a_question(clinic_engine, message):
    assert clinic_engine.ask(message).type == "smalltalk"


@pytest.mark.parametrize("message", ["thanks, sciatica?", "hi, what is it?", "hello, my knee?"])
def test_a_word_that_names_something_beside_small_talk_is_a_question(clinic_engine, message):
    assert clinic_engine.ask(message).type != "smalltalk"


@pytest.mark.parametrize("message, intent", [("just browsing", "browsing"), ("testing 123", "browsing"),
                                             ("oops, wrong chat", "apology"), ("you guys are great", "compliment"),
                                             ("tell me a joke", "chitchat"), ("merci beaucoup", "thanks"),
                                             ("hello, is this the physio clinic chat?", "identity"),
                                             ("r u a bot lol", "identity"), ("ok thanks, bye", "goodbye")])
def test_chat_that_asks_nothing_gets_a_friendly_reply_and_an_invitation(clinic_engine, message, intent):
    assert clinic_engine.ask(message).matched == f"smalltalk/{intent}"


@pytest.mark.parametrize("message, intent", [("👍", "acknowledgement"), ("thank you 🙏", "thanks"),
                                             ("that wasn't helpful", "complaint"), ("nevermind", "goodbye"),
                                             ("lol", "acknowledgement"), ("great info, thank you!", "thanks"),
                                             ("??", "question"), ("hmm", "question")])
def test_an_emoji_a_complaint_or_a_change_of_mind_is_small_talk(clinic_engine, message, intent):
    assert clinic_engine.ask(message).matched == f"smalltalk/{intent}"


@pytest.mark.parametrize("message", ["I got a headache after dry needling, is that normal?",
                                     "my skin is red where the needles went in",
                                     "I had needling yesterday and now I feel dizzy"])
def test_a_reaction_the_articles_never_describe_hands_off_even_if_they_use_the_word(clinic_engine, message):
    assert clinic_engine.ask(message).type == "handoff"


def test_a_condition_treated_is_no_reaction(clinic_engine):
    assert clinic_engine.ask("I get headaches from tight shoulders, can needling help?").type == "answer"


def test_treatment_that_did_not_help_the_visitor_is_for_the_physio(clinic_engine):
    assert clinic_engine.ask("dry needling wasn't helpful for me").type == "handoff"
    assert clinic_engine.ask("I've had 3 sessions and it hasn't helped, should I keep going?").type == "handoff"


def test_filler_words_around_a_question_are_dropped(clinic_engine):
    assert_answers(clinic_engine, "hey bot, so does dry needling hurt? thanks lol", "mild discomfort")


@pytest.mark.parametrize("message", ["can dry needling give you a stroke",
                                     "what are the chances of a pneumothorax from needling",
                                     "has anyone ever passed out during dry needling",
                                     "can it help after a stroke"])
def test_asking_about_a_risk_is_no_emergency(clinic_engine, message):
    assert clinic_engine.ask(message).type == "handoff"


@pytest.mark.parametrize("message", ["i've made my final arrangements", "i wont be needing my things much longer",
                                     "tonight i finally get to rest for good", "i'm going to be with grandpa soon"])
def test_an_emergency_no_pattern_foresees_is_caught_by_the_second_look(clinic_engine, message):
    reply = clinic_engine.ask(message)
    assert reply.type == "emergency" and reply.reason == "an emergency in other words" and "9-8-8" in reply.answer


@pytest.mark.parametrize("message", ["i'm really scared it will hurt", "i just want to be pain free again",
                                     "i'm so stressed i can't sleep", "i'm sick of hurting every day",
                                     "i feel useless because of my injury", "i'm not ready for this",
                                     "i just want it to stop hurting", "i'm so scared i'm shaking",
                                     "what if i stop breathing during the session?"])
def test_an_anxious_or_fed_up_visitor_is_not_sent_to_a_crisis_line(clinic_engine, message):
    assert clinic_engine.ask(message).type != "emergency"


@pytest.mark.parametrize("message", ["i just got out of my appointment and my leg feels heavy and a bit sore",
                                     "my shoulder feels heavy and tired", "my hip feels heavy after the needles"])
def test_a_heavy_tired_limb_is_no_emergency_but_with_a_red_flag_beside_it_is(clinic_engine, message):
    assert clinic_engine.ask(message).type != "emergency"
    assert clinic_engine.ask(message + " and my face is drooping on one side").type == "emergency"


def test_without_examples_there_is_no_second_look(tiny_engine):
    assert tiny_engine.alarm is None


def test_a_rare_real_word_is_not_mended_into_a_red_flag(clinic_engine):
    assert clinic_engine.ask("do you offer physiotherapy for concussions").type == "handoff"


@pytest.mark.parametrize("message", ["having a heart atack", "i think im having a strok", "chest pian and cant breath",
                                     # words the articles never use are mended toward the red flags' own
                                     "i want to kil myself", "severe alergic reaction", "im suicidel",
                                     "face droping on one side", "shortnes of breath after neeedling"])
def test_a_misspelt_emergency_is_caught_once_the_spelling_is_mended(clinic_engine, message):
    assert clinic_engine.ask(message).type == "emergency"


def test_feeling_run_over_is_soreness_but_being_run_over_is_an_emergency(clinic_engine):
    assert clinic_engine.ask("i feel like i got hit by a bus, is that normal after needling").type == "answer"
    assert clinic_engine.ask("my son was hit by a car").type == "emergency"


def test_tired_of_living_with_pain_is_no_crisis_but_tired_of_living_is(clinic_engine):
    assert clinic_engine.ask("I'm tired of living with back pain, can you help").type != "emergency"
    assert clinic_engine.ask("I'm tired of living").type == "emergency"
    assert clinic_engine.ask("I don't want to keep going to physio, is needling an alternative?").type != "emergency"
    assert clinic_engine.ask("I don't want to keep going").type == "emergency"


def test_breathlessness_on_effort_is_no_emergency_unless_it_began_after_needling(clinic_engine):
    assert clinic_engine.ask("I'm short of breath when I climb stairs, can needling help?").type == "handoff"
    assert clinic_engine.ask("I get out of breath when I climb stairs since my session yesterday").type == "emergency"
    assert clinic_engine.ask("im out of breath since the needling").type == "emergency"


def test_a_child_who_swallowed_medicine_gets_911_not_the_crisis_line(clinic_engine):
    reply = clinic_engine.ask("my son swallowed a bottle of tylenol")
    assert reply.type == "emergency" and reply.matched == "emergency/medical"


def test_an_injury_told_as_hurting_oneself_is_no_crisis(clinic_engine):
    assert clinic_engine.ask("can it speed up healing after I hurt myself playing hockey?").type != "emergency"
    assert clinic_engine.ask("I'm going to hurt myself tonight").type == "emergency"
    assert clinic_engine.ask("I keep hurting myself on purpose").type == "emergency"


@pytest.mark.parametrize("message", ["my dad collapsed, can that cause a stroke?",
                                     "can you help me i think i'm having a stroke",
                                     "it hurts to breathe since the needling near my ribs",
                                     "the bleeding where the needle went in won't stop, it's soaking through"])
def test_a_reported_emergency_is_caught_even_beside_a_question_about_risk(clinic_engine, message):
    assert clinic_engine.ask(message).type == "emergency"


@pytest.mark.parametrize("message", ["can I email the physio my questions about dry needling?",
                                     "how can I reach the physiotherapist who does dry needling",
                                     "do you have dry needling availability in the evening"])
def test_asking_to_book_or_contact_hands_off_whatever_else_the_message_says(clinic_engine, message):
    reply = clinic_engine.ask(message)
    assert reply.type == "handoff" and reply.matched in {"handoff/booking", "handoff/contact"}


@pytest.mark.parametrize("message", ["I'm budgeting for this. How much is each dry needling visit?",
                                     "do you offer treatment packages?"])
def test_asking_for_a_price_hands_off_whatever_the_visit_is_called(clinic_engine, message):
    reply = clinic_engine.ask(message)
    assert reply.type == "handoff" and reply.matched == "handoff/price"


def test_a_booking_word_outside_the_asking_part_is_context(clinic_engine):
    assert_answers(clinic_engine, "I'm booked in for Thursday, what will happen during the session?", "assessment")


def test_a_known_gap_topic_hands_off_with_its_own_reply(tiny_engine):
    reply = tiny_engine.ask("how much does needling cost?")
    assert reply.type == "handoff"
    assert reply.answer == "I don't have prices. Call 555-010-0000 or email hello@test.example."


def test_a_question_word_the_knowledge_never_mentions_hands_off(tiny_engine):
    reply = tiny_engine.ask("can I have needling while pregnant?")
    assert reply.type == "handoff"
    assert "pregnant" in reply.reason
    assert "555-010-0000" in reply.answer and "hello@test.example" in reply.answer


def test_below_the_threshold_the_bot_hands_off(tiny_knowledge):
    knowledge = load_knowledge(tiny_knowledge)
    lenient = Engine(knowledge, Settings(answer_threshold=0.0))
    strict = Engine(knowledge, Settings(answer_threshold=0.99))
    assert lenient.ask("needling muscle").type == "answer"
    assert strict.ask("needling muscle").type == "handoff"


def test_handoff_always_carries_phone_and_email_even_if_staff_forgot_them(tmp_path):
    from conftest import write_knowledge
    folder = write_knowledge(tmp_path / "k", {"handoff.yml": "fallback: Sorry, I can't answer.\n"})
    reply = Engine.from_folder(folder).ask("what about the weather on mars")
    assert reply.type == "handoff"
    assert "555-010-0000" in reply.answer and "hello@test.example" in reply.answer


@pytest.mark.parametrize("message", ["", "   ", "?!?", "🙂🙂", "\u202eمرحبا", "a" * 5000, "'; DROP TABLE x; --"])
def test_any_string_gets_a_valid_reply(tiny_engine, message):
    assert tiny_engine.ask(message).type in REPLY_TYPES
