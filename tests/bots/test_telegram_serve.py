"""The bot as `alliance run` starts it: serve() with real long polling (or a webhook) against the local
fake Bot API, stopped and started again like a process restart."""
from __future__ import annotations

import asyncio
import contextlib
import socket

import aiohttp
import pytest

from bots.bootstrap import build_assistant
from bots.run import run
from bots.telegram import TelegramConfigError, fetch_username, make_notifier, serve
from core.types import AudioMemo, Document, Reply, Sender
from tests.bots.test_telegram import (  # noqa: F401 - fixtures
    ADA,
    STRANGER,
    assert_telegram_html,
    fake,
    service,
    settings,
)
from tests.fakes.telegram_api import BOT_USERNAME
from tests import support


@contextlib.asynccontextmanager
async def running(service, settings):
    """`alliance run` (bots.run.run: the bot, the worker and the clock on this data dir) in the background
    until the block ends, like the process until SIGTERM. `service` is the test's own view of the data."""
    stop = asyncio.Event()
    task = asyncio.create_task(run(settings, stop))
    try:
        yield task
    finally:
        stop.set()
        assert await asyncio.wait_for(task, 30) == 0


@pytest.fixture
def seed(settings):
    """The data as a previous run left it: a service that records but runs nothing."""
    built = build_assistant(settings)
    yield built
    built.ctx.uow.engine.dispose()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def started(fake) -> None:
    await fake.wait_calls("getUpdates")


async def test_polling_enrols_and_delivers_a_memo(fake, seed, settings, shared_data):
    invite = seed.create_invite("Dr. Ada Quinn")
    async with running(seed, settings):
        await started(fake)
        [menu] = fake.of("setMyCommands")
        names = [c["command"] for c in menu["commands"]]
        assert {"start", "help", "today", "note", "client", "settings", "export", "forget"} <= set(names)
        assert fake.of("deleteWebhook"), "polling removes any webhook first"

        fake.push(fake.text_update(ADA, f"/start {invite.code}"))
        await fake.wait_for(lambda: any("Welcome" in t for t in fake.sent_to(ADA)), 20, "the welcome")
        file_id = fake.add_file((shared_data / "speech/formats/jfk.ogg").read_bytes())
        fake.push(fake.voice_update(ADA, file_id))
        await fake.wait_for(lambda: any("country" in t.lower() for t in fake.sent_to(ADA)), 90, "the note")
    [note] = [t for t in fake.sent_to(ADA) if "country" in t.lower()]
    assert_telegram_html(note)
    offsets = [c.get("offset") for c in fake.of("getUpdates")]
    assert max(o or 0 for o in offsets) > 0, "updates were confirmed with an offset"


async def test_update_redelivered_after_a_restart_is_ignored(fake, seed, settings, shared_data):
    invite = seed.create_invite("Dr. Ada Quinn")
    seed.enroll(Sender("telegram", "", str(ADA), "private"), invite.code)
    file_id = fake.add_file((shared_data / "speech/formats/jfk.ogg").read_bytes())
    update = fake.voice_update(ADA, file_id)
    async with running(seed, settings):
        fake.push(update)
        await fake.wait_for(lambda: any("country" in t.lower() for t in fake.sent_to(ADA)), 90, "the note")
    fake.push(update)  # Telegram had not seen the confirmation and sends the update again
    async with running(seed, settings):
        await fake.wait_for(lambda: not fake.updates, 20, "the update to be fetched")
        await asyncio.sleep(0.5)
    assert len(fake.of("getFile")) == 1
    assert sum(text.startswith("Got it") for text in fake.first_texts.values()) == 1


