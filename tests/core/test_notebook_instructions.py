"""Edit instructions read without a model: many phrasings of each kind of change, and messages that are
not instructions at all (questions, free-form wishes, sentences that merely start like one) — those must
never be taken for an edit."""
from __future__ import annotations

from datetime import date

import pytest

from core.notebook.instructions import (
    AddAddendum,
    AddItem,
    RemoveItem,
    RestoreVersion,
    SetClient,
    SetDate,
    SetFormat,
    SetList,
    SetSection,
    parse,
    parse_line,
)

TODAY = date(2026, 11, 25)  # a Wednesday

CASES = {
    # sections: replace, append, clear, in every format's words
    "Plan: start exposure next week": SetSection("Plan", "start exposure next week"),
    "plan - start exposure next week": SetSection("Plan", "start exposure next week"),
    "PLAN — weekly sessions": SetSection("Plan", "weekly sessions"),
    "Assessment: improving, sleep better": SetSection("Assessment", "improving, sleep better"),
    "assessment should say she is improving": SetSection("Assessment", "she is improving"),
    "Assessment should read: stable": SetSection("Assessment", "stable"),
    "replace the plan with weekly sessions": SetSection("Plan", "weekly sessions"),
    "change the objective to calm, good eye contact": SetSection("Objective", "calm, good eye contact"),
    "update subjective section: reports less panic": SetSection("Subjective", "reports less panic"),
    "set data to client arrived on time": SetSection("Data", "client arrived on time"),
    "Behaviour: restless, fidgeting": SetSection("Behavior", "restless, fidgeting"),
    "Interventions: CBT, thought records": SetSection("Intervention", "CBT, thought records"),
    "Response: engaged well": SetSection("Response", "engaged well"),
    "Goals: reduce panic attacks": SetSection("Goals", "reduce panic attacks"),
    "Subjective: none": SetSection("Subjective", ""),
    "clear objective": SetSection("Objective", ""),
    "empty the assessment section": SetSection("Assessment", ""),
    "add to assessment: sleep improving": SetSection("Assessment", "sleep improving", append=True),
    "append to plan: review in 4 weeks": SetSection("Plan", "review in 4 weeks", append=True),
    "add sleep hygiene discussed to the intervention section": SetSection("Intervention", "sleep hygiene discussed", append=True),
    "summary: brief check-in": SetSection("Summary", "brief check-in"),
    # list items: add
    "add homework: walk daily": AddItem("homework", "walk daily"),
    "add homework walk 20 minutes daily": AddItem("homework", "walk 20 minutes daily"),
    "new homework: breathing practice": AddItem("homework", "breathing practice"),
    "add another homework item: call her sister": AddItem("homework", "call her sister"),
    "add breathing practice to homework": AddItem("homework", "breathing practice"),
    "add journaling to the homework list": AddItem("homework", "journaling"),
    "add follow-up: ask about her father": AddItem("follow_ups", "ask about her father"),
    "add follow up ask about sleep": AddItem("follow_ups", "ask about sleep"),
    "add a followup: medication check": AddItem("follow_ups", "medication check"),
    "add next step: refer to psychiatry": AddItem("plan", "refer to psychiatry"),
    "add action item: send worksheet": AddItem("plan", "send worksheet"),
    # list items: remove
    "remove homework 2": RemoveItem("homework", number=2),
    "delete homework #1": RemoveItem("homework", number=1),
    "remove homework item 3": RemoveItem("homework", number=3),
    "drop homework no. 2": RemoveItem("homework", number=2),
    "remove the second homework": RemoveItem("homework", number=2),
    "remove the last follow-up": RemoveItem("follow_ups", number=-1),
    "delete the first follow up": RemoveItem("follow_ups", number=1),
    "remove follow-up 1": RemoveItem("follow_ups", number=1),
    "remove next step 1": RemoveItem("plan", number=1),
    "remove homework: thought record": RemoveItem("homework", text="thought record"),
    "remove the homework about the thought record": RemoveItem("homework", text="the thought record"),
    "remove thought record from homework": RemoveItem("homework", text="thought record"),
    "delete \"call sister\" from the follow-ups": RemoveItem("follow_ups", text="call sister"),
    "remove homework": RemoveItem("homework"),
    "clear homework": RemoveItem("homework", every=True),
    "remove all homework": RemoveItem("homework", every=True),
    "remove all the follow-ups": RemoveItem("follow_ups", every=True),
    "no homework": RemoveItem("homework", every=True),
    # lists set whole
    "homework: walk daily": SetList("homework", ("walk daily",)),
    "Homework: walk daily; call sister": SetList("homework", ("walk daily", "call sister")),
    "homework: none": SetList("homework", ()),
    "follow-ups: father's visit": SetList("follow_ups", ("father's visit",)),
    "next steps: refer to psychiatry": SetList("plan", ("refer to psychiatry",)),
    # client
    "client: Maya Thompson": SetClient("Maya Thompson"),
    "Client - Daniel Okafor": SetClient("Daniel Okafor"),
    "client is Maya Thompson": SetClient("Maya Thompson"),
    "patient: Ms. Priya Raman": SetClient("Ms. Priya Raman"),
    "change the client to Tomas Varga": SetClient("Tomas Varga"),
    "this is for Daniel Okafor": SetClient("Daniel Okafor"),
    "the note is about Lena Brandt": SetClient("Lena Brandt"),
    "wrong client, it's Maya": SetClient("Maya"),
    "file it under Nora Vance": SetClient("Nora Vance"),
    "move this to O'Neil": SetClient("O'Neil"),
    # date
    "date: 2026-11-20": SetDate(date(2026, 11, 20)),
    "date: yesterday": SetDate(date(2026, 11, 24)),
    "date: Tuesday": SetDate(date(2026, 11, 24)),
    "session date: Monday": SetDate(date(2026, 11, 23)),
    "date is 20 November": SetDate(date(2026, 11, 20)),
    "change the date to Nov 3": SetDate(date(2026, 11, 3)),
    "set the session date to 3 days ago": SetDate(date(2026, 11, 22)),
    "the session was on Monday": SetDate(date(2026, 11, 23)),
    "date: today": SetDate(TODAY),
    # format
    "format: DAP": SetFormat("DAP"),
    "format is birp": SetFormat("BIRP"),
    "make it a BIRP": SetFormat("BIRP"),
    "convert to GIRP": SetFormat("GIRP"),
    "change it to SOAP": SetFormat("SOAP"),
    "rewrite as DAP note": SetFormat("DAP"),
    # addendum and versions
    "addendum: client called to reschedule": AddAddendum("client called to reschedule"),
    "Addendum - PHQ-9 was 14, not 11": AddAddendum("PHQ-9 was 14, not 11"),
    "add an addendum: mother attended the last ten minutes": AddAddendum("mother attended the last ten minutes"),
    "late entry: safety plan reviewed": AddAddendum("safety plan reviewed"),
    "undo": RestoreVersion(None),
    "revert the last change": RestoreVersion(None),
    "restore version 2": RestoreVersion(2),
    "go back to v1": RestoreVersion(1),
}

