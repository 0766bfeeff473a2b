"""The Telegram bot driven update by update (Application.process_update) against a local fake Bot API:
what a therapist sees in the chat after enrolling, dictating, tapping buttons and asking."""
from __future__ import annotations

import re

import pytest
from telegram import Update

from bots.telegram import build_application
from bots.bootstrap import build_assistant
from core.config import Settings
from core.errors import NotEnrolled, NotPrivate
from storage.queue_local import LocalQueue
from tests.fakes.telegram_api import TOKEN, FakeTelegram
from tests import support

ADA = 7001  # invented therapists' Telegram user ids
BEN = 7002
STRANGER = 7999
MAYA_NOTE = (
    "/note Session with Maya Thompson today. She reported feeling anxious before the team meeting. "
    "We practised box breathing together. Homework: keep a thought record every evening."
)


# ---- fixtures (test_telegram_serve.py imports these) ------------------------------------------------
@pytest.fixture
async def fake():
    server = await FakeTelegram().start()
    yield server
    await server.close()


@pytest.fixture
def settings(tmp_path, fake) -> Settings:
    return Settings(
        data_dir=tmp_path / "data",
        database_url=None,
        telegram_bot_token=TOKEN,
        telegram_base_url=fake.base_url,
        telegram_base_file_url=fake.base_file_url,
    )


@pytest.fixture
async def service(settings):
    built = build_assistant(settings, queue=LocalQueue(1))
    built.ctx.queue.start(built.jobs)  # the worker: memos are finished in the background, as in `alliance run`
    yield built
    await built.ctx.queue.stop()
    built.ctx.uow.engine.dispose()


class Chat:
    """The real Application, fed updates one by one as Telegram would deliver them."""

    def __init__(self, app, fake: FakeTelegram):
        self.app, self.fake = app, fake

    async def feed(self, update: dict) -> dict:
        await self.app.process_update(Update.de_json(update, self.app.bot))
        return update

    async def say(self, user_id: int, text: str, **kwargs) -> str:
        """Send a text; return the bot's last message text in that chat."""
        before = len(self.fake.sent_to(kwargs.get("chat_id") or user_id))
        await self.feed(self.fake.text_update(user_id, text, **kwargs))
        sent = self.fake.sent_to(kwargs.get("chat_id") or user_id)
        assert len(sent) > before, f"no answer to {text!r}"
        return sent[-1]

    async def press(self, user_id: int, message_id: int, label: str) -> None:
        data = button_data(self.fake.message(user_id, message_id), label)
        await self.feed(self.fake.callback_update(user_id, message_id, data))


@pytest.fixture
async def chat(service, settings, fake):
    app, _handlers = build_application(service, settings)
    async with app:
        await app.start()
        yield Chat(app, fake)
        await app.stop()


async def enrol(chat: Chat, service, user_id: int, name: str) -> str:
    invite = service.create_invite(name)
    return await chat.say(user_id, f"/start {invite.code}")


# ---- helpers ----------------------------------------------------------------------------------------
def buttons(message: dict) -> list[tuple[str, str]]:
    rows = (message.get("reply_markup") or {}).get("inline_keyboard", [])
    return [(b["text"], b["callback_data"]) for row in rows for b in row]


def button_data(message: dict, label: str) -> str:
    matches = [data for text, data in buttons(message) if label in text]
    assert matches, f"no button {label!r} in {buttons(message)}"
    return matches[0]


def assert_telegram_html(text: str) -> None:
    """Only the tags we use, balanced; every other <, > and & is escaped."""
    assert text.count("<b>") == text.count("</b>") and text.count("<i>") == text.count("</i>")
    bare = re.sub(r"</?(b|i)>", "", text)
    assert "<" not in bare and ">" not in bare
    assert not re.search(r"&(?!(amp|lt|gt|quot);)", bare)


async def wait_for_note(fake: FakeTelegram, chat_id: int, ack_id: int) -> dict:
    """The acknowledgement is edited into the note (or a failure) by a background task."""
    await fake.wait_for(lambda: "edit_date" in fake.message(chat_id, ack_id), 90, "the note")
    return fake.message(chat_id, ack_id)


def ack_of(fake: FakeTelegram, chat_id: int) -> int:
    """The latest acknowledgement the memo flow sent in the chat (it is edited into the note later)."""
    acks = [m for (c, m), text in fake.first_texts.items() if c == chat_id and text.startswith("Got it")]
    assert acks, fake.sent_to(chat_id)
    return acks[-1]


