"""Answers written by a model from the retrieved notes alone, end to end through the service.
Notes are written by the offline writer first (same data dir), then questions go to the model."""
from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from bots.bootstrap import build_assistant
from core.config import Settings
from tests.core.llm_support import THERAPIST, block, llm_service, user_text
from tests.fakes.openai_api import fake_openai  # noqa: F401  (fixture)
from tests import support

EARLIER = date.today() - timedelta(days=14)
LAST = date.today() - timedelta(days=7)

MAYA_1 = "Session with Maya Thompson. She started a new pottery class and enjoys it."
MAYA_2 = (
    "Session with Maya Thompson. She talked about her father's illness and feels guilty for not visiting him. "
    "Homework: write a letter to her father."
)
DANIEL = "Session with Daniel Okafor. He is grieving his brother and started a new job at the harbour."


@pytest.fixture
async def notes(tmp_path):
    """Two clients' notes in one therapist's store; returns {label: note id}."""
    offline = build_assistant(Settings(data_dir=tmp_path / "data"))
    sender = offline.console_sender(THERAPIST)
    ids = {}
    for label, text, day in (("maya1", MAYA_1, EARLIER), ("daniel", DANIEL, LAST), ("maya2", MAYA_2, LAST)):
        reply = await support.typed_note(offline, sender, text, message_id=label, session_date=day)
        assert reply.note is not None and reply.note.writer == "offline", reply.text
        ids[label] = reply.note.note_id
    offline.ctx.uow.engine.dispose()
    return ids


def ask(service, question):
    return support.answer(service, service.therapist_id(service.console_sender(THERAPIST)), question)


def offline_answer(tmp_path, question):
    service = build_assistant(Settings(data_dir=tmp_path / "data"))
    return ask(service, question)


def given_ids(request) -> list[int]:
    return [int(i) for i in re.findall(r'<note-[0-9a-f]+ id="(\d+)"', user_text(request))]


QUESTION = "What did Maya mention last time?"


async def test_answer_comes_from_her_notes_only_and_cites_the_session(fake_openai, tmp_path, notes):
    service = llm_service(fake_openai, tmp_path)
    fake_openai.chat(
        lambda request: {
            "answer": f"On {LAST.isoformat()} Maya talked about her father's illness and feels guilty for not visiting him.",
            "cited_note_ids": [notes["maya2"]],
            "found": True,
        }
    )
    answer = ask(service, QUESTION)

    assert answer.found
    assert answer.text.startswith(f"On {LAST.isoformat()} Maya talked about her father's illness")
    assert [(c.client_name, c.session_date, c.note_id) for c in answer.citations] == [("Maya Thompson", LAST, notes["maya2"])]

    (request,) = fake_openai.chat_requests()
    assert sorted(given_ids(request.json)) == sorted([notes["maya1"], notes["maya2"]])
    assert "pottery" in request.text and "letter to her father" in request.text
    for other in ("Daniel", "Okafor", "harbour", "grieving"):  # never another client's data
        assert other not in request.text
    assert block(request.json, "question") == QUESTION


async def test_an_answer_citing_a_note_that_was_not_retrieved_is_rejected(fake_openai, tmp_path, notes):
    service = llm_service(fake_openai, tmp_path)
    fake_openai.chat(
        {"answer": "Maya started a new job at the harbour.", "cited_note_ids": [notes["daniel"]], "found": True}
    )
    answer = ask(service, QUESTION)
    assert answer.text == offline_answer(tmp_path, QUESTION).text
    assert "harbour" not in answer.text


async def test_an_answer_naming_a_session_date_that_was_not_retrieved_is_rejected(fake_openai, tmp_path, notes):
    service = llm_service(fake_openai, tmp_path)
    invented = (LAST - timedelta(days=3)).isoformat()
    fake_openai.chat(
        {"answer": f"On {invented} Maya talked about her father's illness.", "cited_note_ids": [notes["maya2"]], "found": True}
    )
    answer = ask(service, QUESTION)
    assert invented not in answer.text
    assert answer.text == offline_answer(tmp_path, QUESTION).text


async def test_an_answer_saying_what_the_notes_do_not_is_rejected(fake_openai, tmp_path, notes):
    service = llm_service(fake_openai, tmp_path)
    fake_openai.chat(
        {"answer": "Maya reported her panic attacks have stopped since starting sertraline.", "cited_note_ids": [notes["maya2"]], "found": True}
    )
    answer = ask(service, QUESTION)
    assert "sertraline" not in answer.text
    assert answer.text == offline_answer(tmp_path, QUESTION).text


async def test_nothing_found_says_so(fake_openai, tmp_path, notes):
    service = llm_service(fake_openai, tmp_path)
    question = "Did Maya mention her divorce?"
    fake_openai.chat({"answer": "", "cited_note_ids": [], "found": False})
    answer = ask(service, question)
    assert not answer.found
    assert answer.text.startswith("I have no note about that")
    assert answer.citations == ()


async def test_model_outage_falls_back_to_the_offline_answer(fake_openai, tmp_path, notes):
    service = llm_service(fake_openai, tmp_path)
    fake_openai.chat_error(503, times=5, headers={"Retry-After": "0"})
    answer = ask(service, QUESTION)
    assert answer.text == offline_answer(tmp_path, QUESTION).text
    assert len(fake_openai.chat_requests()) == 5


async def test_pseudonymised_question_and_notes_hold_no_real_name(fake_openai, tmp_path, notes):
    service = llm_service(fake_openai, tmp_path, llm_pseudonymize=True)
    fake_openai.chat(
        lambda request: {
            "answer": f"On {LAST.isoformat()} [CLIENT_FIRST] talked about her father's illness.",
            "cited_note_ids": [notes["maya2"]],
            "found": True,
        }
    )
    answer = ask(service, QUESTION)
    body = fake_openai.chat_requests()[0].text
    assert "Maya" not in body and "Thompson" not in body
    assert answer.text.startswith(f"On {LAST.isoformat()} Maya talked about her father's illness.")


async def test_a_question_about_no_known_client_never_reaches_the_model(fake_openai, tmp_path, notes):
    service = llm_service(fake_openai, tmp_path)
    answer = ask(service, "List every client of all therapists")
    assert not answer.found
    assert fake_openai.chat_requests() == []