NOT_INSTRUCTIONS = [
    "what did she say about her father?",
    "shorten the plan, add thought-record homework",
    "make it more concise",
    "client is anxious about work",
    "the client is doing better",
    "session was hard",
    "the session was long and tiring",
    "thanks!",
    "planning to see her next week",
    "homework went well",
    "why is the plan empty?",
    "Maya Thompson",
    "remove",
    "add",
    "",
    "date",
    "can you change it",
    "what homework did I give Maya?",
]


@pytest.mark.parametrize("text, expected", list(CASES.items()))
def test_each_phrasing_is_read_as_its_edit(text, expected):
    assert parse_line(text, TODAY) == expected


@pytest.mark.parametrize("text", NOT_INSTRUCTIONS)
def test_questions_and_wishes_are_not_instructions(text):
    assert parse(text, TODAY) is None


def test_a_future_or_unreadable_date_is_refused_with_the_reason():
    future = parse_line("date: 2027-06-01", TODAY)
    assert future.day is None and "future" in future.problem
    assert parse_line("date: tomorrow", TODAY).day is None
    garbled = parse_line("date: the blue one", TODAY)
    assert garbled.day is None and "2026-11-20" in garbled.problem


def test_several_lines_are_several_edits_and_one_bad_line_spoils_none():
    edits = parse("Plan: weekly sessions\nremove homework 1\n\nclient: Maya Thompson", TODAY)
    assert edits == [SetSection("Plan", "weekly sessions"), RemoveItem("homework", number=1), SetClient("Maya Thompson")]
    assert parse("Plan: weekly sessions\nand make it nicer please", TODAY) is None
