"""One small handler per intent: the gate (private chats, enrolled therapists, each update once), text,
voice memos, button taps, calendar files. Handlers parse the Telegram update, call the core, and render
its Reply; they decide nothing clinical and never sequence a memo (the core's memo flow does, through
bots/telegram_channel.py)."""
from __future__ import annotations

import asyncio
import contextlib
import logging
import mimetypes
import os
import re

from telegram import Bot, Message, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bots.telegram_channel import download_limit
from bots.telegram_render import deliver
from core.actions import decode
from core.config import Settings
from core.errors import AllianceError, NotEnrolled, NotPrivate
from core.language.client_match import hint_from_caption
from core.memo_flow import too_big_message
from core.service import Assistant
from core.types import AudioMemo, DeleteNote, Reply, Sender

log = logging.getLogger(__name__)

OTHER_CONTENT = "I can take voice memos, audio files and typed messages. Send /help to see what I can do."
ERROR_TEXT = "Something went wrong on my side. Please try again in a moment."
AUDIO_EXTENSIONS = ("ogg", "oga", "opus", "m4a", "mp3", "wav", "flac", "webm", "aac", "amr")
MEMO_FILTER = (
    filters.VOICE
    | filters.AUDIO
    | filters.VIDEO_NOTE
    | filters.Document.AUDIO
    | filters.Document.FileExtension(AUDIO_EXTENSIONS[0])
)
for _ext in AUDIO_EXTENSIONS[1:]:
    MEMO_FILTER = MEMO_FILTER | filters.Document.FileExtension(_ext)
ENROL_COMMAND = re.compile(r"^/(start|link)(@\w+)?(\s|$)", re.IGNORECASE)
TYPING_EVERY_S = 4.5  # Telegram shows a chat action for about 5 seconds


CALENDAR_FILTER = filters.Document.FileExtension("ics") | filters.Document.MimeType("text/calendar")
MAX_CALENDAR_BYTES = 5 * 1024 * 1024


def sender_of(update: Update) -> Sender | None:
    user, chat = update.effective_user, update.effective_chat
    if user is None or chat is None:
        return None
    return Sender("telegram", "", str(user.id), chat.type)


def _extension(file_name: str | None, mime_type: str | None) -> str:
    ext = os.path.splitext(file_name or "")[1].lower()
    if re.fullmatch(r"\.[a-z0-9]{1,5}", ext):
        return ext
    return mimetypes.guess_extension(mime_type or "") or ""


