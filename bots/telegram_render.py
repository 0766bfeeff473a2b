"""A core Reply as Telegram messages: HTML with every piece of content escaped, split under Telegram's
4,096-character limit at block boundaries (so no tag is ever cut in half), and an inline keyboard.

`deliver` is the one place that puts a Reply into a chat, for the handlers and the scheduler's notifier."""
from __future__ import annotations

import html
import logging
import re

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, LinkPreviewOptions, ReplyParameters
from telegram.constants import MessageLimit, ParseMode
from telegram.error import BadRequest

from bots.render import plain_text, split_message
from core.actions import encode
from core.replies import NOT_DISCUSSED, addendum_heading, flag_label, measures_text, note_lists, signature_line, split_risks
from core.types import NoteDraft, Reply

log = logging.getLogger(__name__)

TEXT_LIMIT = MessageLimit.MAX_TEXT_LENGTH  # 4096
COPY_PIECE = 3000  # characters of copy-ready text per <pre> block: escaped, it stays under TEXT_LIMIT
# Link previews make Telegram's servers fetch any URL in a message; a note may quote one.
NO_PREVIEW = LinkPreviewOptions(is_disabled=True)


def esc(text: str) -> str:
    # Outside attributes only <, > and & matter to Telegram's HTML parser.
    return html.escape(text, quote=False)


def tg_len(text: str) -> int:
    """Telegram counts UTF-16 code units (an emoji counts twice)."""
    return len(text.encode("utf-16-le")) // 2


# ---- blocks ----------------------------------------------------------------------------------------
def note_blocks(heading: str, note: NoteDraft) -> list[str]:
    """The note as self-contained HTML blocks (tags open and close inside one block)."""
    blocks = [f"<b>{esc(heading)}</b>"] if heading else []
    if note.writer == "offline-fallback":
        blocks.append("<i>Written by the offline writer (the language model was unavailable).</i>")
    if note.summary:
        blocks.append(f"<i>{esc(note.summary)}</i>")
    risks, screenings = split_risks(note.risks)
    if risks:  # first, where it can't be missed on a phone screen
        lines = (f"• {esc(flag_label(f))}: “{esc(f.evidence)}”" for f in risks)
        blocks.append("⚠️ <b>Risk</b>\n" + "\n".join(lines))
    for name, text in note.sections:
        blocks.append(f"<b>{esc(name)}</b>\n{esc(text or NOT_DISCUSSED)}")
    for title, items in note_lists(note):
        blocks.append(f"<b>{title}</b>\n" + "\n".join(f"• {esc(item)}" for item in items))
    if note.measures:
        blocks.append("<b>Measures</b>: " + esc(measures_text(note.measures)))
    if screenings:  # a screening result, not a warning
        lines = (f"• {esc(flag_label(f))}: “{esc(f.evidence)}”" for f in screenings)
        blocks.append("<b>Screened, denied</b>\n" + "\n".join(lines))
    if note.alliance:
        lines = (f"• {esc(flag_label(f))}: “{esc(f.evidence)}”" for f in note.alliance)
        blocks.append("<b>Alliance</b>\n" + "\n".join(lines))
    if note.signed_at:
        blocks.append(f"<i>{esc(signature_line(note))}</i>")
    blocks += [f"<b>{esc(addendum_heading(a))}</b>\n{esc(a.text)}" for a in note.addenda]
    return blocks


def copy_blocks(text: str) -> list[str]:
    """Copy-ready text in <pre> blocks (a tap copies one in Telegram), each short enough for a message."""
    return [f"<pre>{esc(piece)}</pre>" for piece in split_message(text.rstrip(), COPY_PIECE)]


def reply_blocks(reply: Reply) -> list[str]:
    if reply.note is not None:
        return note_blocks(reply.text, reply.note)
    if reply.copy:
        return ([esc(reply.text)] if reply.text else []) + copy_blocks(reply.copy)
    text = plain_text(reply)  # digests and plain answers: the core's wording, escaped
    return [esc(text)] if text else []