async def recorded(seed, sender, message_id: int, *, acked: bool, **memo) -> int:
    """A memo as the web process records it; `acked`: its acknowledgement reached the chat."""
    receipt = await seed.receive_memo(sender, AudioMemo(f"{ADA}:{message_id}", memo.pop("audio", None), "memo.ogg", **memo),
                                      origin=f"{ADA}:{message_id}")
    assert receipt.accepted
    if acked:
        ack_id = seed._fake.add_bot_message(ADA, "Got it — transcribing…")
        support.update_memo(seed, seed.therapist_id(sender), receipt.memo_id, reply_ref=f"{ADA}:{ack_id}")
        return ack_id
    return receipt.memo_id


async def test_memo_left_mid_way_is_finished_after_restart_once(fake, seed, settings, shared_data):
    """The process stopped after storing the memo and acknowledging it, before the note."""
    seed._fake = fake
    invite = seed.create_invite("Dr. Ada Quinn")
    sender = Sender("telegram", "", str(ADA), "private")
    seed.enroll(sender, invite.code)
    audio = (shared_data / "speech/formats/jfk.ogg").read_bytes()
    ack_id = await recorded(seed, sender, 41, acked=True, audio=audio)
    await recorded(seed, sender, 42, acked=False, audio=audio)  # its acknowledgement never got out

    async with running(seed, settings):
        await fake.wait_for(lambda: "edit_date" in fake.message(ADA, ack_id), 90, "the note in the acknowledgement")
        await fake.wait_for(lambda: sum("country" in t.lower() for t in fake.sent_to(ADA)) >= 2, 90, "the second note")
    assert "country" in fake.message(ADA, ack_id)["text"].lower()
    delivered = len(fake.of("sendMessage")) + len(fake.of("editMessageText"))

    async with running(seed, settings):  # and again: nothing is delivered twice
        await started(fake)
        await asyncio.sleep(0.5)
    assert len(fake.of("sendMessage")) + len(fake.of("editMessageText")) == delivered
    assert support.unfinished(seed, "telegram") == []


async def test_memo_whose_download_was_cut_off_is_fetched_after_restart_once(fake, seed, settings, shared_data):
    """The previous run recorded the memo (before its download, as on_memo does) and died downloading it;
    Telegram will not send that update again. The restart fetches the file by its id and delivers the note."""
    seed._fake = fake
    invite = seed.create_invite("Dr. Ada Quinn")
    sender = Sender("telegram", "", str(ADA), "private")
    seed.enroll(sender, invite.code)
    therapist_id = seed.therapist_id(sender)
    audio = (shared_data / "speech/formats/jfk.ogg").read_bytes()
    file_id = fake.add_file(audio, "voice/cut_off.oga")
    ack_id = await recorded(seed, sender, 61, acked=True, source_ref=file_id, size_bytes=len(audio))
    # a second one cut off before even its acknowledgement was sent: the note comes as a new message
    other_id = fake.add_file(audio, "voice/cut_off_2.oga")
    await recorded(seed, sender, 62, acked=False, source_ref=other_id, size_bytes=len(audio))

    async with running(seed, settings):
        await fake.wait_for(lambda: "country" in fake.message(ADA, ack_id)["text"].lower(), 90, "the note in the acknowledgement")
        await fake.wait_for(lambda: sum("country" in t.lower() for t in fake.sent_to(ADA)) >= 2, 90, "the second note")
    assert sorted(c["file_id"] for c in fake.of("getFile")) == sorted([file_id, other_id])
    assert sorted(fake.downloads) == ["voice/cut_off.oga", "voice/cut_off_2.oga"]  # the audio came from the file endpoint
    assert support.unfinished(seed, "telegram") == []
    delivered = len(fake.of("sendMessage")) + len(fake.of("editMessageText"))

    async with running(seed, settings):  # and again: nothing is fetched or delivered twice
        await started(fake)
        await asyncio.sleep(0.5)
    assert len(fake.of("sendMessage")) + len(fake.of("editMessageText")) == delivered
    assert len(fake.of("getFile")) == 2 and len(fake.downloads) == 2