class TelegramHandlers:
    def __init__(self, service: Assistant, settings: Settings):
        self.service = service
        self.settings = settings

    def register(self, app: Application) -> None:
        app.add_handler(TypeHandler(Update, self.gate), group=-1)
        app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & MEMO_FILTER, self.on_memo))
        app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & filters.TEXT, self.on_text))
        app.add_handler(MessageHandler(filters.UpdateType.MESSAGE & CALENDAR_FILTER, self.on_calendar))
        app.add_handler(CallbackQueryHandler(self.on_button))
        app.add_handler(MessageHandler(filters.UpdateType.MESSAGE, self.on_other))
        app.add_error_handler(self.on_error)

    # ---- gate ----------------------------------------------------------------------------------
    async def gate(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Runs before every handler. Stops anything not from an enrolled therapist in a private chat,
        and any update already handled (Telegram redelivers after a crash or a webhook timeout)."""
        if update.message is None and update.callback_query is None:
            raise ApplicationHandlerStop  # edits, channel posts, membership changes: nothing to do
        chat, sender = update.effective_chat, sender_of(update)
        if chat is None or sender is None:
            if update.callback_query:
                await _quietly(update.callback_query.answer("That button has expired."))
            raise ApplicationHandlerStop
        if chat.type != ChatType.PRIVATE:
            await self._refuse_shared_chat(update, context)
            raise ApplicationHandlerStop
        if not self.service.is_enrolled(sender):
            message = update.message
            if message is not None and message.text and ENROL_COMMAND.match(message.text):
                return  # /start <code>: on_text enrols; nothing is stored for a stranger before that
            await self._refuse(update, str(NotEnrolled()))
            raise ApplicationHandlerStop
        if not self.service.claim_event(f"telegram:update:{update.update_id}"):
            log.info("telegram update %s was already handled; ignoring the redelivery", update.update_id)
            raise ApplicationHandlerStop

    async def _refuse_shared_chat(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        # Never echo what was posted; leave, so no further client details reach this bot from there.
        chat = update.effective_chat
        log.info("refused a %s chat", chat.type)
        await self._refuse(update, str(NotPrivate()))
        if update.message is not None:
            await _quietly(context.bot.leave_chat(chat.id))

    async def _refuse(self, update: Update, text: str) -> None:
        if update.callback_query is not None:
            await _quietly(update.callback_query.answer(text, show_alert=True))
        elif update.effective_chat is not None:
            await _quietly(update.get_bot().send_message(update.effective_chat.id, text))

    # ---- text ----------------------------------------------------------------------------------
    async def on_text(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        sender = sender_of(update)
        chat_id = message.chat_id
        message_id = f"{chat_id}:{message.message_id}"
        replied = message.reply_to_message
        from_bot = replied is not None and replied.from_user is not None and replied.from_user.id == context.bot.id
        try:
            async with typing(context.bot, chat_id):
                reply = await self.service.receive_text(
                    sender, message.text, message_id=message_id, origin=message_id,
                    reply_to=f"{chat_id}:{replied.message_id}" if from_bot else None,
                    replied_text=replied.text if from_bot else None,
                )
        except AllianceError as error:
            reply = Reply(str(error))
        if not reply.silent:
            await deliver(context.bot, chat_id, reply)

    async def on_calendar(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An .ics file: import its sessions (recurring series included)."""
        message = update.message
        if (message.document.file_size or 0) > MAX_CALENDAR_BYTES:
            await message.reply_text("That calendar file is too large (over 5 MB).")
            return
        data = bytes(await (await message.document.get_file()).download_as_bytearray())
        await deliver(context.bot, message.chat_id, await self.service.calendar_file(sender_of(update), data))

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text(OTHER_CONTENT)

    # ---- voice memos ---------------------------------------------------------------------------
    async def on_memo(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Hand the memo to the core: it is recorded before its download, acknowledged in the chat and
        queued; the memo flow fetches, transcribes and edits the acknowledgement into the note."""
        message = update.message
        attachment = message.voice or message.audio or message.video_note or message.document
        limit = download_limit(self.settings)
        if attachment.file_size and attachment.file_size > limit:
            await message.reply_text(too_big_message(attachment.file_size, limit))
            return
        name = "memo" + _extension(getattr(attachment, "file_name", None), getattr(attachment, "mime_type", None))
        if message.voice is not None and not name.endswith((".ogg", ".oga", ".opus")):
            name = "memo.ogg"
        origin = f"{message.chat_id}:{message.message_id}"
        receipt = await self.service.receive_memo(
            sender_of(update),
            AudioMemo(
                origin, None, name, getattr(attachment, "mime_type", None) or "",
                source_ref=attachment.file_id, size_bytes=attachment.file_size or None,
                client_hint=hint_from_caption(message.caption),
            ),
            origin=origin,
        )
        if not receipt.accepted:
            await message.reply_text(receipt.message)

    # ---- buttons -------------------------------------------------------------------------------
    async def on_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        sender = sender_of(update)
        await _quietly(query.answer())  # stop the spinner now; rewriting a note may take a while
        pressed = query.message if isinstance(query.message, Message) else None
        chat_id = update.effective_chat.id
        try:
            async with typing(context.bot, chat_id):
                reply = await self.service.press(sender, query.data or "")
        except AllianceError as error:
            reply = Reply(str(error))
        if pressed is None:  # too old to edit: answer in a new message
            await deliver(context.bot, chat_id, reply)
            return
        if reply.note is not None:
            # The updated note replaces the note it came from. When the button was on a follow-up
            # (the client picker, sent as a reply to the note), that note is the one replied to.
            original = pressed.reply_to_message
            if original is not None and original.from_user is not None and original.from_user.id == context.bot.id:
                await deliver(context.bot, chat_id, reply, edit_message_id=original.message_id)
                await _edit_text(pressed, "Updated the note above.")
            else:
                await deliver(context.bot, chat_id, reply, edit_message_id=pressed.message_id)
        elif reply.buttons:
            # A follow-up question (which client? delete for good?): keep the note visible above it.
            await deliver(context.bot, chat_id, reply, reply_to=pressed.message_id)
        else:
            # An outcome ("Note deleted.", "Cancelled"): it replaces the question that was answered.
            await deliver(context.bot, chat_id, reply, edit_message_id=pressed.message_id)
            original = pressed.reply_to_message
            if isinstance(decode(query.data or ""), DeleteNote) and original is not None and original.from_user is not None \
                    and original.from_user.id == context.bot.id:
                # The deleted note's text must not stay in the chat either.
                await deliver(context.bot, chat_id, reply, edit_message_id=original.message_id)

    # ---- errors --------------------------------------------------------------------------------
    async def on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        # Type only: an exception's text or the update could carry client content.
        error = context.error
        where = f"update {update.update_id}" if isinstance(update, Update) else "a background task"
        log.error("telegram handler failed on %s: %s", where, type(error).__name__)
        if isinstance(update, Update) and update.effective_chat and update.effective_chat.type == ChatType.PRIVATE:
            await _quietly(context.bot.send_message(update.effective_chat.id, ERROR_TEXT))


@contextlib.asynccontextmanager
async def typing(bot: Bot, chat_id: int):
    """Show "typing…" in the chat while the body runs."""

    async def keep_typing() -> None:
        while True:
            await _quietly(bot.send_chat_action(chat_id, ChatAction.TYPING))
            await asyncio.sleep(TYPING_EVERY_S)

    task = asyncio.create_task(keep_typing())
    try:
        yield
    finally:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task


async def _edit_text(message: Message, text: str) -> None:
    await _quietly(message.edit_text(text))


async def _quietly(awaitable) -> None:
    """For courtesy calls (chat actions, callback answers, leaving): a failure changes nothing."""
    try:
        await awaitable
    except TelegramError as error:
        log.info("telegram call skipped: %s", type(error).__name__)
