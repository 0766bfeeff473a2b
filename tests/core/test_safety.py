"""Risk recall on varied phrasings, negation, history, qualifiers; alliance signals."""
from __future__ import annotations

import pytest

from core.notes.safety import RISK_KINDS, detect_alliance, detect_risks
from core.language.text import clean_sentences

# (sentence, kind that must be flagged "present"). Invented clinical phrasings, many euphemisms.
POSITIVES: list[tuple[str, str]] = [
    ("She said she wishes she could go to sleep and not wake up.", "passive_ideation"),
    ("He's been thinking about ending it.", "active_ideation"),
    ("She told me, I just want to kill myself.", "active_ideation"),
    ("He doesn't see the point in living anymore.", "passive_ideation"),
    ("Sometimes thinks everyone would be better off without him.", "passive_ideation"),
    ("She reported passive SI this week.", "passive_ideation"),
    ("Endorsed suicidal ideation with a plan to overdose.", "active_ideation"),
    ("He has been having suicidal thoughts most nights.", "active_ideation"),
    ("She said life isn't worth living since the divorce.", "passive_ideation"),
    ("He feels like a burden to his family.", "passive_ideation"),
    ("She said she can't go on like this.", "passive_ideation"),
    ("He wants to die.", "passive_ideation"),
    ("She said she has nothing to live for.", "passive_ideation"),
    ("He has no reason to live now that his wife is gone.", "passive_ideation"),
    ("She wishes she were dead.", "passive_ideation"),
    ("He doesn't want to be alive anymore.", "passive_ideation"),
    ("She's tired of living.", "passive_ideation"),
    ("He has thought about jumping off the bridge near his office.", "active_ideation"),
    ("She mentioned stepping in front of a train.", "active_ideation"),
    ("He has been researching ways to die online.", "preparatory_behaviour"),
    ("She wrote a goodbye letter to her sister.", "preparatory_behaviour"),
    ("He's been giving away his things, including his guitar.", "preparatory_behaviour"),
    ("She said no one would care if she died.", "passive_ideation"),
    ("He said he won't be around much longer.", "passive_ideation"),
    ("She wants it all to stop.", "passive_ideation"),
    ("He's had thoughts of dying every day.", "passive_ideation"),
    ("She said she'd rather be dead than go back to him.", "passive_ideation"),
    ("He talked about wanting to disappear forever.", "passive_ideation"),
    ("She thought about taking all of her sleeping pills.", "active_ideation"),
    ("He said he wants to end his life.", "active_ideation"),
    ("She's been thinking she might hang herself.", "active_ideation"),
    ("He said what's the point of living.", "passive_ideation"),
    ("She said she wanted to unalive herself.", "active_ideation"),
    ("He thought about driving his car off the road.", "active_ideation"),
    ("She hopes she doesn't wake up in the morning.", "passive_ideation"),
    ("He attempted suicide last weekend.", "suicide_attempt"),
    ("She tried to kill herself on Saturday.", "suicide_attempt"),
    ("She has been cutting again.", "self_harm"),
    ("He's been burning himself with a lighter.", "self_harm"),
    ("She admitted to self-harm over the weekend.", "self_harm"),
    ("He hits himself when he gets frustrated.", "self_harm"),
    ("She has fresh cuts on her forearm.", "self_harm"),
    ("She has been scratching herself until she bleeds.", "self_harm"),
    ("He has urges to cut.", "self_harm"),
    ("She bangs her head against the wall when overwhelmed.", "self_harm"),
    ("He wants to hurt his stepfather.", "harm_to_others"),
    ("He said he is going to kill his neighbour.", "harm_to_others"),
    ("She has fantasies about stabbing her ex.", "harm_to_others"),
    ("He reported homicidal ideation toward his boss.", "harm_to_others"),
    ("He threatened to shoot his coworker.", "harm_to_others"),
    ("He bought a gun last week.", "access_to_means"),
    ("She's been stockpiling pills.", "access_to_means"),
    ("He has access to firearms at home.", "access_to_means"),
    ("She has been saving up her pills.", "access_to_means"),
    ("Her partner shoves her when he drinks.", "abuse"),
    ("Her husband hits her.", "abuse"),
    ("She is afraid of her partner.", "abuse"),
    ("Her stepfather beat her brother last night.", "abuse"),
    ("She disclosed that her uncle sexually abused her.", "abuse"),
    ("He said his father hits the kids.", "abuse"),
    ("Her son is taking his grandmother's money.", "abuse"),
    ("She described domestic violence at home.", "abuse"),
    ("He left the kids home alone overnight.", "abuse"),
    ("She came in with bruises on her arms.", "abuse"),
    ("Her boyfriend won't let her see her friends.", "abuse"),
    ("He relapsed on Friday.", "substance_risk"),
    ("She's been drinking heavily since the layoff.", "substance_risk"),
    ("He overdosed in March and was given Narcan.", "substance_risk"),
    ("She has been using heroin again.", "substance_risk"),
    ("He drinks a bottle of vodka a night.", "substance_risk"),
    ("She blacked out twice this week.", "substance_risk"),
    ("He's drinking five or six beers a night.", "substance_risk"),
    ("She drove drunk on Saturday.", "substance_risk"),
    ("He's hearing voices telling him to hurt people.", "psychosis"),
    ("She hears voices at night.", "psychosis"),
    ("He thinks the neighbours are watching him.", "psychosis"),
    ("She is seeing things that aren't there.", "psychosis"),
    ("He has been paranoid that his coworkers are poisoning his coffee.", "psychosis"),
    ("She has been purging after dinner.", "eating_disorder"),
    ("She makes herself throw up after meals.", "eating_disorder"),
    ("He is restricting his food intake to 500 calories.", "eating_disorder"),
    ("She's been using laxatives to lose weight.", "eating_disorder"),
    ("She fainted at work on Tuesday.", "medical"),
    ("He stopped taking his lithium two weeks ago.", "medical"),
    ("He hasn't slept in three days and feels invincible.", "mania"),
]