async def send_voice(chat: Chat, fake: FakeTelegram, user_id: int, audio: bytes, **kwargs) -> dict:
    file_id = fake.add_file(audio, f"voice/file_{len(fake.files)}.oga")
    return await chat.feed(fake.voice_update(user_id, file_id, **kwargs))


# ---- enrolment and refusals -------------------------------------------------------------------------
async def test_deep_link_enrols_once_for_one_user(chat, service):
    invite = service.create_invite("Dr. Ada Quinn")
    welcome = await chat.say(ADA, f"/start {invite.code}")
    assert "Welcome, Dr. Ada Quinn" in welcome
    assert "/today" in welcome  # the help follows

    reused = await chat.say(BEN, f"/start {invite.code}")
    assert "unknown, used or expired" in reused
    refused = await chat.say(BEN, "what did Maya mention last time?")
    assert refused == str(NotEnrolled())


async def test_stranger_is_refused_and_nothing_is_fetched_or_stored(chat, fake, service, shared_data):
    await send_voice(chat, fake, STRANGER, (shared_data / "speech/formats/jfk.ogg").read_bytes())
    assert fake.sent_to(STRANGER) == [str(NotEnrolled())]
    assert "getFile" not in fake.methods() and fake.downloads == []
    assert support.unfinished(service) == []

    assert await chat.say(STRANGER, "Maya told me about her panic attacks") == str(NotEnrolled())
    assert await chat.say(STRANGER, "/start") == str(NotEnrolled())


async def test_groups_are_refused_without_echo(chat, fake, service, shared_data):
    await enrol(chat, service, ADA, "Dr. Ada Quinn")
    group = -100500
    answer = await chat.say(ADA, "what did Maya Thompson say about her father?", chat_id=group, chat_type="supergroup")
    assert answer == str(NotPrivate())
    assert "Maya" not in " ".join(fake.sent_to(group))
    assert fake.of("leaveChat") == [{"chat_id": group}]

    await send_voice(chat, fake, ADA, (shared_data / "speech/formats/jfk.ogg").read_bytes(), chat_id=-4242, chat_type="group")
    assert fake.sent_to(-4242) == [str(NotPrivate())]
    assert "getFile" not in fake.methods()


async def test_unknown_command_gets_help(chat, service):
    await enrol(chat, service, ADA, "Dr. Ada Quinn")
    answer = await chat.say(ADA, "/frobnicate now")
    assert "/frobnicate" in answer and "/today" in answer and "/clients" in answer


# ---- voice memos ------------------------------------------------------------------------------------
async def test_voice_note_becomes_a_note_in_the_same_message(chat, fake, service, shared_data):
    await enrol(chat, service, ADA, "Dr. Ada Quinn")
    await send_voice(chat, fake, ADA, (shared_data / "speech/formats/jfk.ogg").read_bytes())

    ack_id = ack_of(fake, ADA)
    note = await wait_for_note(fake, ADA, ack_id)
    assert fake.downloads, "the voice file was downloaded"
    edit = [e for e in fake.of("editMessageText") if e["message_id"] == ack_id][-1]
    assert edit["parse_mode"] == "HTML"
    assert_telegram_html(note["text"])
    assert "country" in note["text"].lower()  # what JFK said reached the note
    labels = [label for label, _ in buttons(note)]
    assert "Delete" in labels and any(f in labels for f in ("DAP", "BIRP", "GIRP"))
    assert any("client" in label.lower() for label in labels)
    assert support.unfinished(service, "telegram") == []  # delivered

    # a reply to the note is about that note, not a question about clients
    answer = await chat.say(ADA, "shorten the plan please", reply_to=ack_id)
    assert "note" in answer.lower() and "I don't have" not in answer


async def test_draft_note_filed_under_a_new_client_typed_by_name(chat, fake, service, shared_data):
    await enrol(chat, service, ADA, "Dr. Ada Quinn")
    await send_voice(chat, fake, ADA, (shared_data / "speech/formats/jfk.ogg").read_bytes())
    ack_id = ack_of(fake, ADA)
    draft = await wait_for_note(fake, ADA, ack_id)
    assert "Which client" in draft["text"]  # no name in the memo: the bot asks instead of guessing
    await chat.press(ADA, ack_id, "New client")
    prompt = list(fake.messages.values())[-1]
    assert "name" in prompt["text"] and prompt["reply_to_message"]["message_id"] == ack_id
    note = await chat.say(ADA, "Nora Vance")
    assert "Note for Nora Vance" in note
    assert "Nora Vance" in await chat.say(ADA, "/clients")


