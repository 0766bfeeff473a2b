"""Changing a delivered note by replying to it ("shorten the plan, add thought-record homework"), and
asking the model again for a note the offline writer had to write while the model was unavailable.

Both store a new version (the previous one is kept). Both need a language model; without one the
therapist is told what works instead.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import replace

from core import note_ops
from core.context import Context, Who
from core.models.client import LLMError
from core.notebook.instructions import HOW
from core.replies import present_note
from core.types import Reply

log = logging.getLogger(__name__)

NEEDS_MODEL = (
    "Editing a note by reply in your own words needs a language model (ALLIANCE_LLM=openai); the note is unchanged. "
    "Without one, reply with an instruction I understand.\n\n" + HOW
)
MODEL_DOWN = "I couldn't reach the language model just now, so the note is unchanged. Please try again in a minute."
GONE = "That note no longer exists."


def model_writer(ctx: Context):
    writer = ctx.writer
    return writer if callable(getattr(writer, "revise", None)) else None


def _stored(ctx: Context, who: Who, note_id: int, draft) -> Reply:
    with ctx.uow() as uow:
        updated = note_ops.store_version(uow, who, note_id, draft)
        reply = present_note(uow, who.therapist_id, note_id)
        uow.commit()
    return replace(reply, text=f"Updated — version {updated.version}; the previous version is kept.\n{reply.text}")


async def revise_note(ctx: Context, who: Who, note_id: int, instruction: str) -> Reply:
    writer = model_writer(ctx)
    if writer is None:
        # The offline writer cannot follow free-text instructions without inventing; say what works.
        return Reply(NEEDS_MODEL)
    if not instruction.strip():
        return Reply("Reply to a note with what to change, e.g. \"shorten the plan, add thought-record homework\".")
    with ctx.uow() as uow:
        note = uow.notes.get(who.therapist_id, note_id)
        if note is None:
            return Reply(GONE)
        transcript, preferences = note_ops.sources(uow, who.therapist_id, note_id)
    try:
        revised = await asyncio.to_thread(writer.revise, note, instruction, transcript=transcript, preferences=preferences)
    except LLMError as error:
        log.warning("note %s revision failed (%s)", note_id, error.kind)
        return Reply(MODEL_DOWN)
    return _stored(ctx, who, note_id, revised)


async def retry_with_model(ctx: Context, who: Who, note_id: int) -> Reply:
    """A note delivered by the offline writer because the model failed: try the model again."""
    writer = model_writer(ctx)
    if writer is None:
        return Reply("No language model is configured (ALLIANCE_LLM=openai), so the offline note stands.")
    with ctx.uow() as uow:
        note = uow.notes.get(who.therapist_id, note_id)
        if note is None:
            return Reply(GONE)
        transcript, preferences = note_ops.sources(uow, who.therapist_id, note_id)
    if not transcript:
        return Reply("The memo's text is no longer stored, so the note can't be rewritten.")
    draft = await asyncio.to_thread(
        writer.write, transcript, note_format=note.format, session_date=note.session_date,
        client_name=note.client_name, preferences=preferences,
    )
    if draft.writer != "llm":
        return Reply(MODEL_DOWN)
    draft = replace(draft, client_id=note.client_id, client_name=note.client_name, note_id=note_id, needs_client=note.needs_client)
    return _stored(ctx, who, note_id, draft)
