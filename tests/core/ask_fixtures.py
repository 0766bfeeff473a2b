"""Invented clients and hand-built notes for the question-answering tests (no real people)."""
from __future__ import annotations

from datetime import date

from core.language.client_match import ClientRecord
from core.types import Flag, Measure, NoteDraft

TODAY = date(2026, 11, 24)  # a Tuesday

MAYA = ClientRecord(1, "Maya Thompson")
DANIEL = ClientRecord(2, "Daniel Okafor", ("Danny",))
MAYA_R = ClientRecord(3, "Maya Reyes")
JORDAN = ClientRecord(4, "Jordan Lee")
PRIYA_OTHER = ClientRecord(9, "Priya Shah")  # another therapist's client: never passed in


def note(client, note_id, day, *, summary, subjective, assessment="Not discussed", plan_text="Not discussed",
         key_points=(), homework=(), plan=(), follow_ups=(), measures=(), risks=(), alliance=()):
    return NoteDraft(
        client_name=client.name, client_id=client.id, note_id=note_id, session_date=day, format="SOAP",
        sections=(("Subjective", subjective), ("Objective", "Not discussed"), ("Assessment", assessment),
                  ("Plan", plan_text)),
        summary=summary, key_points=tuple(key_points), homework=tuple(homework), plan=tuple(plan),
        follow_ups=tuple(follow_ups), measures=tuple(measures), risks=tuple(risks), alliance=tuple(alliance),
    )


NOTES = {
    MAYA.id: [
        note(MAYA, 101, date(2026, 9, 8),
             summary="Intake session focused on anxiety at work.",
             subjective="Maya described ongoing anxiety at work. She said her manager criticises her in meetings. "
                        "She sleeps about five hours a night.",
             assessment="Work-related anxiety with poor sleep.",
             plan_text="Begin CBT for anxiety. Introduce thought records.",
             key_points=("Maya described ongoing anxiety at work.", "She sleeps about five hours a night."),
             homework=("Keep a sleep diary for one week.",),
             measures=(Measure("PHQ-9", 12), Measure("GAD-7", 15)),
             risks=(Flag("suicidal_ideation", "She denies any thoughts of suicide.", "denied"),)),
        note(MAYA, 102, date(2026, 9, 29),
             summary="Explored family history.",
             subjective="She mentioned her father for the first time. He drank heavily when she was a child. "
                        "She still avoids visiting her parents.",
             key_points=("She mentioned her father for the first time.",),
             homework=("Complete a thought record when anxious at work.",),
             follow_ups=("Ask about her father's drinking history.",),
             measures=(Measure("GAD-7", 13),)),
        note(MAYA, 103, date(2026, 10, 20),
             summary="Conflict with her mother before her sister's wedding.",
             subjective="Maya argued with her mother about the seating plan for her sister's wedding. "
                        "Her dad called her after months of silence. She felt relieved and confused.",
             key_points=("Her dad called her after months of silence.",),
             homework=("Practise box breathing twice a day.",),
             alliance=(Flag("rupture", "She said last week's session felt rushed and she was annoyed."),)),
        note(MAYA, 104, date(2026, 11, 17),
             summary="Sleep has improved; worried about her performance review.",
             subjective="Maya reported sleeping better since starting a wind-down routine. "
                        "She is nervous about the performance review on Friday. She has not had a drink in two weeks.",
             key_points=("Maya reported sleeping better since starting a wind-down routine.",
                         "She is nervous about the performance review on Friday."),
             homework=("Write down three things that went well each day.",),
             follow_ups=("Check how the performance review went.",),
             measures=(Measure("PHQ-9", 8), Measure("GAD-7", 9))),
    ],
    DANIEL.id: [
        note(DANIEL, 201, date(2026, 10, 6),
             summary="Breakup and increased drinking.",
             subjective="Daniel talked about the breakup with his girlfriend. "
                        "He has been drinking four or five beers most nights.",
             key_points=("Daniel talked about the breakup with his girlfriend.",),
             homework=("Track drinks per day on the app.",),
             risks=(Flag("suicidal_ideation", "He denies suicidal ideation.", "denied"),)),
        note(DANIEL, 202, date(2026, 10, 27),
             summary="Low mood; passive thoughts of death.",
             subjective="He sometimes thinks everyone would be better off without him, no plan, no intent. "
                        "He feels stuck since losing his job.",
             plan_text="We reviewed his safety plan together.",
             homework=("Call his brother once this week.",),
             follow_ups=("Revisit the safety plan.",),
             risks=(Flag("passive_suicidal_ideation",
                         "He sometimes thinks everyone would be better off without him, no plan, no intent.",
                         "present", ("no plan", "no intent")),)),
        note(DANIEL, 203, date(2026, 11, 10),
             summary="Cut down drinking; job search restarted.",
             subjective="Daniel cut down to two beers on weeknights. He started applying for jobs again.",
             homework=("Update his CV and send two applications.",)),
    ],
    MAYA_R.id: [
        note(MAYA_R, 301, date(2026, 11, 12),
             summary="Planning her move to Denver.",
             subjective="Maya discussed her move to Denver and leaving her friends behind.",
             homework=("List three ways to stay in touch with friends.",)),
    ],
    JORDAN.id: [],
}

CLIENTS = [MAYA, DANIEL, JORDAN]  # one therapist, one Maya
CLIENTS_TWO_MAYAS = [MAYA, DANIEL, MAYA_R, JORDAN]


def all_note_text(notes) -> set[str]:
    """Every piece of text a note holds, for checking that answers only copy."""
    out = set()
    for n in notes:
        out.update([n.summary, *n.key_points, *n.homework, *n.plan, *n.follow_ups])
        out.update(text for _, text in n.sections)
        out.update(f.evidence for f in (*n.risks, *n.alliance))
    return out
