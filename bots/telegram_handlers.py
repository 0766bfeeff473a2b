"""One small handler per intent: the gate (private chats, enrolled therapists, each update once), text,
voice memos, button taps. Handlers parse the Telegram update, call the core, and render its Reply;
they decide nothing clinical."""
from __future__ import annotations

import asyncio
import contextlib
import logging
import mimetypes
import os
import re

from telegram import Bot, Message, Update
from telegram.constants import ChatAction, ChatType
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationHandlerStop,
    CallbackQueryHandler,
    ContextTypes,
    MessageHandler,
    TypeHandler,
    filters,
)

from bots.telegram_render import deliver
from core.language.client_match import hint_from_caption
from core.config import Settings
from core.errors import AllianceError, NotEnrolled, NotPrivate
from core.service import Assistant, PendingMemo, too_big_message
from core.types import AudioMemo, Reply, Sender

log = logging.getLogger(__name__)

CLOUD_DOWNLOAD_LIMIT = 20 * 1024 * 1024  # getFile refuses bigger files on api.telegram.org
ACK_TEXT = "Got it — transcribing…"
OTHER_CONTENT = "I can take voice memos, audio files and typed messages. Send /help to see what I can do."
ERROR_TEXT = "Something went wrong on my side. Please try again in a moment."
FETCH_FAILED = "I couldn't fetch that file from Telegram. Please send it again."
FETCH_FAILED_SHORT = "I couldn't fetch this memo from Telegram."
RESUME_FETCH_FAILED = (
    "I was restarting while fetching a voice memo you sent, and I couldn't get it from Telegram again. "
    "Please send that memo again."
)
RESUME_FETCH_FAILED_BECAUSE = "I was restarting while fetching a voice memo you sent and couldn't finish it:"
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


def is_self_hosted(settings: Settings) -> bool:
    base = settings.telegram_base_url
    return bool(base) and "api.telegram.org" not in base


