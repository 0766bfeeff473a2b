"""A memo's life through the core, on in-memory adapters: recorded before anything slow, acknowledged in
the chat, fetched, transcribed, written and delivered by editing the acknowledgement — once, whatever
crashes or redeliveries happen in between. Every channel shares this flow; the adapters have their own
tests against the fake Telegram and Slack servers."""
from __future__ import annotations

import pytest

from core.actions import encode
from core.types import AcceptSuggestion, AudioMemo, PickClient
from core.records import MemoStatus
from tests.core.flow_support import enrol, in_memory
from tests.fakes.channel import FakeChannel
from tests.fakes.speech import spoken
from tests import support

MAYA = "Session with Maya Thompson today. She reported panic on the train. We practised grounding. Homework: use the 5-4-3-2-1 exercise."


@pytest.fixture
async def practice(tmp_path):
    channel = FakeChannel(files={"file-1": spoken(MAYA)})
    service, _ = in_memory(tmp_path, channel=channel)
    sender = enrol(service)
    service.ctx.queue.start(service.jobs)
    yield service, channel, sender, service.therapist_id(sender)
    await service.ctx.queue.stop()


def voice(message_id: str = "501:9", source: str = "file-1", **fields) -> AudioMemo:
    return AudioMemo(message_id, None, "memo.ogg", source_ref=source, size_bytes=1000, **fields)


async def test_a_memo_is_acknowledged_then_the_acknowledgement_becomes_the_note(practice):
    service, channel, sender, tid = practice
    support.add_client(service, tid, "Maya Thompson")
    receipt = await service.receive_memo(sender, voice(), origin="501:9")
    assert receipt.accepted and not receipt.duplicate
    [(kind, ack_ref, ack)] = channel.log[:1]
    assert kind == "send" and ack.text.startswith("Got it")
    await service.ctx.queue.idle()
    memo = support.memo(service, tid, receipt.memo_id)
    assert memo.status == MemoStatus.DELIVERED and memo.audio is None and memo.reply_ref == ack_ref
    [note] = channel.notes()
    assert channel.log[-1][:2] == ("edit", ack_ref)  # the same message: no second note in the chat
    assert note.note.client_name == "Maya Thompson" and "5-4-3-2-1" in " ".join(note.note.homework)


async def test_a_platform_redelivery_makes_no_second_job_or_message(practice):
    service, channel, sender, tid = practice
    first = await service.receive_memo(sender, voice(), origin="501:9")
    again = await service.receive_memo(sender, voice(), origin="501:9")
    assert again.duplicate and again.memo_id == first.memo_id
    await service.ctx.queue.idle()
    assert [kind for kind, _, _ in channel.log] == ["send", "edit"]
    assert support.count_notes(service, tid) == 1


async def test_names_given_with_the_memo_prime_the_transcriber_first(practice):
    service, channel, sender, tid = practice
    support.add_client(service, tid, "Daniel Okafor")
    await service.receive_memo(sender, voice(client_hint="Maya Thompson"), origin="501:9")
    await service.ctx.queue.idle()
    hints = service.flow.transcriber.calls[-1]["hint_names"]
    assert hints[0] == "Maya Thompson" and "Daniel Okafor" in hints


async def test_a_crash_after_any_step_is_finished_once_by_the_next_run(practice):
    service, channel, sender, tid = practice
    for status in (MemoStatus.RECEIVED, MemoStatus.FETCHED, MemoStatus.TRANSCRIBED, MemoStatus.DRAFTED):
        channel.log.clear()
        receipt = await service.receive_memo(sender, voice(f"501:{status}"), origin=f"501:{status}")
        await service.ctx.queue.idle()
        # Put the memo back as a killed worker would have left it after this step.
        memo = support.memo(service, tid, receipt.memo_id)
        back = {"status": status}
        if status in (MemoStatus.RECEIVED,):
            back |= {"audio": None, "transcript": None, "note_id": None}
        if status == MemoStatus.FETCHED:
            back |= {"audio": spoken(MAYA), "transcript": None, "note_id": None}
        if status == MemoStatus.TRANSCRIBED:
            back |= {"note_id": None}
        support.update_memo(service, tid, memo.id, **back)
        assert await service.recover() >= 1
        await service.ctx.queue.idle()
        done = support.memo(service, tid, memo.id)
        assert done.status == MemoStatus.DELIVERED, status
        # Whatever the step, the chat shows one note for this memo, in the acknowledgement's place.
        refs = {ref for kind, ref, reply in channel.log if reply.note is not None}
        assert refs == {memo.reply_ref}, status
    assert support.count_notes(service, tid) == 4  # one per memo: a note stored before a crash is not written twice


async def test_delivery_failure_keeps_the_note_and_recovery_delivers_it(tmp_path):
    channel = FakeChannel(files={"file-1": spoken(MAYA)})
    service, _ = in_memory(tmp_path, channel=channel)
    sender = enrol(service)
    tid = service.therapist_id(sender)
    receipt = await service.receive_memo(sender, voice(), origin="501:9")
    channel.failing_sends = 10  # the platform is down while the note is written
    service.ctx.queue.start(service.jobs)
    await service.ctx.queue.idle()
    assert support.memo(service, tid, receipt.memo_id).status == MemoStatus.DRAFTED
    channel.failing_sends = 0
    await service.recover()
    await service.ctx.queue.idle()
    assert support.memo(service, tid, receipt.memo_id).status == MemoStatus.DELIVERED
    assert len(channel.notes()) == 1
    await service.ctx.queue.stop()


