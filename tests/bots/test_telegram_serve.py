"""The bot as `alliance run` starts it: serve() with real long polling (or a webhook) against the local
fake Bot API, stopped and started again like a process restart."""
from __future__ import annotations

import asyncio
import contextlib
import socket

import aiohttp
import pytest

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


@contextlib.asynccontextmanager
async def running(service, settings):
    """serve() in the background until the block ends, like `alliance run` until SIGTERM."""
    stop = asyncio.Event()
    task = asyncio.create_task(serve(service, settings, stop))
    try:
        yield task
    finally:
        stop.set()
        await asyncio.wait_for(task, 30)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


async def started(fake) -> None:
    await fake.wait_calls("getUpdates")


async def test_polling_enrols_and_delivers_a_memo(fake, service, settings, shared_data):
    invite = service.create_invite("Dr. Ada Quinn")
    async with running(service, settings):
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


async def test_update_redelivered_after_a_restart_is_ignored(fake, service, settings, shared_data):
    invite = service.create_invite("Dr. Ada Quinn")
    service.enroll(Sender("telegram", "", str(ADA), "private"), invite.code)
    file_id = fake.add_file((shared_data / "speech/formats/jfk.ogg").read_bytes())
    update = fake.voice_update(ADA, file_id)
    async with running(service, settings):
        fake.push(update)
        await fake.wait_for(lambda: any("country" in t.lower() for t in fake.sent_to(ADA)), 90, "the note")
    fake.push(update)  # Telegram had not seen the confirmation and sends the update again
    async with running(service, settings):
        await fake.wait_for(lambda: not fake.updates, 20, "the update to be fetched")
        await asyncio.sleep(0.5)
    assert len(fake.of("getFile")) == 1
    assert sum("transcribing" in t.lower() for t in fake.sent_to(ADA)) == 1


async def test_memo_left_mid_way_is_finished_after_restart_once(fake, service, settings, shared_data):
    """The process stopped after storing the memo and acknowledging it, before the note."""
    invite = service.create_invite("Dr. Ada Quinn")
    sender = Sender("telegram", "", str(ADA), "private")
    service.enroll(sender, invite.code)
    therapist_id = service.therapist_id(sender)
    audio = (shared_data / "speech/formats/jfk.ogg").read_bytes()
    receipt = await service.receive_memo(sender, AudioMemo(f"{ADA}:41", audio, "memo.ogg"))
    ack_id = fake.add_bot_message(ADA, "Got it — transcribing…")
    service.set_reply_ref(therapist_id, receipt.memo_id, f"{ADA}:{ack_id}")
    # a second memo whose acknowledgement never got out
    unacked = await service.receive_memo(sender, AudioMemo(f"{ADA}:42", audio, "memo.ogg"))
    assert unacked.accepted

    async with running(service, settings):
        await fake.wait_for(lambda: "edit_date" in fake.message(ADA, ack_id), 90, "the note in the acknowledgement")
        await fake.wait_for(lambda: sum("country" in t.lower() for t in fake.sent_to(ADA)) >= 2, 90, "the second note")
    assert "country" in fake.message(ADA, ack_id)["text"].lower()
    delivered = len(fake.of("sendMessage")) + len(fake.of("editMessageText"))

    async with running(service, settings):  # and again: nothing is delivered twice
        await started(fake)
        await asyncio.sleep(0.5)
    assert len(fake.of("sendMessage")) + len(fake.of("editMessageText")) == delivered
    assert service.unfinished_memos("telegram") == []


