"""The terminal channel: `alliance chat --as NAME`. Same core, typed lines instead of chat messages."""
from __future__ import annotations

import asyncio
import hashlib
import logging
import uuid
from pathlib import Path

from bots.render import flat_buttons, plain_text
from core.actions import encode
from core.errors import AllianceError
from core.types import AudioMemo, Reply

log = logging.getLogger(__name__)

CHAT_HELP = (
    "Type a question, or a command: /memo PATH (a voice memo file), /note TEXT, /notes [NAME], /edit N CHANGE, "
    "/today, /clients, /settings, /export NAME, /forget NAME, /help. Buttons show as [1], [2]…: type /press 1. "
    "/quit to leave."
)


def print_reply(reply: Reply) -> None:
    text = plain_text(reply)
    if text:
        print(text)
    for number, button in enumerate(flat_buttons(reply), start=1):
        print(f"  [{number}] {button.label}")
    if reply.document is not None:
        command = "alliance chart --out FILE.png" if reply.document.mime_type.startswith("image/") else "alliance export --out"
        print(f"(document {reply.document.filename}, {len(reply.document.content)} bytes — use `{command}`)")


async def chat(service, name: str, lines=None) -> int:
    """Read lines (stdin by default) until /quit or end of input."""
    sender = service.console_sender(name)
    therapist_id = service.therapist_id(sender)
    print(f"Hello {name}. {CHAT_HELP}")
    last = Reply("")
    while True:
        line = await asyncio.to_thread(_read_line) if lines is None else next(lines, None)
        if line is None or line.strip() in ("/quit", "/exit"):
            return 0
        line = line.strip()
        if not line:
            continue
        try:
            last = await _handle(service, sender, therapist_id, line, last, uuid.uuid4().hex)
        except AllianceError as error:
            last = Reply(str(error))
        except Exception as error:  # one bad line must not end the conversation; the type only, never the text
            log.error("console line failed: %s", type(error).__name__)
            last = Reply("Something went wrong with that line. What was saved before stays; please try again.")
        print_reply(last)


async def _handle(service, sender, therapist_id: int, line: str, last: Reply, message_id: str) -> Reply:
    if line.startswith("/memo"):
        path = Path(line[5:].strip()).expanduser()
        if not path.is_file():
            return Reply(f"No file at {path}.")
        data = path.read_bytes()
        memo = AudioMemo(hashlib.sha256(data).hexdigest()[:24], data, "memo" + path.suffix.lower()[:6])
        receipt = await service.receive_memo(sender, memo)
        if not receipt.accepted:
            return Reply(receipt.message)
        print(receipt.message)
        return await service.finish_memo(therapist_id, receipt.memo_id)
    if line.startswith("/press"):
        buttons = flat_buttons(last)
        choice = line[6:].strip()
        if not choice.isdigit() or not 1 <= int(choice) <= len(buttons):
            return Reply("Type /press and the number of a button shown above.")
        return await service.press(sender, encode(buttons[int(choice) - 1].action))
    if line.startswith("/help"):
        return Reply(CHAT_HELP)
    return await service.receive_text(sender, line, message_id=message_id)


def _read_line() -> str | None:
    try:
        return input("> ")
    except EOFError:
        return None
