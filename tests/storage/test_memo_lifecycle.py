"""Nothing a therapist sends is lost: idempotent receipt, resume after a crash, failures kept for retry."""
from __future__ import annotations

import io
import wave

import pytest

from core.errors import NotEnrolled, NotPrivate
from core.actions import encode
from core.types import AudioMemo, Sender
from tests import support


@pytest.fixture
def jfk(shared_data) -> bytes:
    return (shared_data / "speech/formats/jfk.ogg").read_bytes()


def silent_wav(seconds: float = 3.0) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes(b"\x00\x00" * int(16000 * seconds))
    return buffer.getvalue()


async def test_same_message_twice_yields_one_note(make_service, jfk):
    service = make_service()
    sender = service.console_sender("Dr. Osei")
    therapist_id = service.therapist_id(sender)
    memo = AudioMemo("tg-77", jfk, "voice.ogg", client_hint="Lena Brandt")
    first = await service.receive_memo(sender, memo)
    second = await service.receive_memo(sender, memo)
    assert first.accepted and not first.duplicate
    assert second.duplicate and second.memo_id == first.memo_id
    one = await service.finish_memo(therapist_id, first.memo_id)
    two = await service.finish_memo(therapist_id, second.memo_id)
    assert one.note.note_id == two.note.note_id
    assert support.count_notes(service, therapist_id) == 1


async def test_audio_is_deleted_once_the_note_is_stored(make_service, jfk):
    service = make_service()
    sender = service.console_sender("Dr. Osei")
    therapist_id = service.therapist_id(sender)
    receipt = await service.receive_memo(sender, AudioMemo("m1", jfk, "voice.ogg", client_hint="Lena Brandt"))
    assert support.memo(service, therapist_id, receipt.memo_id).audio == jfk  # kept (encrypted) until the note exists
    reply = await service.finish_memo(therapist_id, receipt.memo_id)
    assert reply.note is not None
    memo = support.memo(service, therapist_id, receipt.memo_id)
    assert memo.audio is None and memo.status == "delivered"


async def test_memo_left_transcribed_by_a_crash_is_finished_after_restart(make_service, jfk):
    service = make_service()
    sender = service.console_sender("Dr. Osei")
    therapist_id = service.therapist_id(sender)
    receipt = await service.receive_memo(sender, AudioMemo("m2", jfk, "voice.ogg", client_hint="Lena Brandt"))
    # The process died right after transcription was persisted.
    support.update_memo(service, therapist_id, receipt.memo_id, status="transcribed", transcript="Session with Lena Brandt today. She felt calmer this week.")

    restarted = make_service()
    assert support.unfinished(restarted) == [(therapist_id, receipt.memo_id)]
    reply = await restarted.finish_memo(therapist_id, receipt.memo_id)
    assert reply.note is not None and reply.note.client_name == "Lena Brandt"
    assert support.unfinished(restarted) == []
    assert support.count_notes(restarted, therapist_id) == 1


async def test_corrupt_audio_fails_clearly_and_keeps_the_memo(make_service, shared_data):
    service = make_service()
    sender = service.console_sender("Dr. Osei")
    therapist_id = service.therapist_id(sender)
    corrupt = (shared_data / "speech/formats/corrupt.ogg").read_bytes()
    receipt = await service.receive_memo(sender, AudioMemo("bad-1", corrupt, "voice.ogg"))
    reply = await service.finish_memo(therapist_id, receipt.memo_id)
    assert reply.note is None
    assert "audio" in reply.text.lower()
    memo = support.memo(service, therapist_id, receipt.memo_id)
    assert memo.status == "failed" and memo.audio == corrupt
    assert support.count_notes(service, therapist_id) == 0


async def test_silent_memo_says_no_speech(make_service):
    service = make_service()
    sender = service.console_sender("Dr. Osei")
    receipt = await service.receive_memo(sender, AudioMemo("quiet", silent_wav(), "voice.wav"))
    reply = await service.finish_memo(service.therapist_id(sender), receipt.memo_id)
    assert reply.note is None
    assert "couldn't hear any speech" in reply.text


