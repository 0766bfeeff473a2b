"""Telegram as the memo flow's Channel (core/ports.py): fetch a memo's file, send a message where the memo
came from, edit the acknowledgement into the note. Refs are "chat_id:message_id". Also the scheduler's
Notifier for digests and reminders. Works in any process that has the bot token (web or worker)."""
from __future__ import annotations

import asyncio
import logging

from telegram import Bot
from telegram.error import BadRequest, NetworkError, RetryAfter, TelegramError

from bots.telegram_render import deliver
from core.config import Settings
from core.errors import FetchFailed
from core.memo_flow import too_big_message
from core.types import Reply

log = logging.getLogger(__name__)

CLOUD_DOWNLOAD_LIMIT = 20 * 1024 * 1024  # getFile refuses bigger files on api.telegram.org
FETCH_FAILED = "I couldn't fetch that file from Telegram. Please send it again."


def is_self_hosted(settings: Settings) -> bool:
    base = settings.telegram_base_url
    return bool(base) and "api.telegram.org" not in base


def download_limit(settings: Settings) -> int:
    """The largest file we will ask Telegram for: the cloud API's getFile limit, unless a self-hosted
    Bot API server lifts it; never more than the memo size the service accepts."""
    if is_self_hosted(settings):
        return settings.max_memo_bytes
    return min(CLOUD_DOWNLOAD_LIMIT, settings.max_memo_bytes)


def parse_ref(ref: str) -> tuple[int, int | None]:
    chat, _, message = ref.partition(":")
    return int(chat), int(message) if message.lstrip("-").isdigit() else None


class TelegramChannel:
    platform = "telegram"

    def __init__(self, bot: Bot, settings: Settings):
        self.bot, self.settings = bot, settings
        self._ready = asyncio.Lock()
        self._initialized = False

    async def _init(self) -> None:
        """A worker's own Bot opens its connection pool once (the web process's is already open)."""
        async with self._ready:
            if not self._initialized:
                await self.bot.initialize()
                self._initialized = True

    async def close(self) -> None:
        if self._initialized:
            await self.bot.shutdown()
            self._initialized = False

    async def fetch_audio(self, source_ref: str, max_bytes: int) -> bytes:
        limit = min(download_limit(self.settings), max_bytes)
        try:
            await self._init()
            file = await self.bot.get_file(source_ref)
            if file.file_size and file.file_size > limit:
                raise FetchFailed(too_big_message(file.file_size, limit))
            return bytes(await file.download_as_bytearray(read_timeout=120))
        except TelegramError as error:
            log.warning("could not fetch a memo's file from Telegram: %s", type(error).__name__)
            raise FetchFailed(FETCH_FAILED) from None

    async def send(self, origin: str, reply: Reply) -> str | None:
        chat_id, message_id = parse_ref(origin)
        await self._init()
        ids = await retrying(lambda: deliver(self.bot, chat_id, reply, reply_to=message_id))
        return f"{chat_id}:{ids[0]}" if ids else None

    async def edit(self, ref: str, reply: Reply, *, origin: str | None = None) -> str | None:
        chat_id, message_id = parse_ref(ref)
        await self._init()
        ids = await retrying(lambda: deliver(self.bot, chat_id, reply, edit_message_id=message_id))
        return f"{chat_id}:{ids[0]}" if ids else None


class TelegramNotifier:
    """core.ports.Notifier for Telegram: digests and reminders into the therapist's private chat."""

    platform = "telegram"

    def __init__(self, bot: Bot):
        self._bot = bot
        self._ready = asyncio.Lock()
        self._initialized = False

    async def send(self, user_id: str, workspace_id: str, reply: Reply) -> None:
        async with self._ready:
            if not self._initialized:
                await self._bot.initialize()
                self._initialized = True
        await deliver(self._bot, int(user_id), reply)  # a private chat's id is the user's id

    async def close(self) -> None:
        if self._initialized:
            await self._bot.shutdown()
            self._initialized = False


async def retrying(send, attempts: int = 3):
    """Deliveries survive a flood-control pause or a network blip; after that the memo stays
    undelivered and is delivered later (the recovery sweep)."""
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
