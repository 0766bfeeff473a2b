"""Does the offline writer, client resolution and question answering hold up on memos it was not tuned on?

Invented dictations in many styles (tests/core/generalisation_memos.py), checked for what a therapist would
check: the right client (or a question back, never the wrong client), the session date, risks with their
status and qualifiers, homework (not last week's, not missed), follow-ups, measures, sections, a summary
that is a sentence of the memo, and nothing the memo did not say. Then questions through the real service.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, datetime, timezone

import pytest

from bots.bootstrap import build_assistant
from core.language.client_match import ClientRecord, resolve_client
from core.config import Settings
from core.language.dates import session_date_from
from core.notes.writer import FORMAT_SECTIONS, NOT_DISCUSSED, OfflineNoteWriter, unsupported
from core.language.text import Evidence, normalise
from core.types import NOTE_FORMATS, NoteDraft
from tests.core.generalisation_memos import DATES, HISTORY, MEMOS, ROSTER, SESSION_DATES, TODAY
from tests.core.helpers_schedule import FakeClock
from tests import support

WRITER = OfflineNoteWriter()
CLIENTS = [ClientRecord(i + 1, name, aliases) for i, (name, aliases) in enumerate(ROSTER.items())]
ASK = "ask"  # the memo does not say clearly which client: keep a draft and ask


@dataclass
class Expect:
    client: str  # a roster name, or ASK
    risks: tuple[tuple[str, str, tuple[str, ...]], ...] = ()  # (kind, status, qualifiers that must be there)
    homework: tuple[str, ...] = ()  # words each expected homework item contains
    not_homework: tuple[str, ...] = ()  # words no homework item may contain
    follow_ups: tuple[str, ...] = ()  # words expected in follow-ups or plan
    measures: dict[str, float] = field(default_factory=dict)  # exactly these, no others
    filled: tuple[str, ...] = ()  # SOAP sections that must not say "Not discussed"
    candidates: tuple[str, ...] = ()  # for ASK: who must be offered
    not_present: tuple[str, ...] = ()  # risk kinds that must not be flagged as present


EXPECT: dict[str, Expect] = {
    "shorthand": Expect(
        "Marcus Bell",
        risks=(("passive_ideation", "present", ("passive", "no plan", "no intent")), ("harm_to_others", "denied", ())),
        not_homework=("behavioural activation",), follow_ups=("psychiatrist",), measures={"PHQ-9": 18, "GAD-7": 11},
        filled=("Subjective", "Objective", "Assessment", "Plan"), not_present=("harm_to_others",),
    ),
    "whisper": Expect(
        "Jordan Lee", homework=("time out technique",), follow_ups=("girlfriend",),
        filled=("Subjective", "Objective", "Plan"),
    ),
    "soap_headings": Expect(
        "Priya Shah", homework=("worry postponement",), follow_ups=("worry log",), measures={"GAD-7": 9},
        filled=("Subjective", "Objective", "Assessment", "Plan"),
    ),
    "couples": Expect(
        "Rachel Fischer", homework=("check-in each evening",), follow_ups=("childcare",),
        filled=("Subjective", "Objective", "Plan"),
    ),
    "child": Expect(
        "Chloe Nguyen", homework=("log of the mornings",), follow_ups=("school counsellor",),
        filled=("Subjective", "Objective", "Plan"),
    ),
    "friend_named_like_client": Expect(
        "Maya Thompson", homework=("alternative explanations",), measures={"PHQ-9": 14},
        filled=("Subjective", "Objective", "Plan"),
    ),
    "substance": Expect(
        "Omar Haddad", risks=(("substance_risk", "present", ()), ("active_ideation", "denied", ())),
        homework=("NA meeting",), measures={"AUDIT": 19}, filled=("Subjective", "Objective", "Plan"),
        not_present=("active_ideation", "passive_ideation"),
    ),
    "trauma": Expect(
        "Aisha Mensah", risks=(("abuse", "present", ("domestic violence",)),), follow_ups=("safety plan",),
        measures={"PCL-5": 52}, filled=("Subjective", "Objective", "Plan"),
    ),
    "grief": Expect(
        "Leo Marino",
        risks=(("passive_ideation", "present", ("passive", "no plan", "no intent")), ("access_to_means", "present", ("means",))),
        follow_ups=("safety plan", "anniversary"), filled=("Subjective", "Plan"),
    ),
    "eating_disorder": Expect(
        "Grace Kim",
        risks=(("eating_disorder", "present", ()), ("medical", "present", ()), ("self_harm", "denied", ())),
        follow_ups=("food diary",), filled=("Subjective", "Plan"), not_present=("self_harm",),
    ),
    "psychosis": Expect(
        "Ben Carter",
        risks=(("psychosis", "present", ()), ("medical", "present", ("medication",)), ("active_ideation", "denied", ()),
               ("harm_to_others", "denied", ())),
        follow_ups=("psychiatrist",), filled=("Subjective", "Plan"), not_present=("active_ideation", "passive_ideation", "harm_to_others"),
    ),
    "dv_children": Expect(
        "Elena Vasquez", risks=(("abuse", "present", ("child", "domestic violence")),), follow_ups=("CPS referral",),
        filled=("Subjective", "Objective", "Plan"),
    ),
    "telehealth": Expect(
        "Nora Walsh", homework=("paced breathing",), measures={"GAD-7": 16}, filled=("Subjective", "Objective", "Plan"),
    ),
    "no_show": Expect("Ken Ito", follow_ups=("letter",), filled=("Subjective", "Plan")),
    "nickname": Expect("Daniel Okafor", homework=("call his brother",), filled=("Subjective", "Objective", "Plan")),
    "last_thursday": Expect(
        "Tobias Reinhardt", homework=("break from alcohol",), measures={"GAD-7": 12}, filled=("Subjective", "Objective", "Plan"),
    ),
    "self_correction": Expect("Jordan Lee", measures={"PHQ-9": 9}, follow_ups=("anger plan",), filled=("Subjective", "Plan")),
    "two_sams": Expect(ASK, homework=("pomodoro",), candidates=("Sam Patel", "Sam Rivera"), filled=("Subjective", "Plan")),
    "nobody_named": Expect(
        ASK, risks=(("harm_to_others", "denied", ()),), measures={"EPDS": 15}, filled=("Subjective",),
        not_present=("harm_to_others", "self_harm"),
    ),
    "active_si": Expect(
        "Marcus Bell",
        risks=(("active_ideation", "present", ("plan", "timeframe")), ("access_to_means", "present", ("means",))),
        filled=("Subjective", "Plan"),
    ),
    "historical": Expect(
        "Sam Rivera",
        risks=(("self_harm", "historical", ()), ("suicide_attempt", "historical", ()), ("active_ideation", "denied", ())),
        measures={"PHQ-9": 11}, filled=("Subjective", "Objective", "Assessment"),
        not_present=("self_harm", "suicide_attempt", "active_ideation", "passive_ideation"),
    ),
    "maya_followup": Expect("Maya Thompson", follow_ups=("her father",), measures={"PHQ-9": 10}, filled=("Subjective", "Plan")),
    "indirect_si": Expect(
        "Ken Ito", risks=(("passive_ideation", "present", ("passive", "no plan")),), filled=("Subjective",),
    ),
    "homework_review": Expect(
        "Nora Walsh", homework=("one stop on the train",), not_homework=("didn't do", "reviewed"),
        filled=("Subjective", "Objective", "Plan"),
    ),
    "misheard": Expect("Tobias Reinhardt", filled=("Subjective",)),
}


def write(key: str, fmt: str = "SOAP") -> NoteDraft:
    text = MEMOS[key]
    return WRITER.write(text, note_format=fmt, session_date=session_date_from(text, TODAY) or TODAY, client_name=None)


def test_every_memo_has_expectations():
    assert set(EXPECT) == set(MEMOS)


@pytest.mark.parametrize("key", sorted(MEMOS))
def test_the_memo_is_filed_under_the_right_client_or_asked_about(key):
    expect = EXPECT[key]
    resolution = resolve_client(MEMOS[key], CLIENTS)
    if expect.client == ASK:
        assert resolution.kind in ("ambiguous", "none"), resolution
        assert {c.name for c in resolution.candidates} >= set(expect.candidates)
    else:
        assert resolution.kind == "match", resolution
        assert resolution.client.name == expect.client


@pytest.mark.parametrize("key", sorted(MEMOS))
def test_the_session_date_is_the_one_the_memo_names(key):
    assert (session_date_from(MEMOS[key], TODAY) or TODAY) == DATES.get(key, TODAY)


@pytest.mark.parametrize("key", sorted(MEMOS))
def test_risks_are_flagged_with_status_and_qualifiers(key):
    note = write(key)
    expect = EXPECT[key]
    for kind, status, quals in expect.risks:
        found = [f for f in note.risks if f.kind == kind and f.status == status]
        assert found, f"{kind} {status} missing: {[(f.kind, f.status, f.evidence) for f in note.risks]}"
        assert any(set(quals) <= set(f.qualifiers) for f in found), [f.qualifiers for f in found]
    present = {f.kind for f in note.risks if f.status == "present"}
    assert not present & set(expect.not_present), note.risks
    if not expect.risks:
        assert not [f for f in note.risks if f.status == "present"], note.risks


@pytest.mark.parametrize("key", sorted(MEMOS))
def test_homework_follow_ups_and_measures(key):
    note = write(key)
    expect = EXPECT[key]
    for words in expect.homework:
        assert any(words.lower() in h.lower() for h in note.homework), note.homework
    for words in expect.not_homework:
        assert not any(words.lower() in h.lower() for h in note.homework), note.homework
    later = " ".join([*note.follow_ups, *note.plan]).lower()
    for words in expect.follow_ups:
        assert words.lower() in later, (note.follow_ups, note.plan)
    assert {m.name: m.score for m in note.measures} == expect.measures  # none invented, none missed


@pytest.mark.parametrize("key", sorted(MEMOS))
def test_sections_summary_and_nothing_invented(key):
    text = MEMOS[key]
    evidence = Evidence(text)
    for fmt in NOTE_FORMATS:
        note = write(key, fmt)
        assert unsupported(note, text) == [], fmt
        sections = dict(note.sections)
        assert tuple(sections) == FORMAT_SECTIONS[fmt]
        body = normalise(" ".join(sections.values()))
        for flag in note.risks:  # a risk is in the note's body, not only in a list beside it
            assert normalise(flag.evidence) in body, (fmt, flag.evidence)
        if "Plan" in EXPECT[key].filled:
            assert sections["Plan"] != NOT_DISCUSSED, fmt
        if fmt == "SOAP":
            for name in EXPECT[key].filled:
                assert sections[name] != NOT_DISCUSSED, name
        assert len(note.summary.split()) >= 4 and evidence.supports(note.summary), note.summary


# ---- questions through the service ----------------------------------------------------------------------
NOW = datetime(2026, 11, 24, 15, 0, tzinfo=timezone.utc)


@pytest.fixture(scope="module")
def service(tmp_path_factory):
    import asyncio

    tmp = tmp_path_factory.mktemp("generalisation")
    svc = build_assistant(Settings(data_dir=tmp / "data"), clock=FakeClock(NOW))
    ana, ben = svc.console_sender("Dr Ana Ruiz"), svc.console_sender("Dr Ben Osei")
    ta, tb = svc.therapist_id(ana), svc.therapist_id(ben)
    for name, aliases in ROSTER.items():
        support.add_client(svc, ta, name, aliases)
    support.add_client(svc, tb, "Hannah Cole")

    async def fill():
        await support.typed_note(svc, 
            ben, "Session with Hannah Cole today. She talked about her sister's wedding and her fear of flying.",
            message_id="other",
        )
        notes = {}
        for i, (key, text) in enumerate([*HISTORY.items(), *MEMOS.items()]):
            extra = {"session_date": SESSION_DATES[key]} if key in SESSION_DATES else {}
            reply = await support.typed_note(svc, ana, text, message_id=f"m{i}", **extra)
            notes[key] = reply.note
        return notes

    svc.notes_written = asyncio.run(fill())
    svc.ana = ana
    yield svc
    svc.ctx.uow.engine.dispose()


def ask(service, question):
    return support.answer(service, service.therapist_id(service.ana), question)


def test_notes_through_the_service_are_filed_and_dated(service):
    notes = service.notes_written
    for key, expect in EXPECT.items():
        note = notes[key]
        if expect.client == ASK:
            assert note.needs_client and note.client_id is None, key
        else:
            assert note.client_name == expect.client and not note.needs_client, key
        assert note.session_date == SESSION_DATES.get(key, DATES.get(key, TODAY)), key


# (question, client cited, dates cited (newest first) or None for any, words the answer must contain)
FOUND = [
    ("what did Maya talk about last session?", "Maya Thompson", ["2026-11-17"], ["texted Priya"]),
    ("has maya ever mentioned her father?", "Maya Thompson", ["2026-11-17"], ["her father"]),
    ("when did Maya first mention her father?", "Maya Thompson", ["2026-11-17"], ["first noted 2026-11-17"]),
    ("How has Maya's PHQ-9 changed?", "Maya Thompson", None, ["18 (2026-11-03) → 14 (2026-11-10) → 10 (2026-11-17)"]),
    ("what homework is outstanding for Jordan?", "Jordan Lee", ["2026-11-13"], ["time out technique"]),
    ("what happened with Omar on November 23?", "Omar Haddad", ["2026-11-23"], ["cocaine"]),
    ("remind me about Leo", "Leo Marino", ["2026-11-24"], ["wife"]),
    ("anything I should follow up with Leo?", "Leo Marino", ["2026-11-24"], ["anniversary"]),
    ("is Leo safe?", "Leo Marino", ["2026-11-24"], ["passive, no plan, no intent", "access to means", "pills at home"]),
    ("is Marcus safe?", "Marcus Bell", None, ["plan to overdose", "stockpiled", "harm to others, denied"]),
    ("any safety concerns with ken?", "Ken Ito", ["2026-11-24"], ["didn't wake up"]),
    ("what did lena say about the custody?", "Elena Vasquez", ["2026-11-24"], ["custody arrangement"]),
    ("what did Danny talk about?", "Daniel Okafor", ["2026-11-24"], ["new job"]),
    ("what did Sam Rivera say about panic?", "Sam Rivera", ["2026-11-24"], ["panic attacks"]),
    ("what did Rachel and Tom work on?", "Rachel Fischer", ["2026-11-24"], ["speaker-listener"]),
    ("has Grace been purging?", "Grace Kim", ["2026-11-24"], ["purging after dinner"]),
    ("What did Chloe's mum report?", "Chloe Nguyen", ["2026-11-24"], ["refusing to go to school"]),
    ("has Omar mentioned cocaine?", "Omar Haddad", ["2026-11-23"], ["cocaine twice"]),
    ("what did Tobias say last Thursday?", "Tobias Reinhardt", ["2026-11-19"], ["promotion"]),
    ("how is toby's drinking?", "Tobias Reinhardt", ["2026-11-24", "2026-11-19"], ["break from alcohol", "glasses of wine"]),
    ("what did Tobais Reinhardt say about alcohol?", "Tobias Reinhardt", None, ["alcohol"]),
    ("what homework did I give Nora?", "Nora Walsh", ["2026-11-24"], ["one stop on the train"]),
    ("How has Nora's GAD-7 changed?", "Nora Walsh", ["2026-11-10"], ["16 (2026-11-10)"]),
    ("any follow ups for Aisha?", "Aisha Mensah", ["2026-11-24"], ["safety plan"]),
    ("is Aisha safe?", "Aisha Mensah", ["2026-11-24"], ["abuse; domestic violence", "pushed her against the wall"]),
    ("what did Ben say about the voices?", "Ben Carter", ["2026-11-24"], ["hearing voices"]),
    ("what's Priya's GAD-7?", "Priya Shah", ["2026-11-24"], ["GAD-7: 9"]),
    ("what did marcus's phq9 do?", "Marcus Bell", None, ["21 (2026-11-03) → 18 (2026-11-10)"]),
    ("what did jordan say about his girlfriend?", "Jordan Lee", None, ["girlfriend"]),
    ("what did Jordan Lee talk about on November 13?", "Jordan Lee", ["2026-11-13"], ["divorce"]),
]


@pytest.mark.parametrize("question,client,dates,words", FOUND, ids=[q for q, *_ in FOUND])
def test_questions_are_answered_from_the_right_notes(service, question, client, dates, words):
    answer = ask(service, question)
    assert answer.found, answer.text
    assert {c.client_name for c in answer.citations} == {client}, answer.text
    if dates is not None:
        assert [c.session_date.isoformat() for c in answer.citations] == dates, answer.text
    for w in words:
        assert w.lower() in answer.text.lower(), answer.text
    # every quoted line of the answer is in one of that client's memos
    memos = " ".join(t for k, t in [*HISTORY.items(), *MEMOS.items()] if EXPECT.get(k, Expect(client)).client == client
                     or (k in HISTORY and client.split()[0] in t))
    evidence = Evidence(memos)
    for line in answer.text.splitlines():
        if line.startswith("- ") and not re.match(r"- [A-Z][\w-]*: \d", line):  # a measure's scores
            quoted = line.split(": ", 1)[1] if line[2:6].isdigit() or line[2] == "(" else line[2:]
            if "→" not in quoted:
                assert evidence.supports(quoted), line


NOT_FOUND = [
    ("has Omar ever mentioned gambling?", "I have no note about that"),
    ("What did Sam talk about last time?", "Sam Patel or Sam Rivera"),  # two Sams: ask
    ("Has Hannah mentioned her sister?", "I have no client called Hannah"),  # another therapist's client
    ("What did Maya R. say?", "I have no client called Maya R."),  # the initial is no client's
    ("what did Leo say about his job?", "I have no note about that"),
    ("what homework did I give Ben?", "I have no note about that"),
]


@pytest.mark.parametrize("question,says", NOT_FOUND, ids=[q for q, _ in NOT_FOUND])
def test_questions_with_nothing_to_answer_say_so(service, question, says):
    answer = ask(service, question)
    assert not answer.found and not answer.citations, answer.text
    assert says in answer.text
    for private in ("sister's wedding", "fear of flying", "Hannah Cole"):
        assert private not in answer.text
