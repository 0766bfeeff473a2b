"""Changing a delivered note by replying to it ("shorten the plan, add thought-record homework")."""
from __future__ import annotations

from typing import TYPE_CHECKING

from core.types import Reply

if TYPE_CHECKING:
    from core.service import Assistant


async def revise_note(service: "Assistant", therapist_id: int, note_id: int, instruction: str) -> Reply:
    # The offline writer cannot follow free-text instructions without inventing; say what works.
    return Reply(
        "Editing a note by reply needs a language model (ALLIANCE_LLM=openai). "
        "Meanwhile use the buttons under the note, or /note with the corrected text."
    )