@pytest.mark.parametrize("kind", ["audio", "document", "video_note"])
async def test_audio_files_and_video_notes_are_memos_too(chat, fake, service, shared_data, kind):
    await enrol(chat, service, ADA, "Dr. Ada Quinn")
    await send_voice(chat, fake, ADA, (shared_data / "speech/formats/jfk.ogg").read_bytes(), kind=kind)
    note = await wait_for_note(fake, ADA, ack_of(fake, ADA))
    assert "country" in note["text"].lower()


async def test_same_update_twice_gives_one_note(chat, fake, service, shared_data):
    await enrol(chat, service, ADA, "Dr. Ada Quinn")
    update = await send_voice(chat, fake, ADA, (shared_data / "speech/formats/jfk.ogg").read_bytes())
    await chat.feed(update)  # Telegram redelivers the very same update
    note = await wait_for_note(fake, ADA, ack_of(fake, ADA))
    assert len(fake.of("getFile")) == 1
    assert sum("transcribing" in t.lower() for t in fake.sent_to(ADA)) == 1
    notes = [m for (c, _), m in fake.messages.items() if c == ADA and "country" in m.get("text", "").lower()]
    assert notes == [note]


async def test_oversized_file_is_refused_before_download(chat, fake, service):
    await enrol(chat, service, ADA, "Dr. Ada Quinn")
    file_id = fake.add_file(b"\x00" * 10)
    await chat.feed(fake.voice_update(ADA, file_id, size=60 * 1024 * 1024))
    assert "60 MB" in fake.sent_to(ADA)[-1] and "shorter recording" in fake.sent_to(ADA)[-1]
    assert "getFile" not in fake.methods()
    assert support.unfinished(service) == []


async def test_memo_is_recorded_before_its_download(chat, fake, service):
    """Recorded with its Telegram file id before getFile: a failed fetch leaves a failed memo with the
    reason, never nothing (and a crash mid-download leaves a memo the restart fetches again)."""
    await enrol(chat, service, ADA, "Dr. Ada Quinn")
    await chat.feed(fake.voice_update(ADA, "file-unknown", size=4096))  # getFile will refuse this id
    failed = await wait_for_note(fake, ADA, ack_of(fake, ADA))
    assert failed["text"] == "I couldn't fetch that file from Telegram. Please send it again."
    assert [c["file_id"] for c in fake.of("getFile")] == ["file-unknown"]
    therapist_id = service.therapist_id(service.console_sender("Dr. Ada Quinn"))
    [memo_id] = support.failed_memos(service, therapist_id)
    memo = support.memo(service, therapist_id, memo_id)
    assert memo.source_ref == "file-unknown" and memo.audio is None and "send it again" in memo.failure
    assert support.unfinished(service, "telegram") == []


async def test_corrupt_file_gets_a_clear_message(chat, fake, service, shared_data):
    await enrol(chat, service, ADA, "Dr. Ada Quinn")
    await send_voice(chat, fake, ADA, (shared_data / "speech/formats/corrupt.ogg").read_bytes())
    message = await wait_for_note(fake, ADA, ack_of(fake, ADA))
    assert "couldn't read that file as audio" in message["text"]
    assert buttons(message) == []
    assert support.unfinished(service, "telegram") == []  # failed, kept for /retry, not pending forever


# ---- buttons ----------------------------------------------------------------------------------------
async def test_change_format_client_and_delete_with_buttons(chat, fake, service, shared_data):
    await enrol(chat, service, ADA, "Dr. Ada Quinn")
    assert "Maya Thompson" in await chat.say(ADA, "/client Maya Thompson")
    assert "Leo Park" in await chat.say(ADA, "/client Leo Park")  # the next memo is about Leo
    await send_voice(chat, fake, ADA, (shared_data / "speech/formats/jfk.ogg").read_bytes())
    ack_id = ack_of(fake, ADA)
    note = await wait_for_note(fake, ADA, ack_id)
    assert "Leo Park" in note["text"]

    # change format: the same message now holds the DAP note
    await chat.press(ADA, ack_id, "DAP")
    note = fake.message(ADA, ack_id)
    assert "(DAP)" in note["text"] and "<b>Data</b>" in note["text"]
    assert "DAP" not in [label for label, _ in buttons(note)]
    assert fake.of("answerCallbackQuery"), "the button's spinner was stopped"

    # change client: a picker appears under the note; picking edits the note itself
    await chat.press(ADA, ack_id, "Change client")
    picker = list(fake.messages.values())[-1]
    assert "Which client" in picker["text"] and picker["reply_to_message"]["message_id"] == ack_id
    await chat.press(ADA, picker["message_id"], "Maya Thompson")
    note = fake.message(ADA, ack_id)
    assert "Note for Maya Thompson" in note["text"] and "Leo Park" not in note["text"]
    assert "above" in fake.message(ADA, picker["message_id"])["text"]

    # delete: asks first, then deletes
    await chat.press(ADA, ack_id, "Delete")
    confirm = list(fake.messages.values())[-1]
    assert "Delete this note for good?" in confirm["text"]
    await chat.press(ADA, confirm["message_id"], "Yes, delete")
    assert fake.message(ADA, confirm["message_id"])["text"] == "Note deleted."
    assert fake.message(ADA, ack_id)["text"] == "Note deleted."  # the note's text left the chat too
    assert not fake.message(ADA, ack_id).get("reply_markup", {}).get("inline_keyboard")