async def test_failed_memo_keeps_audio_and_retry_writes_the_note(make_service, jfk):
    service = make_service()
    sender = service.console_sender("Dr. Osei")
    therapist_id = service.therapist_id(sender)
    receipt = await service.receive_memo(sender, AudioMemo("m3", jfk, "voice.ogg", client_hint="Lena Brandt"))
    # A failure recorded earlier (say the machine ran out of memory mid-transcription).
    support.update_memo(service, therapist_id, receipt.memo_id, status="failed", failure="Something went wrong.")
    assert support.memo(service, therapist_id, receipt.memo_id).audio == jfk
    reply = await service.receive_text(sender, "/retry", message_id="r1")
    assert reply.note is not None and reply.note.client_name == "Lena Brandt"  # the console answers with the note
    assert support.memo(service, therapist_id, receipt.memo_id).status == "delivered"


async def test_oversized_memo_is_refused_and_nothing_is_stored(make_service, jfk):
    service = make_service(max_memo_mb=0.01)
    sender = service.console_sender("Dr. Osei")
    receipt = await service.receive_memo(sender, AudioMemo("big", jfk, "voice.ogg"))
    assert not receipt.accepted and "MB" in receipt.message
    assert support.unfinished(service) == []


async def test_strangers_and_group_chats_are_refused_with_nothing_stored(make_service, jfk):
    service = make_service()
    stranger = Sender("telegram", "", "424242", "private")
    with pytest.raises(NotEnrolled):
        await service.receive_memo(stranger, AudioMemo("s1", jfk))
    enrolled = service.console_sender("Dr. Osei")
    group = Sender("console", "", "Dr. Osei", "group")
    with pytest.raises(NotPrivate):
        await service.receive_memo(group, AudioMemo("g1", jfk))
    assert support.unfinished(service) == []
    assert support.count_notes(service, service.therapist_id(enrolled)) == 0


async def test_note_buttons_change_client_format_and_delete(make_service):
    service = make_service()
    sender = service.console_sender("Dr. Osei")
    therapist_id = service.therapist_id(sender)
    other = support.add_client(service, therapist_id, "Tomas Varga")
    reply = await support.typed_note(service, 
        sender, "Session with Lena Brandt today. She reported panic on the train. We practised grounding. "
        "Homework: use the 5-4-3-2-1 exercise.", message_id="n1"
    )
    note_id = reply.note.note_id
    actions = [encode(b.action) for row in reply.buttons for b in row]
    assert f"clients:{note_id}" in actions and f"format:{note_id}:DAP" in actions

    picked = await service.press(sender, f"pick:{note_id}:{other.id}")
    assert picked.note.client_name == "Tomas Varga"
    dap = await service.press(sender, f"format:{note_id}:DAP")
    assert dap.note.format == "DAP" and [name for name, _ in dap.note.sections] == ["Data", "Assessment", "Plan"]
    assert len(support.note_versions(service, therapist_id, note_id)) == 2  # earlier versions kept
    confirm = await service.press(sender, f"delete:{note_id}")
    assert support.note(service, therapist_id, note_id) is not None  # asks first
    await service.press(sender, encode(confirm.buttons[0][0].action))
    assert support.note(service, therapist_id, note_id) is None


async def test_unclear_client_keeps_a_draft_and_asks(make_service):
    service = make_service()
    sender = service.console_sender("Dr. Osei")
    therapist_id = service.therapist_id(sender)
    support.add_client(service, therapist_id, "Maya Lindgren")
    support.add_client(service, therapist_id, "Maya Oduya")
    reply = await support.typed_note(service, sender, "Saw Maya today. She felt tired and low all week.", message_id="n2")
    assert reply.note.needs_client
    labels = [b.label for row in reply.buttons for b in row]
    assert "This is Maya Lindgren" in labels and "This is Maya Oduya" in labels
    # a draft is not part of anyone's record yet
    answer = await service.answer(sender, "what did Maya Lindgren mention last time?")
    assert not answer.found
    chosen = next(b for row in reply.buttons for b in row if b.label == "This is Maya Oduya")
    final = await service.press(sender, encode(chosen.action))
    assert final.note.client_name == "Maya Oduya" and not final.note.needs_client
    answer = await service.answer(sender, "what did Maya Oduya mention last time?")
    assert answer.found and "tired" in answer.text