def download_limit(settings: Settings) -> int:
    """The largest file we will ask Telegram for: the cloud API's getFile limit, unless a self-hosted
    Bot API server lifts it; never more than the memo size the service accepts."""
    if is_self_hosted(settings):
        return settings.max_memo_bytes
    return min(CLOUD_DOWNLOAD_LIMIT, settings.max_memo_bytes)


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
        self._finishing: set[int] = set()  # memo ids with a delivery in flight in this process

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
        if not self.service.store.claim_event(f"telegram:update:{update.update_id}"):
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
        try:
            async with typing(context.bot, chat_id):
                if replied is not None and replied.from_user is not None and replied.from_user.id == context.bot.id:
                    reply = await self.service.receive_reply(
                        sender, message.text, message_id=message_id, reply_ref=f"{chat_id}:{replied.message_id}"
                    )
                else:
                    reply = await self.service.receive_text(sender, message.text, message_id=message_id)
        except AllianceError as error:
            reply = Reply(str(error))
        if not reply.silent:
            await self.send(context.bot, sender, chat_id, reply)

    async def on_calendar(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An .ics file: import its sessions (recurring series included)."""
        from core.schedule.appointments import calendar_file

        message = update.message
        if (message.document.file_size or 0) > MAX_CALENDAR_BYTES:
            await message.reply_text("That calendar file is too large (over 5 MB).")
            return
        therapist_id = self.service.therapist_id(sender_of(update))
        data = bytes(await (await message.document.get_file()).download_as_bytearray())
        await self.send(context.bot, sender_of(update), message.chat_id, await calendar_file(self.service, therapist_id, data))

    async def on_other(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        await update.message.reply_text(OTHER_CONTENT)

    async def send(self, bot: Bot, sender: Sender, chat_id: int, reply: Reply, *, reply_to: int | None = None) -> list[int]:
        """Send a reply; a note sent as a new message is remembered so replies to it reach the note."""
        ids = await deliver(bot, chat_id, reply, reply_to=reply_to)
        if reply.note is not None and reply.memo_id is not None and ids:
            with contextlib.suppress(AllianceError):
                self.service.set_reply_ref(self.service.therapist_id(sender), reply.memo_id, f"{chat_id}:{ids[0]}")
        return ids

    # ---- voice memos ---------------------------------------------------------------------------
    async def on_memo(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        message = update.message
        sender = sender_of(update)
        therapist_id = self.service.therapist_id(sender)  # the gate checked; nothing is fetched before this
        attachment = message.voice or message.audio or message.video_note or message.document
        limit = download_limit(self.settings)
        if attachment.file_size and attachment.file_size > limit:
            await message.reply_text(too_big_message(attachment.file_size, limit))
            return
        chat_id = message.chat_id
        name = "memo" + _extension(getattr(attachment, "file_name", None), getattr(attachment, "mime_type", None))
        if message.voice is not None and not name.endswith((".ogg", ".oga", ".opus")):
            name = "memo.ogg"
        # Recorded before the download: the update is already claimed, so a crash from here on must not
        # lose the memo. A restart fetches it again by its file id (see resume).
        receipt = await self.service.receive_memo(
            sender,
            AudioMemo(
                f"{chat_id}:{message.message_id}",
                None,
                name,
                getattr(attachment, "mime_type", None) or "",
                source_ref=attachment.file_id,
                size_bytes=attachment.file_size or None,
                client_hint=hint_from_caption(message.caption),
            ),
        )
        if not receipt.accepted or (receipt.duplicate and not receipt.needs_audio):
            await message.reply_text(receipt.message)
            return
        ack = await message.reply_text(ACK_TEXT)
        self.service.set_reply_ref(therapist_id, receipt.memo_id, f"{chat_id}:{ack.message_id}")
        async with typing(context.bot, chat_id):
            problem = await self.fetch_audio(context.bot, therapist_id, receipt.memo_id, attachment.file_id)
        if problem:
            await _edit_text(ack, problem)
            return
        # Transcription takes seconds to minutes: finish in the background so the bot stays responsive.
        context.application.create_task(
            self.finish_memo(context.bot, therapist_id, receipt.memo_id, chat_id, ack.message_id),
            update=update,
            name=f"memo-{receipt.memo_id}",
        )

    async def fetch_audio(self, bot: Bot, therapist_id: int, memo_id: int, file_id: str | None) -> str | None:
        """Download a recorded memo's audio from Telegram and attach it. Returns None when attached, else
        the message for the therapist; the memo is then marked failed with it (kept, never pending forever)."""
        limit = download_limit(self.settings)
        data, problem = b"", FETCH_FAILED
        if file_id:
            try:
                file = await bot.get_file(file_id)
                if file.file_size and file.file_size > limit:
                    problem = too_big_message(file.file_size, limit)
                else:
                    data, problem = bytes(await file.download_as_bytearray(read_timeout=120)), ""
            except TelegramError as error:
                log.warning("could not fetch the file of memo %s from Telegram: %s", memo_id, type(error).__name__)
        if problem:
            # No core call fails a memo with a reason of ours; attach_audio only judges bytes it is given.
            self.service.fail_memo(therapist_id, memo_id, problem)
            return problem
        receipt = self.service.attach_audio(therapist_id, memo_id, data)  # fails the memo itself if unusable
        return None if receipt.accepted else receipt.message

    async def finish_memo(self, bot: Bot, therapist_id: int, memo_id: int, chat_id: int, ack_id: int | None) -> None:
        """Process a stored memo and turn the acknowledgement into the note (or the failure message)."""
        if memo_id in self._finishing:
            return
        self._finishing.add(memo_id)
        try:
            async with typing(bot, chat_id):
                reply = await self.service.process_memo(therapist_id, memo_id)
            ids = await _retrying(lambda: deliver(bot, chat_id, reply, edit_message_id=ack_id))
            if reply.note is not None:
                # A crash before this line means the restart edits the same message again: no duplicate.
                self.service.mark_delivered(therapist_id, memo_id, f"{chat_id}:{ids[0]}" if ids else None)
        finally:
            self._finishing.discard(memo_id)

    async def resume(self, bot: Bot) -> None:
        """After a restart: fetch memos whose download was cut off, finish memos that were mid-way and
        deliver them, once each."""
        for pending in self.service.unfinished_memos("telegram"):
            chat_id, ack_id = self._destination(pending.therapist_id, pending.memo_id)
            if chat_id is None:
                log.warning("memo %s has no Telegram chat to deliver to", pending.memo_id)
                continue
            try:
                if pending.needs_audio and not await self._refetch(bot, pending, chat_id, ack_id):
                    continue
                await self.finish_memo(bot, pending.therapist_id, pending.memo_id, chat_id, ack_id)
            except TelegramError as error:
                log.warning("could not deliver memo %s after restart: %s", pending.memo_id, type(error).__name__)

    async def _refetch(self, bot: Bot, pending: PendingMemo, chat_id: int, ack_id: int | None) -> bool:
        """The download of this memo was cut off by the restart: fetch it again. On failure the therapist
        is told in the chat (a new message, so it notifies) and asked to send the memo again."""
        if pending.memo_id in self._finishing:
            return False
        self._finishing.add(pending.memo_id)
        try:
            async with typing(bot, chat_id):
                problem = await self.fetch_audio(bot, pending.therapist_id, pending.memo_id, pending.source_ref)
        finally:
            self._finishing.discard(pending.memo_id)
        if problem is None:
            return True
        log.info("memo %s could not be fetched again after a restart", pending.memo_id)
        text = RESUME_FETCH_FAILED if problem == FETCH_FAILED else f"{RESUME_FETCH_FAILED_BECAUSE} {problem}"
        if ack_id is not None:
            await _quietly(bot.edit_message_text(FETCH_FAILED_SHORT, chat_id=chat_id, message_id=ack_id))
        await _retrying(lambda: deliver(bot, chat_id, Reply(text), reply_to=ack_id))
        return False

    def _destination(self, therapist_id: int, memo_id: int) -> tuple[int | None, int | None]:
        ref = self.service.reply_ref(therapist_id, memo_id)
        if ref and re.fullmatch(r"-?\d+:\d+", ref):
            chat, _, message = ref.partition(":")
            return int(chat), int(message)
        for platform, _workspace, user_id in self.service.linked_accounts(therapist_id):
            if platform == "telegram" and user_id.lstrip("-").isdigit():
                return int(user_id), None  # a private chat's id is the user's id
        return None, None

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
            await self.send(context.bot, sender, chat_id, reply)
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
            await self.send(context.bot, sender, chat_id, reply, reply_to=pressed.message_id)
        else:
            # An outcome ("Note deleted.", "Cancelled"): it replaces the question that was answered.
            await deliver(context.bot, chat_id, reply, edit_message_id=pressed.message_id)
            original = pressed.reply_to_message
            if (query.data or "").startswith("delete!:") and original is not None and original.from_user is not None \
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


async def _retrying(send, attempts: int = 3):
    """Deliveries survive a flood-control pause or a network blip; after that the memo stays
    undelivered and the next start delivers it."""
    for attempt in range(attempts):
        try:
            return await send()
        except RetryAfter as error:
            if attempt == attempts - 1:
                raise
            delay = error.retry_after.total_seconds() if hasattr(error.retry_after, "total_seconds") else error.retry_after
            await asyncio.sleep(min(float(delay), 60.0))
        except BadRequest:
            raise  # Telegram refused the content: sending it again won't help
        except NetworkError:
            if attempt == attempts - 1:
                raise
            await asyncio.sleep(2**attempt)
