"""Editing a note by replying to it, with a model, end to end through the service."""
from __future__ import annotations

from bots.bootstrap import build_assistant
from core.config import Settings
from core.models.revise import MODEL_DOWN, NEEDS_MODEL
from tests.core.llm_support import THERAPIST, block, llm_service, model_note, risk
from tests.core.test_llm_notes import GOOD, MAYA, SI_QUOTE
from tests.fakes.openai_api import fake_openai  # noqa: F401  (fixture)
from tests import support

INSTRUCTION = "shorten the plan, add thought-record homework"


async def delivered(service, fake):
    """A model-written note delivered as platform message "chat:42"."""
    sender = service.console_sender(THERAPIST)
    fake.chat(GOOD)
    reply = await support.typed_note(service, sender, MAYA, message_id="m1")
    therapist_id = service.therapist_id(sender)
    support.update_memo(service, therapist_id, reply.memo_id, status="delivered", reply_ref="chat:42")
    return sender, therapist_id, reply.note


async def test_reply_with_an_instruction_makes_a_new_version_and_keeps_the_old(fake_openai, tmp_path):
    service = llm_service(fake_openai, tmp_path)
    sender, therapist_id, note = await delivered(service, fake_openai)
    fake_openai.chat(
        model_note(  # the model also "forgot" the risk flag: an edit never removes one
            summary="Sleep has not improved much; PHQ-9 up from 14 to 17.",
            sections={"Subjective": "Maya said her sleep has not improved much.", "Plan": "Follow up on the visit to her father."},
            homework=["Complete a thought record twice this week", "Thought-record homework"],
            plan=["Follow up on the visit to her father"],
        )
    )
    reply = await service.receive_text(sender, INSTRUCTION, message_id="r1", reply_to="chat:42")

    assert reply.text.startswith("Updated — version 2; the previous version is kept.")
    new = reply.note
    assert new.note_id == note.note_id and new.version == 2
    assert "Thought-record homework" in new.homework
    assert dict(new.sections)["Plan"] == "Follow up on the visit to her father."
    assert any(f.evidence == SI_QUOTE for f in new.risks)
    (old,) = support.note_versions(service, therapist_id, note.note_id)
    assert old.version == 1 and old.sections == note.sections

    request = fake_openai.chat_requests()[-1].json
    assert block(request, "instruction") == INSTRUCTION
    assert block(request, "memo") == MAYA
    assert "Complete a thought record twice this week" in block(request, "note")


async def test_a_revision_cannot_invent_what_nobody_said(fake_openai, tmp_path):
    service = llm_service(fake_openai, tmp_path)
    sender, therapist_id, note = await delivered(service, fake_openai)
    fake_openai.chat(
        model_note(
            sections={"Subjective": "Maya said her sleep has not improved much. She was started on sertraline 50 mg."},
            homework=["Thought-record homework", "Attend an AA meeting"],
            risks=[risk("self_harm", "she cut her arm last night")],
        )
    )
    reply = await service.receive_text(sender, INSTRUCTION, message_id="r1", reply_to="chat:42")
    new = reply.note
    assert dict(new.sections)["Subjective"] == "Maya said her sleep has not improved much."
    assert new.homework == ("Thought-record homework",)
    assert not any(f.kind == "self_harm" for f in new.risks)


async def test_model_down_leaves_the_note_unchanged(fake_openai, tmp_path):
    service = llm_service(fake_openai, tmp_path)
    sender, therapist_id, note = await delivered(service, fake_openai)
    fake_openai.chat_error(503, times=5, headers={"Retry-After": "0"})
    reply = await service.receive_text(sender, INSTRUCTION, message_id="r1", reply_to="chat:42")
    assert reply.text == MODEL_DOWN
    assert support.note(service, therapist_id, note.note_id).version == 1


async def test_without_a_model_the_reply_says_what_works(tmp_path):
    service = build_assistant(Settings(data_dir=tmp_path / "data"))
    sender = service.console_sender(THERAPIST)
    reply = await support.typed_note(service, sender, MAYA, message_id="m1")
    support.update_memo(service, service.therapist_id(sender), reply.memo_id, status="delivered", reply_ref="chat:42")
    answer = await service.receive_text(sender, INSTRUCTION, message_id="r1", reply_to="chat:42")
    assert answer.text == NEEDS_MODEL