async def test_a_recording_gone_from_the_platform_fails_with_a_reason_in_the_chat(practice):
    service, channel, sender, tid = practice
    receipt = await service.receive_memo(sender, voice(source="vanished"), origin="501:9")
    await service.ctx.queue.idle()
    memo = support.memo(service, tid, receipt.memo_id)
    assert memo.status == MemoStatus.FAILED and "send it again" in memo.failure
    last = channel.log[-1][2]
    assert last.outcome == "failed" and "send it again" in last.text


async def test_corrupt_audio_fails_clearly_and_keeps_the_memo(practice):
    service, channel, sender, tid = practice
    channel.files["junk"] = b"\x00\x01not audio"
    receipt = await service.receive_memo(sender, voice(source="junk"), origin="501:9")
    await service.ctx.queue.idle()
    memo = support.memo(service, tid, receipt.memo_id)
    assert memo.status == MemoStatus.FAILED and memo.audio == b"\x00\x01not audio"
    assert "audio" in channel.log[-1][2].text.lower()


async def test_a_client_chosen_with_slash_client_is_used_once(practice):
    service, channel, sender, tid = practice
    zelda = support.add_client(service, tid, "Zelda Marsh")
    reply = await service.receive_text(sender, "/client Zelda Marsh", message_id="501:1")
    assert "Zelda Marsh" in reply.text
    channel.files["z"] = spoken("Quick note. She slept better this week and used her breathing exercise.")
    await service.receive_memo(sender, voice("501:2", source="z"), origin="501:2")
    await service.receive_memo(sender, voice("501:3", source="z"), origin="501:3")
    await service.ctx.queue.idle()
    first, second = channel.notes()
    assert first.note.client_id == zelda.id and not first.note.needs_client
    assert second.note.needs_client  # the choice was for the next memo only: the one after asks


async def test_a_memo_naming_another_known_client_asks_instead_of_using_the_preset(practice):
    service, channel, sender, tid = practice
    zelda = support.add_client(service, tid, "Zelda Marsh")
    maya = support.add_client(service, tid, "Maya Thompson")
    await service.receive_text(sender, "/client Zelda", message_id="501:1")
    await service.receive_memo(sender, voice(), origin="501:9")  # "Session with Maya Thompson today…"
    await service.ctx.queue.idle()
    [draft] = channel.notes()
    assert draft.note.needs_client
    picks = {b.action for row in draft.buttons for b in row if isinstance(b.action, PickClient)}
    assert {p.client_id for p in picks} == {zelda.id, maya.id}
    assert support.notes_for(service, tid, zelda.id) == []  # nothing of Maya's in Zelda's record


async def test_cold_start_suggests_the_name_and_one_tap_files_it(practice):
    service, channel, sender, tid = practice
    channel.files["cold"] = spoken("Session note for my Thompson. Maya Thompson talked about her new job and slept badly.")
    await service.receive_memo(sender, voice(source="cold"), origin="501:9")
    await service.ctx.queue.idle()
    [draft] = channel.notes()
    suggestion = next(b for row in draft.buttons for b in row if isinstance(b.action, AcceptSuggestion))
    assert suggestion.label == "New client: Maya Thompson"
    filed = await service.press(sender, encode(suggestion.action))
    assert filed.note.client_name == "Maya Thompson" and not filed.note.needs_client
    answer = await service.answer(sender, "what did Maya Thompson talk about last time?")
    assert answer.found and "new job" in answer.text


async def test_a_typed_name_answers_which_client_a_draft_is_for(practice):
    service, channel, sender, tid = practice
    channel.files["anon"] = spoken("Quick note. She talked about her new job and slept badly.")
    await service.receive_memo(sender, voice(source="anon"), origin="501:9")
    await service.ctx.queue.idle()
    [draft] = channel.notes()
    assert draft.note.needs_client and "reply with the name" in draft.text
    filed = await service.receive_text(sender, "Priya Raman", message_id="501:20")
    assert filed.note is not None and filed.note.client_name == "Priya Raman"
    # A question afterwards is a question again.
    answer = await service.receive_text(sender, "what did Priya Raman talk about last time?", message_id="501:21")
    assert "new job" in answer.text


async def test_a_recording_over_the_length_limit_is_refused_and_not_kept(practice):
    """No retry can use it, so its audio is not kept (38 MB of it used to stay)."""
    from core.errors import RecordingTooLong

    service, channel, sender, tid = practice

    def too_long(audio, **_):
        raise RecordingTooLong("That memo is 41.0 minutes long, over the 30-minute limit.")

    service.flow.transcriber.transcribe = too_long
    receipt = await service.receive_memo(sender, voice(), origin="501:9")
    await service.ctx.queue.idle()
    memo = support.memo(service, tid, receipt.memo_id)
    assert memo.status == MemoStatus.FAILED and memo.audio is None and "limit" in memo.failure
    assert "limit" in channel.log[-1][2].text