# A second list, written after the patterns, as a check that they generalise.
MORE_POSITIVES: list[tuple[str, str]] = [
    ("She admitted she's been having thoughts of suicide.", "active_ideation"),
    ("Client reports SI without plan.", "active_ideation"),
    ("He endorsed a passive death wish.", "passive_ideation"),
    ("She said sometimes she wishes she wouldn't wake up.", "passive_ideation"),
    ("He's been feeling like everyone would be better off if he wasn't here.", "passive_ideation"),
    ("He said he's thought about overdosing on his meds.", "active_ideation"),
    ("She thinks about dying a lot.", "passive_ideation"),
    ("He's thought about crashing his car.", "active_ideation"),
    ("She said she wants to go to sleep forever.", "passive_ideation"),
    ("He said he's done with life.", "passive_ideation"),
    ("She said she wants to join her late husband.", "passive_ideation"),
    ("He said it would be easier if he just wasn't here.", "passive_ideation"),
    ("She says she is not sure she wants to live.", "passive_ideation"),
    ("She said she isn't suicidal but sometimes wishes she could disappear.", "passive_ideation"),
    ("i just dont want to be here anymore", "passive_ideation"),
    ("he said hes been thinking of killing himself", "active_ideation"),
    ("she took a bunch of pills last night", "suicide_attempt"),
    ("He said he's planning to end it after his daughter's wedding.", "active_ideation"),
    ("She said there's no way out and she wants to end it.", "active_ideation"),
    ("He said he'd be better off dead.", "passive_ideation"),
    ("She said her kids would be better off with her gone.", "passive_ideation"),
    ("She wants to stop existing.", "passive_ideation"),
    ("She's been having urges to hurt herself.", "self_harm"),
    ("She has been cutting her thighs.", "self_harm"),
    ("He has been self harming.", "self_harm"),
    ("She burned her arm with a cigarette on purpose.", "self_harm"),
    ("He said if his ex takes the kids he'll kill her.", "harm_to_others"),
    ("He said he's going to make his father pay.", "harm_to_others"),
    ("She mentioned wanting to hurt the baby.", "harm_to_others"),
    ("He has thoughts of harming his children.", "harm_to_others"),
    ("He keeps imagining strangling his boss.", "harm_to_others"),
    ("He keeps a loaded gun in his nightstand.", "access_to_means"),
    ("She's scared her husband will hurt her.", "abuse"),
    ("Her boyfriend strangled her last month.", "abuse"),
    ("He's been touching his younger sister inappropriately.", "abuse"),
    ("Her ex keeps following her home from work.", "abuse"),
    ("Her husband threatened to kill her if she leaves.", "abuse"),
    ("He said he's been snorting coke on weekends.", "substance_risk"),
    ("She has been taking more Xanax than prescribed.", "substance_risk"),
    ("He used meth over the weekend.", "substance_risk"),
    ("She's drinking a lot more since her mom died.", "substance_risk"),
    ("He's back to using.", "substance_risk"),
    ("He thinks the TV is sending him messages.", "psychosis"),
    ("She's hearing her dead mother's voice telling her to join her.", "psychosis"),
    ("He said the voices are back.", "psychosis"),
    ("He's been vomiting after meals on purpose.", "eating_disorder"),
    ("She's been binge eating and then purging.", "eating_disorder"),
    ("She has lost twenty pounds by skipping meals.", "eating_disorder"),
    ("He hasn't eaten in four days.", "medical"),
    ("She could not guarantee her safety tonight.", "active_ideation"),
    ("He was unable to commit to safety.", "active_ideation"),
    ("She has access to her mother's medications.", "access_to_means"),
    ("He pushed her into the wall.", "abuse"),
    ("He locked her in the bathroom.", "abuse"),
    ("He pushes her around.", "abuse"),
    ("Her ex beat her up in front of the kids.", "abuse"),
]

