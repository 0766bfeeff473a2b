"""Bounded work for any text: a typed note or a question over its limit (a setting) gets a clear message
and nothing is stored; naming the client in a long note is linear in its length."""
from __future__ import annotations

from core.language.client_match import ClientRecord, resolve_client
from core.types import Sender
from tests import support

CLIENTS = [ClientRecord(1, "Maya Thompson"), ClientRecord(2, "Jordan Lee"), ClientRecord(3, "Priya Raman")]


async def test_a_typed_note_over_the_limit_is_refused_and_nothing_is_stored(make_service):
    service = make_service(max_note_chars=500)
    sender = service.console_sender("Dr. Lena Ortiz")
    therapist_id = service.therapist_id(sender)
    long_note = "Session with Maya Thompson today. " + "She talked about work. " * 40
    reply = await service.receive_text(sender, "/note " + long_note, message_id="t1")
    assert "That note is very long" in reply.text and "up to 500 characters" in reply.text
    reply = await support.typed_note(service, sender, long_note)  # the CLI's way in
    assert reply.note is None and "Nothing was saved" in reply.text
    assert support.count_notes(service, therapist_id) == 0 and support.unfinished(service) == []
    assert (await support.typed_note(service, sender, long_note[:400], message_id="m2")).note is not None


async def test_a_question_over_the_limit_gets_a_clear_answer(make_service):
    service = make_service(max_question_chars=100)
    sender = service.console_sender("Dr. Lena Ortiz")
    question = "what did Maya say about " + "work and sleep " * 20 + "?"
    answer = await service.answer(sender, question)
    assert not answer.found and "fewer than 100 characters" in answer.text
    reply = await service.receive_text(sender, question, message_id="q1")
    assert "fewer than 100 characters" in reply.text
    chat = Sender("console", "", "Dr. Lena Ortiz", "console")
    reply = await service.receive_text(chat, "x" * 1_000_000, message_id="q2")  # a megabyte pasted in a chat
    assert "very long" in reply.text


def test_naming_the_client_reads_the_text_a_fixed_number_of_times(monkeypatch):
    """Each name found used to re-tokenize the whole text (a 125 KB note took 100 s): now the text is read
    a fixed number of times however many names it holds. (Timings: docs/benchmarks.md, "Keys, faults and hostile input".)"""
    from core.language import client_match, names

    read = []
    real = names.tokenize

    def counting(text):
        read.append(len(text))
        return real(text)

    monkeypatch.setattr(names, "tokenize", counting)
    monkeypatch.setattr(client_match, "tokenize", counting)
    text = "Session with Maya today. She said Jordan came up again, and her sister Priya called. " * 200
    assert resolve_client(text, CLIENTS).kind in ("match", "ambiguous")
    assert sum(read) <= 3 * len(text)