async def test_memo_whose_download_was_cut_off_is_fetched_after_restart_once(fake, service, settings, shared_data):
    """The previous run recorded the memo (before its download, as on_memo does) and died downloading it;
    Telegram will not send that update again. The restart fetches the file by its id and delivers the note."""
    invite = service.create_invite("Dr. Ada Quinn")
    sender = Sender("telegram", "", str(ADA), "private")
    service.enroll(sender, invite.code)
    therapist_id = service.therapist_id(sender)
    audio = (shared_data / "speech/formats/jfk.ogg").read_bytes()
    file_id = fake.add_file(audio, "voice/cut_off.oga")
    receipt = await service.receive_memo(
        sender, AudioMemo(f"{ADA}:61", None, "memo.ogg", source_ref=file_id, size_bytes=len(audio))
    )
    assert receipt.accepted and receipt.needs_audio
    ack_id = fake.add_bot_message(ADA, "Got it — transcribing…")
    service.set_reply_ref(therapist_id, receipt.memo_id, f"{ADA}:{ack_id}")
    # a second one cut off before even its acknowledgement was sent: the note comes as a new message
    other_id = fake.add_file(audio, "voice/cut_off_2.oga")
    unacked = await service.receive_memo(sender, AudioMemo(f"{ADA}:62", None, "memo.ogg", source_ref=other_id, size_bytes=len(audio)))
    assert unacked.needs_audio

    async with running(service, settings):
        await fake.wait_for(lambda: "country" in fake.message(ADA, ack_id)["text"].lower(), 90, "the note in the acknowledgement")
        await fake.wait_for(lambda: sum("country" in t.lower() for t in fake.sent_to(ADA)) >= 2, 90, "the second note")
    assert [c["file_id"] for c in fake.of("getFile")] == [file_id, other_id]
    assert fake.downloads == ["voice/cut_off.oga", "voice/cut_off_2.oga"]  # the audio came from the file endpoint
    assert service.store.memo(therapist_id, receipt.memo_id).status == "delivered"
    assert service.unfinished_memos("telegram") == []
    delivered = len(fake.of("sendMessage")) + len(fake.of("editMessageText"))

    async with running(service, settings):  # and again: nothing is fetched or delivered twice
        await started(fake)
        await asyncio.sleep(0.5)
    assert len(fake.of("sendMessage")) + len(fake.of("editMessageText")) == delivered
    assert len(fake.of("getFile")) == 2 and len(fake.downloads) == 2


async def test_memo_that_cannot_be_fetched_after_restart_asks_to_send_it_again(fake, service, settings):
    invite = service.create_invite("Dr. Ada Quinn")
    sender = Sender("telegram", "", str(ADA), "private")
    service.enroll(sender, invite.code)
    therapist_id = service.therapist_id(sender)
    receipt = await service.receive_memo(
        sender, AudioMemo(f"{ADA}:71", None, "memo.ogg", source_ref="file-gone", size_bytes=2048)
    )
    ack_id = fake.add_bot_message(ADA, "Got it — transcribing…")
    service.set_reply_ref(therapist_id, receipt.memo_id, f"{ADA}:{ack_id}")

    async with running(service, settings):
        await fake.wait_for(lambda: any("send that memo again" in t for t in fake.sent_to(ADA)), 30, "the request to resend")
    [told] = [m for m in fake.of("sendMessage") if "send that memo again" in m["text"]]
    assert told["chat_id"] == ADA and told["reply_parameters"]["message_id"] == ack_id
    assert "transcribing" not in fake.message(ADA, ack_id)["text"]
    memo = service.store.memo(therapist_id, receipt.memo_id)
    assert memo.status == "failed" and "send it again" in memo.failure  # kept, with the reason, not pending
    assert service.unfinished_memos("telegram") == [] and fake.downloads == []

    async with running(service, settings):  # told once
        await started(fake)
        await asyncio.sleep(0.5)
    assert sum("send that memo again" in t for t in fake.sent_to(ADA)) == 1


async def test_webhook_rejects_a_wrong_secret(fake, service, settings):
    port = free_port()
    hook = settings.model_copy(
        update={"telegram_webhook_url": f"http://127.0.0.1:{port}/tg/hook", "telegram_webhook_secret": "s3cret-Token_1", "port": port}
    )
    invite = service.create_invite("Dr. Ada Quinn")
    service.enroll(Sender("telegram", "", str(ADA), "private"), invite.code)
    async with running(service, hook):
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
