"""Chats at once, each chat in order: one therapist's slow update never holds up another's, and a chat's
own updates run in the order they arrived."""
from __future__ import annotations

import asyncio

from telegram import Update

from bots.telegram_order import PerChatOrder


def update(update_id: int, chat_id: int) -> Update:
    return Update.de_json({"update_id": update_id, "message": {
        "message_id": update_id, "date": 0, "text": "hi",
        "chat": {"id": chat_id, "type": "private"}, "from": {"id": chat_id, "is_bot": False, "first_name": "T"}}}, None)


async def test_another_chat_goes_ahead_while_one_chat_keeps_its_order():
    processor = PerChatOrder()
    done: list[str] = []
    first_may_finish = asyncio.Event()

    async def handle(name: str, wait: asyncio.Event | None = None) -> None:
        if wait is not None:
            await wait.wait()
        done.append(name)

    tasks = [asyncio.create_task(processor.process_update(update(1, 10), handle("A1", first_may_finish))),
             asyncio.create_task(processor.process_update(update(2, 10), handle("A2"))),
             asyncio.create_task(processor.process_update(update(3, 20), handle("B1")))]
    await asyncio.sleep(0.05)
    assert done == ["B1"]  # chat 20 was not held up by chat 10's slow first update
    first_may_finish.set()
    await asyncio.gather(*tasks)
    assert done == ["B1", "A1", "A2"]  # chat 10 in its own order
    assert not processor._locks  # nothing kept for chats with nothing pending


async def test_many_updates_of_one_chat_stay_in_arrival_order():
    processor = PerChatOrder(max_concurrent_updates=4)
    done: list[int] = []

    async def handle(n: int) -> None:
        await asyncio.sleep(0.001 * (n % 3))  # uneven work: order must not depend on it
        done.append(n)

    await asyncio.gather(*(processor.process_update(update(n, 10 if n % 2 else 20), handle(n)) for n in range(40)))
    assert [n for n in done if n % 2] == list(range(1, 40, 2))
    assert [n for n in done if not n % 2] == list(range(0, 40, 2))