DENIALS: list[tuple[str, str]] = [
    ("She denies suicidal ideation.", "active_ideation"),
    ("No SI or HI.", "active_ideation"),
    ("Denies SI, HI, and AVH.", "psychosis"),
    ("She has no thoughts of harming herself.", "self_harm"),
    ("He denied any thoughts of hurting others.", "harm_to_others"),
    ("Denies current suicidal thoughts.", "active_ideation"),
    ("SI: none.", "active_ideation"),
    ("Suicidal ideation was denied.", "active_ideation"),
    ("He is not suicidal.", "active_ideation"),
    ("She is not currently suicidal.", "active_ideation"),
    ("She denies self-harm.", "self_harm"),
    ("No self-harm since our last session.", "self_harm"),
    ("He has never attempted suicide.", "suicide_attempt"),
    ("Negative for homicidal ideation.", "harm_to_others"),
    ("She doesn't want to die.", "passive_ideation"),
    ("No access to firearms.", "access_to_means"),
    ("Denies hearing voices.", "psychosis"),
    ("No history of self-harm.", "self_harm"),
    ("He says he would never kill himself because of his kids.", "active_ideation"),
    ("SI/HI denied.", "harm_to_others"),
    ("She denied purging.", "eating_disorder"),
    ("Denies abuse at home.", "abuse"),
    ("No relapse this month.", "substance_risk"),
    ("He denies thoughts of killing himself.", "active_ideation"),
]

UNRELATED = [
    "She's killing it at work.",
    "This traffic is killing me.",
    "She's dying to see the new movie.",
    "He said he could kill for a coffee.",
    "My feet are killing me after the hike.",
    "She was bored to death at the conference.",
    "He cut back on sugar and caffeine.",
    "She is cutting down on her drinking.",
    "He cut his hair short.",
    "She started cutting class less often.",
    "He doesn't want to hurt her feelings.",
    "She heard raised voices next door and felt anxious.",
    "He's been drinking more water.",
    "She ended things with her boyfriend.",
    "Her boss pushed her to apply for the promotion.",
    "The news really hit her hard.",
    "She shot down his idea.",
    "He wants to kill time before his flight.",
    "She's been burned out at work.",
    "He was dead tired after the night shift.",
    "She worries she will die of embarrassment at the wedding.",
    "Her mother pushes her buttons.",
    "We reviewed her treatment plan.",
    "She feels hopeful about the new job.",
    "He was laughing so hard he almost died.",
    "She appeared well groomed and alert.",
    "Her PHQ-9 was 12.",
    "He wants to end the session early next week because of a conflict.",
    "She can't stop thinking about the exam.",
    "He is going to kill it in the interview.",
    "She beat her sister at chess.",
    "The kids were fighting and she hit her limit.",
    "She shook her head.",
    "She bit her lip when I asked.",
    "He beat his personal record in the marathon.",
    "She felt like a burden was lifted after the call.",
    "She's been hitting the gym three times a week.",
    "She cut her hours at work.",
    "Her mom pushed her into applying for college.",
    "We talked about ending therapy in the spring.",
]


def _kinds(flags, status="present"):
    return {f.kind for f in flags if f.status == status}


def test_positive_recall_is_total():
    assert len(POSITIVES) >= 60
    assert {kind for _, kind in POSITIVES} >= {
        "passive_ideation", "active_ideation", "preparatory_behaviour", "suicide_attempt", "self_harm", "harm_to_others", "abuse", "substance_risk", "psychosis", "eating_disorder",
    }
    missed = [(s, kind) for s, kind in POSITIVES if kind not in _kinds(detect_risks([s]))]
    recall = 1 - len(missed) / len(POSITIVES)
    assert not missed, f"recall {recall:.1%}, missed: {missed}"


