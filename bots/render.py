"""Rendering a core Reply as plain text (console, CLI, and the plain fallback of the chat bots)."""
from __future__ import annotations

from core.replies import digest_text, note_text
from core.types import Button, Reply


def plain_text(reply: Reply) -> str:
    parts = [reply.text] if reply.text else []
    if reply.note is not None:
        parts.append(note_text(reply.note))
    if reply.digest is not None and reply.text != digest_text(reply.digest):
        parts.append(digest_text(reply.digest))
    if reply.copy:
        parts.append(reply.copy.rstrip())
    return "\n\n".join(parts)


def flat_buttons(reply: Reply) -> list[Button]:
    return [button for row in reply.buttons for button in row]


def split_message(text: str, limit: int) -> list[str]:
    """Split at paragraph, then line, then word boundaries so no chunk exceeds `limit`."""
    chunks: list[str] = []
    rest = text
    while len(rest) > limit:
        cut = max(rest.rfind("\n\n", 0, limit), rest.rfind("\n", 0, limit), rest.rfind(" ", 0, limit))
        if cut <= 0:
            cut = limit
        chunks.append(rest[:cut].rstrip())
        rest = rest[cut:].lstrip()
    if rest:
        chunks.append(rest)
    return chunks