async def test_memo_recorded_before_download_survives_a_crash_mid_download(make_service, jfk):
    from storage.queue_local import LocalQueue
    from tests.core.flow_support import enrol
    from tests.fakes.channel import FakeChannel

    service = make_service()
    sender = enrol(service, "Dr. Osei")
    therapist_id = service.therapist_id(sender)
    announced = AudioMemo("90", None, "memo.ogg", client_hint="Lena Brandt", source_ref="file-abc", size_bytes=len(jfk))
    receipt = await service.receive_memo(sender, announced, origin="501:90")
    assert receipt.accepted
    # The process died before downloading; a restarted worker fetches it again by its file id.
    channel = FakeChannel(files={"file-abc": jfk})
    restarted = make_service(channels=[channel], queue=LocalQueue(1))
    assert support.unfinished(restarted) == [(therapist_id, receipt.memo_id)]
    restarted.ctx.queue.start(restarted.jobs)
    await restarted.recover()
    await restarted.ctx.queue.idle()
    await restarted.ctx.queue.stop()
    assert channel.fetches == ["file-abc"]
    [note] = channel.notes()
    assert note.note.client_name == "Lena Brandt" and support.unfinished(restarted) == []
    again = await restarted.receive_memo(sender, announced, origin="501:90")  # a late redelivery
    assert again.duplicate and support.count_notes(restarted, therapist_id) == 1


async def test_announced_size_over_the_limit_is_refused_before_download(make_service):
    service = make_service(max_memo_mb=1)
    sender = service.console_sender("Dr. Osei")
    receipt = await service.receive_memo(sender, AudioMemo("big-2", None, source_ref="f", size_bytes=30 * 1024 * 1024))
    assert not receipt.accepted and "30 MB" in receipt.message
    assert support.unfinished(service) == []


async def test_old_delivery_ids_are_forgotten_recent_ones_still_deduplicate(make_service):
    from datetime import datetime, timedelta, timezone

    service = make_service()
    assert service.claim_event("telegram:update:1")
    assert support.forget_events_before(service, datetime.now(timezone.utc) - timedelta(days=30)) == 0
    assert not service.claim_event("telegram:update:1")  # a recent redelivery is still ignored
    assert support.forget_events_before(service, datetime.now(timezone.utc) + timedelta(seconds=1)) == 1


async def test_recovery_goes_on_past_a_memo_it_cannot_read(make_service, jfk):
    """One memo stored under another key (or corrupted) fails with a reason in its chat; the others finish."""
    from sqlalchemy import update
    from sqlmodel import Session

    from core.memo_flow import UNREADABLE
    from storage.models import Memo
    from storage.queue_local import LocalQueue
    from tests.core.flow_support import enrol
    from tests.fakes.channel import FakeChannel

    channel = FakeChannel(files={"f": jfk})
    service = make_service(channels=[channel], queue=LocalQueue(1))
    sender = enrol(service, "Dr. Osei")
    therapist_id = service.therapist_id(sender)
    support.add_client(service, therapist_id, "Lena Brandt")
    receipts = [await service.receive_memo(sender, AudioMemo(f"7{i}", None, "memo.ogg", client_hint="Lena Brandt",
                                                             source_ref="f", size_bytes=len(jfk)), origin=f"501:7{i}")
                for i in range(3)]
    with Session(service.ctx.uow.engine) as s:  # the middle one was written under a key this server doesn't have
        s.exec(update(Memo).where(Memo.id == receipts[1].memo_id).values(client_hint_enc=b"gAAAAABnot-our-key"))
        s.commit()
    service.ctx.queue.start(service.jobs)
    await service.recover()
    await service.ctx.queue.idle()
    await service.ctx.queue.stop()
    statuses = [support.memo(service, therapist_id, r.memo_id) for r in (receipts[0], receipts[2])]
    assert [m.status for m in statuses] == ["delivered", "delivered"]
    assert len(channel.notes()) == 2
    assert support.failed_memos(service, therapist_id) == [receipts[1].memo_id]
    told = [reply for kind, ref, reply in channel.log if reply.outcome == "failed"]
    assert [t.text for t in told] == [UNREADABLE]
    assert await service.recover() == 0  # nothing left to retry forever
