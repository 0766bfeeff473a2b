"""The alliance over time, from typed notes: a rupture followed by a repair closes; one without stays open
into the next digest and the reminder, however many sessions back; feedback drops and quiet goals are
said with dates; every quoted line is a note's own words (the check-in idea is a labelled, cited general
practice). In-memory adapters; the same through the database in test_alliance_store.py."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone

import pytest

from core.alliance.checkins import LABEL, LIBRARY
from core.alliance.timeline import build_timeline
from core.replies import digest_text, item_lines, reminder_text
from core.types import Flag, Measure, NoteDraft
from tests import support
from tests.core.flow_support import FixedClock, enrol, in_memory
from tests.core.helpers_schedule import local

MAYA = (  # a rupture, then a repair the next week
    (date(2026, 10, 6), "Session with Maya Thompson. Her goal is to drive on the motorway again by spring. "
                        "We built an exposure hierarchy for driving. She rated the SRS at 38."),
    (date(2026, 10, 13), "Maya Thompson today. She was frustrated with me about the pace of the exposure work and said I "
                         "pushed too fast. SRS 30. We practised paced breathing."),
    (date(2026, 10, 20), "Maya Thompson. We came back to what happened last week and talked it through; she said she felt "
                         "heard after I slowed the pace. SRS 36."),
)
DANIEL = (  # a rupture never repaired, four sessions back by the digest
    (date(2026, 10, 7), "Session with Daniel Okafor. He said therapy isn't helping and he felt judged when I asked about "
                        "his drinking. SRS 33. We reviewed his sleep diary. His goal is to return to coaching the youth football team."),
    (date(2026, 10, 14), "Daniel Okafor today. We worked on grief and looked at photos of his father. SRS 31."),
    (date(2026, 10, 21), "Daniel Okafor. He talked about work stress and his manager. Homework: a worry log."),
    (date(2026, 11, 4), "Daniel Okafor. We reviewed the worry log and practised a breathing exercise for sleep."),
)
DAY = date(2026, 11, 25)
QUOTED = re.compile(r'"([^"]+)"')


@pytest.fixture
async def practice(tmp_path):
    service, _ = in_memory(tmp_path)
    service.ctx.clock = FixedClock(datetime(2026, 11, 25, 6, 0, tzinfo=timezone.utc))
    sender = enrol(service)
    tid = service.therapist_id(sender)
    maya = support.add_client(service, tid, "Maya Thompson")
    daniel = support.add_client(service, tid, "Daniel Okafor")
    for i, (day, text) in enumerate(MAYA + DANIEL):
        reply = await support.typed_note(service, sender, text, message_id=f"m{i}", session_date=day)
        assert reply.note is not None and reply.note.client_name in ("Maya Thompson", "Daniel Okafor"), reply.text
    support.add_appointment(service, tid, maya.id, local("UTC", 2026, 11, 25, 10, 0))
    support.add_appointment(service, tid, daniel.id, local("UTC", 2026, 11, 25, 11, 0))
    return service, sender, tid, maya, daniel


def all_note_text(service, tid, client_id) -> str:
    notes = support.notes_for(service, tid, client_id)
    parts = [t for n in notes for _, t in n.sections] + [f.evidence for n in notes for f in n.alliance]
    parts += [m.evidence for n in notes for m in n.measures] + [n.summary for n in notes]
    return " ".join(" ".join(parts).split())


# ---- the timeline (pure) ------------------------------------------------------------------------------
def note(day: date, *flags: tuple[str, str], note_id: int = 0, measures=()) -> NoteDraft:
    return NoteDraft("Ana Bell", day, "SOAP", (("Subjective", " ".join(e for _, e in flags)),), "", note_id=note_id or day.toordinal(),
                     alliance=tuple(Flag(k, e) for k, e in flags), measures=tuple(measures))


def test_a_repair_closes_the_ruptures_before_it_and_only_those():
    timeline = build_timeline([
        note(date(2026, 9, 1), ("rupture", "She was annoyed with me.")),
        note(date(2026, 9, 8), ("repair", "We talked it through.")),
        note(date(2026, 9, 15), ("repair", "I apologised for being late."), ("rupture", "She walked out early.")),
    ])
    first, repair, _, last = timeline.signals
    assert (first.status, first.repaired_on, first.repaired_by, first.repair_evidence) == (
        "repaired", date(2026, 9, 8), "note", "We talked it through.")
    assert repair.status == "repaired"  # a repair is itself the repair
    assert last.status == "open"  # a repair said before it in the same note does not close it
    assert [s.evidence for s in timeline.open_ruptures()] == ["She walked out early."]


def test_a_partial_repair_leaves_the_rupture_open_and_says_so():
    timeline = build_timeline([
        note(date(2026, 9, 1), ("rupture", "He felt pushed when I moved to exposure.")),
        note(date(2026, 9, 8), ("repair", "We began to talk it through.")),
    ])
    [rupture] = timeline.open_ruptures()
    assert rupture.partly_on == date(2026, 9, 8) and rupture.status == "open"
    assert rupture.to_json()["partly_repaired_evidence"] == "We began to talk it through."


def test_the_therapist_marking_a_rupture_repaired_closes_it():
    from core.records import AllianceEntry

    rupture = note(date(2026, 9, 1), ("rupture", "She questioned whether therapy is helping."), note_id=7)
    mark = AllianceEntry(1, 3, date(2026, 9, 20), "repaired", note_id=7)
    [signal] = build_timeline([rupture], [mark]).signals
    assert (signal.status, signal.repaired_by, signal.repaired_on) == ("repaired", "therapist", date(2026, 9, 20))


# ---- the digest and the reminder ------------------------------------------------------------------------
async def test_repaired_rupture_closes_and_the_unrepaired_one_stays_open_into_digest_and_reminder(practice):
    service, sender, tid, maya, daniel = practice
    digest = await service.digest(tid, DAY)
    by_name = {item.client_name: item for item in digest.items}
    assert not [a for a in by_name["Maya Thompson"].alliance_items if a.kind == "rupture"]
    [open_] = [a for a in by_name["Daniel Okafor"].alliance_items if a.kind == "rupture"]
    assert open_.session_date == date(2026, 10, 7)  # four sessions back, outside the three the flags read
    assert open_.quote == "He said therapy isn't helping and he felt judged when I asked about his drinking."
    text = digest_text(digest)
    assert 'Alliance — Wed 07 Oct: rupture, open: "He said therapy isn\'t helping' in text
    assert "frustrated with me" not in text  # Maya's rupture was repaired the week after
    reminder = reminder_text(by_name["Daniel Okafor"], 15)
    assert "rupture, open" in reminder and "He said therapy isn't helping" in reminder
    assert f"{LABEL}:" in reminder  # the check-in idea, labelled as a general practice
    assert "rupture" not in reminder_text(by_name["Maya Thompson"], 15)


async def test_a_score_drop_and_a_quiet_goal_are_said_with_dates(practice):
    service, sender, tid, maya, daniel = practice
    item = next(i for i in (await service.digest(tid, DAY)).items if i.client_name == "Daniel Okafor")
    drop = next(a for a in item.alliance_items if a.kind == "score_drop")
    assert drop.detail == "SRS 33 (Wed 07 Oct) → 31 (Wed 14 Oct)" and drop.quote == "SRS 31."
    goal = next(a for a in item.alliance_items if a.kind == "quiet_goal")
    assert goal.quote == "His goal is to return to coaching the youth football team."
    assert "not discussed since Wed 07 Oct (3 sessions)" in goal.detail
    maya_item = next(i for i in (await service.digest(tid, DAY)).items if i.client_name == "Maya Thompson")
    assert not [a for a in maya_item.alliance_items if a.kind == "score_drop"]  # 30 -> 36 went up


async def test_every_quoted_alliance_line_in_the_digest_is_in_a_note(practice):
    service, sender, tid, maya, daniel = practice
    digest = await service.digest(tid, DAY)
    text = digest_text(digest)
    lines = [line for line in text.splitlines() if "Alliance —" in line or "Goal not discussed" in line or LABEL in line]
    assert len(lines) >= 4
    sources = {"Maya Thompson": all_note_text(service, tid, maya.id), "Daniel Okafor": all_note_text(service, tid, daniel.id)}
    practices = {p.line() for p in LIBRARY}
    client = None
    for line in text.splitlines():
        if re.match(r"^\d\d:\d\d ", line):
            client = line[6:]
        if line not in lines:
            continue
        if LABEL in line:
            assert line.strip() in practices  # a fixed, cited library line, never generated
            continue
        quotes = QUOTED.findall(line)
        for quote in quotes:
            assert quote in sources[client], (client, quote)
        framing = QUOTED.sub("", line)
        # Outside the quotes only dates, kinds, numbers and fixed words: no client content.
        words = set(re.findall(r"[a-z]+", framing.lower())) - {"alliance", "rupture", "open", "partly", "repaired", "feedback",
                                                                "dropped", "srs", "ors", "goal", "not", "discussed", "lately",
                                                                "stated", "since", "sessions", "last", "session", "repair",
                                                                "entered", "by", "you", "ambivalence", "resistance"}
        assert words <= {"mon", "tue", "wed", "thu", "fri", "sat", "sun", "jan", "feb", "mar", "apr", "may", "jun",
                         "jul", "aug", "sep", "oct", "nov", "dec"}, (line, words)


# ---- /score, /repaired, undo ------------------------------------------------------------------------------
async def say(service, sender, text: str, n=[0]):
    n[0] += 1
    return await service.receive_text(sender, text, message_id=f"t{n[0]}")


async def test_score_command_stores_in_range_scores_and_refuses_the_rest(practice):
    service, sender, tid, maya, daniel = practice
    reply = await say(service, sender, "/score Maya Thompson SRS 29 on 2026-11-18")
    assert reply.text.startswith("Saved SRS 29 for Maya Thompson, session of Wed 18 Nov 2026.")
    assert "lower than the SRS before it: 36 on Tue 20 Oct 2026" in reply.text
    for bad, why in (("/score Maya SRS 52", "outside the scale's range"), ("/score Maya SRS 3-2-1", "unclear"),
                     ("/score Maya CORE-OM 14", "give it with its maximum"), ("/score Maya", "Which score?"),
                     ("/score Nobody SRS 30", "I don't have a client"), ("/score Maya SRS 30 on 2099-01-01", "future")):
        assert why in (await say(service, sender, bad)).text, bad
    reply = await say(service, sender, "/score Maya she rated the session 7 out of 10 on feeling heard")
    assert reply.text.startswith("Saved Session rating (feeling heard) 7 for Maya Thompson")
    with service.ctx.uow() as uow:
        scores = [(e.measure.name, e.measure.score, e.measure.scale_max) for e in uow.alliance.for_client(tid, maya.id)]
    assert scores == [("SRS", 29.0, 40), ("Session rating (feeling heard)", 7.0, 10.0)]
    item = next(i for i in (await service.digest(tid, DAY)).items if i.client_name == "Maya Thompson")
    [drop] = [a for a in item.alliance_items if a.kind == "score_drop"]
    assert drop.detail == "SRS 36 (Tue 20 Oct) → 29 (Wed 18 Nov, entered by you)" and drop.quote == ""


async def test_undo_removes_an_entered_score(practice):
    service, sender, tid, maya, daniel = practice
    reply = await say(service, sender, "/score Daniel SRS 20")
    [[undo]] = reply.buttons
    from core.actions import encode

    assert (await service.press(sender, encode(undo.action))).text.startswith("Removed SRS 20")
    assert (await service.press(sender, encode(undo.action))).text == "That was already undone."
    with service.ctx.uow() as uow:
        assert uow.alliance.for_client(tid, daniel.id) == []


async def test_marking_a_rupture_repaired_takes_it_out_of_the_prep_until_undone(practice):
    from core.actions import encode

    service, sender, tid, maya, daniel = practice
    assert "No open rupture in Maya Thompson's notes." == (await say(service, sender, "/repaired Maya")).text
    reply = await say(service, sender, "/repaired Daniel Okafor")
    assert reply.text.startswith("Marked repaired for Daniel Okafor:\n• 2026-10-07 rupture: \"He said therapy isn't helping")
    item = next(i for i in (await service.digest(tid, DAY)).items if i.client_name == "Daniel Okafor")
    assert not [a for a in item.alliance_items if a.kind == "rupture"]
    [[undo]] = reply.buttons
    assert "open again" in (await service.press(sender, encode(undo.action))).text
    report = await say(service, sender, "/report Daniel")
    [[mark]] = report.buttons
    assert mark.label == "Mark repaired: rupture 07 Oct"
    assert (await service.press(sender, encode(mark.action))).text == "Marked the rupture of Wed 07 Oct 2026 repaired."
    assert "already repaired" in (await service.press(sender, encode(mark.action))).text


# ---- across the caseload ------------------------------------------------------------------------------
async def test_which_clients_have_an_open_rupture_and_whose_srs_dropped(practice):
    service, sender, tid, maya, daniel = practice
    answer = await service.answer(sender, "Which clients have an open rupture?")
    assert answer.text.startswith("Open ruptures (no repair in a later note, not marked repaired) — 1 client")
    assert "- Daniel Okafor — rupture 2026-10-07, open: He said therapy isn't helping" in answer.text
    assert "Maya" not in answer.text and [c.session_date for c in answer.citations] == [date(2026, 10, 7)]
    await say(service, sender, "/score Maya SRS 29 on 2026-11-18")
    answer = await service.answer(sender, "whose SRS dropped?")
    assert "- Maya Thompson — SRS 36 (2026-10-20) → 29 (2026-11-18, entered), down 7" in answer.text
    assert "- Daniel Okafor — SRS 33 (2026-10-07) → 31 (2026-10-14), down 2" in answer.text


FEEDBACK_QUESTIONS = (
    "whose session feedback dropped?", "which clients rated the session lower?", "any drop in session ratings?",
    "whose alliance scores went down?", "did anyone's feedback scores fall?", "whose session ratings got worse?",
    "has anyone's feedback declined?", "which clients gave lower session ratings lately?",
    "any dip in feedback across my caseload?", "who rated their sessions lower last time?",
    "whose feedback went down?", "show me clients whose session feedback got worse",
    "any clients with falling alliance ratings?", "which of my clients rated therapy lower?",
    "has session feedback dropped for anyone?", "who rated me lower?", "decrease in feedback scores?",
    "which clients' feedback ratings decreased?", "any clients whose session ratings are dropping?",
    "whose feedback scores are lower than before?",
)


@pytest.mark.parametrize("question", FEEDBACK_QUESTIONS)
async def test_feedback_without_a_scale_named_means_the_feedback_scales_only(practice, question):
    """A symptom score that fell (PHQ-9 14 -> 9, an improvement) is not session feedback that dropped."""
    service, sender, tid, maya, daniel = practice
    for i, (day, text) in enumerate(((date(2026, 11, 3), "Maya Thompson. PHQ-9 14."),
                                     (date(2026, 11, 10), "Maya Thompson. PHQ-9 9. Sleeping better."))):
        await support.typed_note(service, sender, text, message_id=f"phq{i}", session_date=day)
    answer = await service.answer(sender, question)
    assert "- Daniel Okafor — SRS 33 (2026-10-07) → 31 (2026-10-14), down 2" in answer.text, (question, answer.text)
    assert "PHQ" not in answer.text and "Maya" not in answer.text


@pytest.mark.parametrize("question", ("how did Maya rate the sessions?", "what were Maya's session ratings?"))
async def test_one_clients_session_ratings_are_her_feedback_scores(practice, question):
    service, sender, *_ = practice
    answer = await service.answer(sender, question)
    assert "SRS: 38 (2026-10-06) → 30 (2026-10-13) → 36 (2026-10-20)" in answer.text, answer.text


async def test_feedback_in_words_is_still_a_topic(practice):
    service, sender, *_ = practice
    answer = await service.answer(sender, "what feedback did Maya give about the pace?")
    assert "said I pushed too fast" in answer.text
    assert "SRS:" not in answer.text


def test_an_earlier_risk_is_dated_and_a_later_screening_is_shown_beside_it():
    """A passive wish two sessions ago, "denies SI" last session: the digest shows both, the older one with
    its date, so an old risk never reads as last session's and a later screening is never hidden."""
    from core.schedule.digest import compose_item

    notes = [
        NoteDraft("Ana Bell", date(2026, 11, 10), "SOAP", (("Subjective", "x"),), "Low mood.", note_id=1,
                  risks=(Flag("passive_ideation", "She said everyone would be better off without her.", "present"),)),
        NoteDraft("Ana Bell", date(2026, 11, 17), "SOAP", (("Subjective", "x"),), "Calmer.", note_id=2,
                  risks=(Flag("active_ideation", "She denies suicidal ideation.", "denied"),)),
    ]
    item = compose_item(7, "Ana Bell", datetime(2026, 11, 24, 9, 0, tzinfo=timezone.utc), notes)
    lines = [line.strip() for line in item_lines(item)]
    assert any(line.startswith("⚠ Risk (Tue 10 Nov) — ") and "better off without her" in line for line in lines), lines
    assert any(line.startswith("Screened — ") and "denies suicidal ideation" in line for line in lines), lines

