"""Changing a delivered note by replying to it ("shorten the plan, add thought-record homework"), and
asking the model again for a note the offline writer had to write while the model was unavailable.

Both store a new version through store.replace_note, which keeps the previous one as a NoteVersion.
Both need a language model; without one the therapist is told what works instead.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from typing import TYPE_CHECKING

from core.models.client import LLMError
from core.replies import note_reply
from core.types import NoteDraft, Reply

if TYPE_CHECKING:
    from core.service import Assistant

log = logging.getLogger(__name__)

NEEDS_MODEL = (
    "Editing a note by reply needs a language model (ALLIANCE_LLM=openai). "
    "Meanwhile use the buttons under the note, or /note with the corrected text."
)
MODEL_DOWN = "I couldn't reach the language model just now, so the note is unchanged. Please try again in a minute."
GONE = "That note no longer exists."


def _model_writer(service: "Assistant"):
    writer = service.memos.writer
    return writer if callable(getattr(writer, "revise", None)) else None


def _sources(service: "Assistant", therapist_id: int, note_id: int) -> tuple[str, str]:
    """(the memo's transcript or typed text, the therapist's style preferences)."""
    row = service.store.note_row(therapist_id, note_id)
    memo = service.store.memo(therapist_id, row.memo_id) if row and row.memo_id else None
    therapist = service.store.therapist(therapist_id)
    preferences = service.store.cipher.decrypt(therapist.preferences_enc) or ""
    return (memo.transcript or "") if memo else "", preferences


def _store(service: "Assistant", therapist_id: int, note_id: int, draft: NoteDraft) -> Reply:
    updated = service.store.replace_note(therapist_id, note_id, draft, status="draft" if draft.needs_client else "final")
    service.store.audit(therapist_id, "system", "write", "note", note_id)
    reply = note_reply(updated)
    return replace(reply, text=f"Updated — version {updated.version}; the previous version is kept.\n{reply.text}")


async def revise_note(service: "Assistant", therapist_id: int, note_id: int, instruction: str) -> Reply:
    writer = _model_writer(service)
    if writer is None:
        # The offline writer cannot follow free-text instructions without inventing; say what works.
        return Reply(NEEDS_MODEL)
    note = service.store.note(therapist_id, note_id)
    if note is None:
        return Reply(GONE)
    if not instruction.strip():
        return Reply("Reply to a note with what to change, e.g. \"shorten the plan, add thought-record homework\".")
    transcript, preferences = _sources(service, therapist_id, note_id)
    try:
        revised = await asyncio.to_thread(writer.revise, note, instruction, transcript=transcript, preferences=preferences)
    except LLMError as error:
        log.warning("note %s revision failed (%s)", note_id, error.kind)
        return Reply(MODEL_DOWN)
    return _store(service, therapist_id, note_id, revised)


async def retry_with_model(service: "Assistant", therapist_id: int, note_id: int) -> Reply:
    """A note delivered by the offline writer because the model failed: try the model again."""
    writer = _model_writer(service)
    if writer is None:
        return Reply("No language model is configured (ALLIANCE_LLM=openai), so the offline note stands.")
    note = service.store.note(therapist_id, note_id)
    if note is None:
        return Reply(GONE)
    transcript, preferences = _sources(service, therapist_id, note_id)
    if not transcript:
        return Reply("The memo's text is no longer stored, so the note can't be rewritten.")
    draft = await asyncio.to_thread(
        writer.write, transcript, note_format=note.format, session_date=note.session_date,
        client_name=note.client_name, preferences=preferences,
    )
    if draft.writer != "llm":
        return Reply(MODEL_DOWN)
    draft = replace(draft, client_id=note.client_id, client_name=note.client_name, note_id=note_id, needs_client=note.needs_client)
    return _store(service, therapist_id, note_id, draft)