async def test_stranger_cannot_press_buttons(chat, fake, service):
    message_id = fake.add_bot_message(STRANGER, "old message")
    await chat.feed(fake.callback_update(STRANGER, message_id, "delete!:1"))
    [answer] = fake.of("answerCallbackQuery")
    assert answer["text"] == str(NotEnrolled()) and answer["show_alert"] in ("true", True)
    assert fake.message(STRANGER, message_id)["text"] == "old message"


# ---- text -------------------------------------------------------------------------------------------
async def typed_note(chat, fake, text: str) -> str:
    """A /note in the chat: acknowledged, then the acknowledgement becomes the note."""
    await chat.say(ADA, text)
    return (await wait_for_note(fake, ADA, ack_of(fake, ADA)))["text"]


async def test_question_answered_from_a_typed_note(chat, fake, service):
    await enrol(chat, service, ADA, "Dr. Ada Quinn")
    note = await typed_note(chat, fake, MAYA_NOTE)
    assert "Maya Thompson" in note
    assert_telegram_html(note)
    answer = await chat.say(ADA, "what homework did I give Maya?")
    assert "thought record" in answer
    today = service.today_for(service.therapist_id(service.console_sender("Dr. Ada Quinn")))
    assert any(form in answer for form in (today.isoformat(), f"{today:%d %b}", f"{today:%-d %b}", f"{today:%b %-d}"))


async def test_export_sends_a_document(chat, fake, service):
    await enrol(chat, service, ADA, "Dr. Ada Quinn")
    await chat.say(ADA, MAYA_NOTE)
    await chat.say(ADA, "/export Maya")
    await fake.wait_calls("sendDocument")
    [call] = [c for c in fake.calls if c.method == "sendDocument"]
    filename, content = call.files["document"]
    assert filename == "maya-thompson-notes.md" and b"thought record" in content


async def test_a_redelivered_text_is_answered_once(chat, fake, service):
    await enrol(chat, service, ADA, "Dr. Ada Quinn")
    update = fake.text_update(ADA, "/clients")
    await chat.feed(update)
    await chat.feed(update)
    assert sum("client" in t.lower() for t in fake.sent_to(ADA)[1:]) == 1


async def test_calendar_file_imports_sessions(chat, fake, service):
    from pathlib import Path

    await enrol(chat, service, ADA, "Dr. Ada Quinn")
    await chat.say(ADA, "/client Maya Thompson")
    ics = (Path(__file__).parent.parent / "fixtures/practice.ics").read_bytes()
    file_id = fake.add_file(ics, "documents/practice.ics")
    update = fake.voice_update(ADA, file_id, kind="document")
    update["message"]["document"].update(mime_type="text/calendar", file_name="practice.ics")
    await chat.feed(update)
    reply = fake.sent_to(ADA)[-1]
    assert reply.startswith("Calendar imported")
    therapist_id = service.therapist_id(service.console_sender("Dr. Ada Quinn"))
    assert support.appointments(service, therapist_id), "no sessions were imported"


async def test_a_caption_naming_the_client_files_the_memo(chat, fake, service, shared_data):
    await enrol(chat, service, ADA, "Dr. Ada Quinn")
    await chat.say(ADA, "/client Nora Vance")
    await chat.say(ADA, "/client Owen Blake")  # the last /client wins: the caption must override it
    file_id = fake.add_file((shared_data / "speech/formats/jfk.ogg").read_bytes(), "music/file_9.oga")
    update = fake.voice_update(ADA, file_id, kind="audio")
    update["message"]["caption"] = "Nora"
    await chat.feed(update)
    note = await wait_for_note(fake, ADA, ack_of(fake, ADA))
    assert "Note for Nora Vance" in note["text"]