def test_second_list_recall_is_total():
    missed = [(s, kind) for s, kind in MORE_POSITIVES if kind not in _kinds(detect_risks([s]))]
    assert not missed, missed


def test_positives_survive_transcription_style():
    """Lower case, no final punctuation, fillers: as a tiny Whisper model might print them."""
    for sentence, kind in POSITIVES + MORE_POSITIVES:
        messy = "um so " + sentence.lower().rstrip(".") + " you know"
        flags = detect_risks(clean_sentences(messy))
        assert kind in _kinds(flags), messy


def test_denials_are_reported_as_screening_results_not_dropped():
    assert len(DENIALS) >= 20
    for sentence, kind in DENIALS:
        flags = detect_risks([sentence])
        assert not _kinds(flags), (sentence, flags)
        assert kind in _kinds(flags, "denied"), (sentence, flags)


def test_unrelated_sentences_raise_nothing():
    assert len(UNRELATED) >= 25
    for sentence in UNRELATED:
        assert not _kinds(detect_risks([sentence])), (sentence, detect_risks([sentence]))


def test_negative_set_has_at_least_thirty_sentences_with_no_present_flag():
    negatives = [s for s, _ in DENIALS] + UNRELATED
    assert len(negatives) >= 30
    assert all(not _kinds(detect_risks([s])) for s in negatives)


def test_passive_ideation_with_qualifiers():
    sentence = "Sometimes thinks everyone would be better off without him, no plan, no intent."
    [flag] = detect_risks([sentence])
    assert flag.kind == "passive_ideation" and flag.status == "present"
    assert {"passive", "no plan", "no intent"} <= set(flag.qualifiers)
    assert flag.evidence == sentence


def test_qualifiers_from_a_short_following_sentence():
    flags = detect_risks(["She has had passive thoughts of death this week.", "No plan or intent."])
    [flag] = [f for f in flags if f.kind == "passive_ideation"]
    assert {"passive", "no plan", "no intent"} <= set(flag.qualifiers)
    assert flag.evidence == "She has had passive thoughts of death this week."


def test_plan_means_and_intent():
    [flag] = [f for f in detect_risks(["He has a plan to shoot himself and bought a gun, and says he intends to do it."])
              if f.kind == "active_ideation"]
    assert {"method", "plan", "intent"} <= set(flag.qualifiers)
    assert "access_to_means" in _kinds(detect_risks(["He has a plan to shoot himself and bought a gun."]))


def test_denial_and_present_in_one_sentence():
    flags = detect_risks(["She denies active SI but reports passive thoughts of not waking up."])
    statuses = {(f.kind, f.status) for f in flags}
    assert ("active_ideation", "denied") in statuses
    assert ("passive_ideation", "present") in statuses
    [present] = [f for f in flags if f.status == "present"]
    assert "passive" in present.qualifiers


def test_historical_versus_current():
    assert _kinds(detect_risks(["She attempted suicide in 2019."]), "historical") == {"suicide_attempt"}
    assert _kinds(detect_risks(["He has a history of cutting as a teenager."]), "historical") == {"self_harm"}
    assert "self_harm" in _kinds(detect_risks(["She has a history of cutting and has been cutting again this week."]))
    assert "suicide_attempt" in _kinds(detect_risks(["He attempted suicide yesterday."]))


def test_past_behaviour_is_historical_not_denied():
    assert _kinds(detect_risks(["Her dad used to beat her."]), "historical") == {"abuse"}
    assert _kinds(detect_risks(["She hasn't cut in three months."]), "historical") == {"self_harm"}
    assert _kinds(detect_risks(["I haven't hurt myself in quite a while."]), "historical") == {"self_harm"}
    assert _kinds(detect_risks(["She has a history of cutting as a teenager, none recently."]), "historical") == {"self_harm"}


def test_no_plan_to_kill_is_still_ideation():
    assert "active_ideation" in _kinds(detect_risks(["She has thoughts of suicide but no plan to kill herself."]))


def test_therapist_question_is_not_a_finding_but_the_answer_is():
    assert not detect_risks(["Have you had any thoughts of killing yourself?"])
    assert "active_ideation" in _kinds(detect_risks(["Yeah, sometimes I think about killing myself."]))


