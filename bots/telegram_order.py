"""Updates from different chats at once, each chat's in order.

python-telegram-bot handles one update at a time by default: when thirty therapists send memos at
5 pm, the last one waits for twenty-nine acknowledgements, each a round trip to Telegram. Handling
chats concurrently overlaps those round trips; one chat's updates still run one after another, so
"/client Maya" is handled before the memo sent after it, and a reply before the next question."""
from __future__ import annotations

import asyncio
from collections import Counter
from typing import Any, Awaitable

from telegram import Update
from telegram.ext import BaseUpdateProcessor

MAX_CONCURRENT_UPDATES = 32


class PerChatOrder(BaseUpdateProcessor):
    def __init__(self, max_concurrent_updates: int = MAX_CONCURRENT_UPDATES):
        super().__init__(max_concurrent_updates)
        self._locks: dict[object, asyncio.Lock] = {}
        self._queued: Counter = Counter()  # updates holding or waiting for each chat's lock

    async def do_process_update(self, update: object, coroutine: Awaitable[Any]) -> None:
        chat = update.effective_chat.id if isinstance(update, Update) and update.effective_chat else None
        lock = self._locks.setdefault(chat, asyncio.Lock())
        self._queued[chat] += 1
        try:
            async with lock:  # asyncio's lock wakes its waiters first come, first served
                await coroutine
        finally:
            self._queued[chat] -= 1
            if not self._queued[chat]:  # nothing else for this chat: forget its lock
                del self._queued[chat], self._locks[chat]

    async def initialize(self) -> None:
        pass

    async def shutdown(self) -> None:
        pass