# ---- splitting -------------------------------------------------------------------------------------
def _fit(block: str, limit: int) -> list[str]:
    """A block longer than the limit is cut at paragraph/line/word boundaries. Only plain body text
    can be that long; a cut could break a tag or an entity, so the block is unwrapped to plain text,
    cut, and each piece escaped again. Escaping lengthens text, so cut shorter until every piece fits."""
    if tg_len(block) <= limit:
        return [block]
    raw = html.unescape(re.sub(r"</?(b|i|pre)>", "", block))
    raw_limit = limit
    while True:
        pieces = [esc(piece) for piece in split_message(raw, raw_limit)]
        if all(tg_len(piece) <= limit for piece in pieces) or raw_limit == 1:
            return pieces
        raw_limit = max(1, int(raw_limit * 0.8))


def split_html(blocks: list[str], limit: int = TEXT_LIMIT) -> list[str]:
    """Pack blocks into as few messages as possible, each at most `limit` long."""
    chunks: list[str] = []
    current = ""
    for block in (piece for b in blocks for piece in _fit(b, limit)):
        candidate = f"{current}\n\n{block}" if current else block
        if tg_len(candidate) <= limit:
            current = candidate
        else:
            chunks.append(current)
            current = block
    if current:
        chunks.append(current)
    return chunks


def render(reply: Reply, limit: int = TEXT_LIMIT) -> list[str]:
    return split_html(reply_blocks(reply), limit)


# ---- keyboard --------------------------------------------------------------------------------------
def keyboard(reply: Reply) -> InlineKeyboardMarkup | None:
    rows = []
    for row in reply.buttons:
        buttons = []
        for button in row:
            buttons.append(InlineKeyboardButton(button.label, callback_data=encode(button.action)))  # <= 64 bytes
        if buttons:
            rows.append(buttons)
    return InlineKeyboardMarkup(rows) if rows else None


# ---- sending ---------------------------------------------------------------------------------------
async def deliver(
    bot: Bot,
    chat_id: int,
    reply: Reply,
    *,
    edit_message_id: int | None = None,
    reply_to: int | None = None,
) -> list[int]:
    """Send a Reply; with `edit_message_id` the first message replaces that one (the acknowledgement
    becomes the note). The keyboard goes on the last message. Returns the message ids, first first."""
    chunks = render(reply)
    markup = keyboard(reply)
    if not chunks and markup is not None:
        chunks = ["Choose:"]
    ids: list[int] = []
    for index, chunk in enumerate(chunks):
        last = index == len(chunks) - 1
        if index == 0 and edit_message_id is not None:
            if await _edit(bot, chat_id, edit_message_id, chunk, markup if last else None):
                ids.append(edit_message_id)
                continue
        message = await bot.send_message(
            chat_id,
            chunk,
            parse_mode=ParseMode.HTML,
            reply_markup=markup if last else None,
            link_preview_options=NO_PREVIEW,
            reply_parameters=ReplyParameters(reply_to, allow_sending_without_reply=True) if reply_to and index == 0 else None,
        )
        ids.append(message.message_id)
    if reply.document is not None:
        ids.append(await _send_file(bot, chat_id, reply.document))
    return ids


async def _send_file(bot: Bot, chat_id: int, document) -> int:
    """A picture (a chart) as a photo, shown inline on a phone; anything else, or a picture Telegram
    refuses as a photo (too large, odd proportions), as a file."""
    if document.mime_type.startswith("image/"):
        try:
            message = await bot.send_photo(chat_id, photo=document.content, filename=document.filename)
            return message.message_id
        except BadRequest as error:
            log.info("photo refused, sending it as a file (%s)", type(error).__name__)
    message = await bot.send_document(chat_id, document=document.content, filename=document.filename)
    return message.message_id


async def _edit(bot: Bot, chat_id: int, message_id: int, text: str, markup: InlineKeyboardMarkup | None) -> bool:
    """False when the message can't be edited any more (deleted, too old): the caller sends a new one."""
    try:
        await bot.edit_message_text(
            text,
            chat_id=chat_id,
            message_id=message_id,
            parse_mode=ParseMode.HTML,
            reply_markup=markup,
            link_preview_options=NO_PREVIEW,
        )
        return True
    except BadRequest as error:
        if "not modified" in str(error).lower():  # a resumed delivery edits to the same text: done
            return True
        log.info("could not edit message %s, sending a new one (%s)", message_id, type(error).__name__)
        return False