def test_someone_elses_suicide_is_exposure():
    for sentence in ["Her best friend died by suicide in March.", "She talked about her father's suicide.",
                     "His brother killed himself two years ago."]:
        assert {f.kind for f in detect_risks([sentence])} == {"suicide_exposure"}, sentence


def test_abuse_qualifiers():
    [flag] = detect_risks(["Her partner shoves her when he drinks."])
    assert "domestic violence" in flag.qualifiers
    [flag] = [f for f in detect_risks(["He said his father hits the kids."]) if f.kind == "abuse"]
    assert "child" in flag.qualifiers


def test_command_hallucinations():
    [flag] = [f for f in detect_risks(["He's hearing voices telling him to hurt people."]) if f.kind == "psychosis"]
    assert "command hallucinations" in flag.qualifiers


def test_every_kind_is_known():
    flags = detect_risks([s for s, _ in POSITIVES + DENIALS])
    assert {f.kind for f in flags} <= set(RISK_KINDS)


ALLIANCE = [
    ("She seemed irritated with me when I brought up her drinking.", "rupture"),
    ("He said therapy isn't helping.", "rupture"),
    ("She walked out ten minutes before the end.", "rupture"),
    ("He cancelled last week's session without notice.", "rupture"),
    ("She missed two sessions in a row.", "rupture"),
    ("He was annoyed with me for being late.", "rupture"),
    ("She is thinking about stopping therapy.", "rupture"),
    ("We talked it through and she felt heard.", "repair"),
    ("I apologized for cutting her off.", "repair"),
    ("We came back to it at the end and it felt repaired.", "repair"),
    ("Part of me wants to quit drinking, but it's how I relax.", "ambivalence"),
    ("He's not sure he wants to change anything yet.", "ambivalence"),
    ("She's on the fence about the medication.", "ambivalence"),
    ("He has mixed feelings about leaving his job.", "ambivalence"),
    ("She refused to fill out the worksheet.", "resistance"),
    ("He didn't do the homework again.", "resistance"),
    ("She pushed back on the idea of exposure work.", "resistance"),
    ("Yes, but that won't work for me.", "resistance"),
]


@pytest.mark.parametrize("sentence,kind", ALLIANCE)
def test_alliance_signals(sentence, kind):
    flags = detect_alliance([sentence])
    assert kind in {f.kind for f in flags}, flags
    assert all(f.evidence == sentence for f in flags)


@pytest.mark.parametrize("sentence", [
    "Tom seemed withdrawn and said therapy feels pointless.", "She said these sessions are a waste of time.",
    "She thinks counselling is pointless.", "He said talking about it won't change anything.",
    "He said he might stop coming.", "She said therapy is a waste of money.", "He said coming here is going nowhere.",
    "he said the sessions are kind of pointless", "She said therapy won't fix anything.",
])
def test_therapy_called_worthless_is_a_rupture(sentence):
    assert "rupture" in {f.kind for f in detect_alliance([sentence])}


def test_alliance_negations_and_unrelated():
    for sentence in ["She has not missed any sessions.", "He never pushed back.", "She wasn't annoyed with me at all.",
                     "We worked on her budget.", "She missed her flight to Denver.", "She feels her job is pointless.",
                     "Talking to her mother is pointless, she said.", "He said therapy is not pointless any more.",
                     "He might stop coming home late.", "The diet feels pointless to him.",
                     "She does not think therapy is a waste of time."]:
        assert not detect_alliance([sentence]), sentence


def test_a_whole_transcript_string_is_split_first():
    flags = detect_risks("Session with Maya. She has been cutting again. Denies SI.")
    assert {(f.kind, f.status, f.evidence) for f in flags} == {
        ("self_harm", "present", "She has been cutting again."), ("active_ideation", "denied", "Denies SI."),
    }
    assert [f.kind for f in detect_alliance("He said therapy isn't helping. We talked it through.")] == ["rupture", "repair"]


@pytest.mark.parametrize("sentence, flagged", [
    ("He sent his sister a message saying he loved her and was sorry for everything.", True),
    ("he texted his mum saying sorry for everything", True),
    ("She left a voicemail for her dad saying she was sorry for everything and that she loved him.", True),
    ("He sent his wife a message saying sorry for everything he said in the fight.", False),
    ("He wrote to his boss saying he was sorry for everything that went wrong.", False),
    ("She told me she is sorry for everything.", False),
])
def test_a_farewell_message_is_preparatory_behaviour(sentence, flagged):
    present = {(f.kind, f.status) for f in detect_risks([sentence])}
    assert (("preparatory_behaviour", "present") in present) == flagged
