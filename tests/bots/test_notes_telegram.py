"""Notes reached later in Telegram, against the fake Bot API: /notes lists with a button per note, a tap
opens one, its transcript and a copy-ready <pre> block, signing asks first, an offline edit by reply,
the Edit button's question answered by the next message, and /export … pdf as a document."""
from __future__ import annotations

from tests.bots.test_telegram import (  # noqa: F401 (fixtures)
    ADA,
    BEN,
    MAYA_NOTE,
    assert_telegram_html,
    buttons,
    chat,
    enrol,
    fake,
    service,
    settings,
)


def last(fake, chat_id: int) -> dict:
    return [m for (c, _), m in fake.messages.items() if c == chat_id][-1]


async def noted(chat, fake) -> int:
    """Send the typed note and wait for the worker to edit the acknowledgement into it: its message id."""
    await chat.say(ADA, MAYA_NOTE)
    await fake.wait_for(lambda: any("box breathing" in t for t in fake.sent_to(ADA)), 60, "the note")
    return next(m for (c, m), msg in fake.messages.items() if c == ADA and "box breathing" in msg.get("text", ""))


async def test_notes_list_open_transcript_copy_sign(chat, fake, service):
    await enrol(chat, service, ADA, "Dr. Ada Quinn")
    await noted(chat, fake)
    listing_text = await chat.say(ADA, "/notes")
    assert "Maya Thompson" in listing_text and "not signed" in listing_text
    listing = last(fake, ADA)
    [(label, _)] = buttons(listing)
    assert label.startswith("#") and "Maya Thompson" in label

    await chat.press(ADA, listing["message_id"], "Maya Thompson")  # opens in place
    note = fake.message(ADA, listing["message_id"])
    assert_telegram_html(note["text"])
    assert "box breathing" in note["text"] and note["text"].startswith("<b>Note #")
    assert {"Edit…", "Transcript", "Copy", "Sign", "Delete"} <= {label for label, _ in buttons(note)}

    await chat.press(ADA, note["message_id"], "Transcript")
    heard = last(fake, ADA)
    assert "the text you typed" in heard["text"] and "thought record every evening" in heard["text"]
    assert heard["reply_to_message"]["message_id"] == note["message_id"]  # the note stays above

    await chat.press(ADA, note["message_id"], "Copy")
    copied = last(fake, ADA)
    assert "<pre>SOAP progress note\nClient: Maya Thompson" in copied["text"] and "PLAN:" in copied["text"]

    await chat.press(ADA, note["message_id"], "Sign")
    confirm = last(fake, ADA)
    assert "locked" in confirm["text"]
    await chat.press(ADA, confirm["message_id"], "Yes, sign it")
    signed = fake.message(ADA, note["message_id"])  # the note itself now shows it is signed
    assert "— signed" in signed["text"] and "<i>Signed " in signed["text"]
    assert "Sign" not in {label for label, _ in buttons(signed)}


async def test_edit_offline_by_reply_and_by_the_edit_button(chat, fake, service):
    await enrol(chat, service, ADA, "Dr. Ada Quinn")
    note_id = await noted(chat, fake)
    answer = await chat.say(ADA, "Plan: start exposure next week", reply_to=note_id)
    assert "Updated — version 2" in answer and "start exposure next week" in answer

    await chat.press(ADA, note_id, "Edit")
    asked = last(fake, ADA)
    assert "What should change?" in asked["text"] and "remove homework 2" in asked["text"]
    done = await chat.say(ADA, "remove homework 1")
    assert "version 3" in done and "<b>Homework</b>" not in done  # its only homework item is gone

    other = await chat.say(ADA, "/edit 1 make it warmer")  # not an instruction, no model: says what works
    assert "couldn't read that as an edit" in other and "Plan: start exposure next week" in other


async def test_a_reply_to_a_note_opened_from_the_list_edits_that_note(chat, fake, service):
    await enrol(chat, service, ADA, "Dr. Ada Quinn")
    await noted(chat, fake)
    await chat.say(ADA, "/notes 1")
    opened = last(fake, ADA)
    assert opened["text"].startswith("<b>Note #1 — ")
    answer = await chat.say(ADA, "Plan: start exposure next week", reply_to=opened["message_id"])
    assert "Updated — version 2" in answer and "start exposure next week" in answer


async def test_export_pdf_and_another_therapist_sees_nothing(chat, fake, service):
    await enrol(chat, service, ADA, "Dr. Ada Quinn")
    await noted(chat, fake)
    await chat.say(ADA, "/export Maya Thompson pdf")
    [document] = fake.of("sendDocument")
    assert document["chat_id"] == ADA
    assert any(m.get("document", {}).get("file_name") == "maya-thompson-notes.pdf" for m in fake.messages.values())

    await enrol(chat, service, BEN, "Dr. Ben Achterberg")
    assert "No notes yet" in await chat.say(BEN, "/notes")
    assert "can't find that note" in await chat.say(BEN, "/transcript 1")
    assert "Thompson" not in " ".join(fake.sent_to(BEN))