async def test_memo_that_cannot_be_fetched_after_restart_asks_to_send_it_again(fake, seed, settings):
    seed._fake = fake
    invite = seed.create_invite("Dr. Ada Quinn")
    sender = Sender("telegram", "", str(ADA), "private")
    seed.enroll(sender, invite.code)
    therapist_id = seed.therapist_id(sender)
    ack_id = await recorded(seed, sender, 71, acked=True, source_ref="file-gone", size_bytes=2048)

    async with running(seed, settings):
        await fake.wait_for(lambda: "send it again" in fake.message(ADA, ack_id)["text"], 30, "the request to resend")
    [memo_id] = support.failed_memos(seed, therapist_id)
    memo = support.memo(seed, therapist_id, memo_id)
    assert memo.status == "failed" and "send it again" in memo.failure  # kept, with the reason, not pending
    assert support.unfinished(seed, "telegram") == [] and fake.downloads == []
    edits = len(fake.of("editMessageText"))

    async with running(seed, settings):  # told once
        await started(fake)
        await asyncio.sleep(0.5)
    assert len(fake.of("editMessageText")) == edits


async def test_webhook_rejects_a_wrong_secret(fake, seed, settings):
    port = free_port()
    hook = settings.model_copy(
        update={"telegram_webhook_url": f"http://127.0.0.1:{port}/tg/hook", "telegram_webhook_secret": "s3cret-Token_1", "port": port}
    )
    invite = seed.create_invite("Dr. Ada Quinn")
    seed.enroll(Sender("telegram", "", str(ADA), "private"), invite.code)
    async with running(seed, hook):
        [registered] = await fake.wait_calls("setWebhook")
        assert registered["url"] == hook.telegram_webhook_url and registered["secret_token"] == "s3cret-Token_1"
        assert "getUpdates" not in fake.methods()
        url = hook.telegram_webhook_url
        async with aiohttp.ClientSession() as http:
            for headers in ({}, {"X-Telegram-Bot-Api-Secret-Token": "wrong"}, {"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token_"}):
                async with http.post(url, json=fake.text_update(ADA, "/clients"), headers=headers) as response:
                    assert response.status == 403
            await asyncio.sleep(0.3)
            assert fake.sent_to(ADA) == []
            good = {"X-Telegram-Bot-Api-Secret-Token": "s3cret-Token_1"}
            async with http.post(url, json=fake.text_update(ADA, "/clients"), headers=good) as response:
                assert response.status == 200
        await fake.wait_for(lambda: fake.sent_to(ADA), 20, "the answer")
    assert "client" in fake.sent_to(ADA)[0].lower()


async def test_webhook_refuses_to_start_without_a_secret(fake, service, settings):
    hook = settings.model_copy(update={"telegram_webhook_url": "https://bot.example.org/tg/hook"})
    with pytest.raises(TelegramConfigError, match="ALLIANCE_TELEGRAM_WEBHOOK_SECRET"):
        await serve(service, hook, asyncio.Event())
    assert fake.calls == []  # not even getMe


async def test_notifier_sends_a_digest_and_a_document_to_the_private_chat(fake, settings):
    notifier = make_notifier(settings)
    assert notifier.platform == "telegram"
    await notifier.send(str(ADA), "", Reply("Prep for Monday: 1 session(s)\n\n09:00 Maya <T> & co"))
    await notifier.send(str(ADA), "", Reply("Notes.", document=Document("maya-notes.md", b"# Maya")))
    await notifier.close()
    texts = fake.sent_to(ADA)
    assert texts[0].startswith("Prep for Monday") and "Maya &lt;T&gt; &amp; co" in texts[0]
    assert fake.of("sendDocument")[0]["chat_id"] == ADA
    assert STRANGER not in [c.get("chat_id") for c in fake.of("sendMessage")]


async def test_invite_links_can_learn_the_bot_username(fake, settings):
    assert await fetch_username(settings) == BOT_USERNAME
