"""The alliance from voice memos: dictations (tests/fixtures/speech/alliance-*.ogg, spoken by espeak-ng,
see make_alliance_fixtures.py) transcribed by the local Whisper model and written up offline. Maya's
rupture is repaired the next week; Daniel's never is, and stays open into the next digest and reminder.
His feedback scores came out of transcription garbled or out of range: kept as uncertain, never compared."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone
from pathlib import Path

import pytest

from bots.bootstrap import build_assistant
from core.config import Settings
from core.replies import reminder_text
from core.types import AudioMemo
from storage.memory import MemoryUnitOfWorkFactory
from storage.queue_local import LocalQueue
from tests import support
from tests.core.flow_support import FixedClock, enrol
from tests.core.helpers_schedule import local

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "speech"
CLIPS = json.loads((FIXTURES / "alliance.json").read_text())


@pytest.fixture(scope="module")
def transcriber():
    from core.speech.local import LocalTranscriber

    return LocalTranscriber(Settings())


@pytest.fixture
async def dictated(tmp_path, transcriber):
    service = build_assistant(Settings(data_dir=tmp_path / "data", database_url=None), uow=MemoryUnitOfWorkFactory(),
                              transcriber=transcriber, queue=LocalQueue(1), channels=[],
                              clock=FixedClock(datetime(2026, 11, 25, 6, 0, tzinfo=timezone.utc)))
    sender = enrol(service)
    tid = service.therapist_id(sender)
    clients = {name: support.add_client(service, tid, name) for name in ("Maya Thompson", "Daniel Okafor")}
    notes = {}
    for clip in CLIPS:
        memo = AudioMemo(clip["file"], (FIXTURES / clip["file"]).read_bytes(), "memo.ogg",
                         session_date=date.fromisoformat(clip["date"]))
        receipt = await service.receive_memo(sender, memo)
        reply = await service.finish_memo(tid, receipt.memo_id)
        assert reply.note is not None and reply.note.client_name == clip["client"], reply.text
        notes[clip["file"]] = reply.note
    for hour, name in ((10, "Maya Thompson"), (11, "Daniel Okafor")):
        support.add_appointment(service, tid, clients[name].id, local("UTC", 2026, 11, 25, hour, 0))
    return service, tid, notes


def test_the_dictations_are_small_committed_files():
    for clip in CLIPS:
        assert (FIXTURES / clip["file"]).stat().st_size < 40 * 1024


async def test_a_dictated_rupture_then_repair_closes_and_one_without_stays_open(dictated):
    service, tid, notes = dictated
    assert [f.kind for f in notes["alliance-maya-1.ogg"].alliance] == ["rupture"]
    assert [f.kind for f in notes["alliance-maya-2.ogg"].alliance] == ["repair"]
    assert [f.kind for f in notes["alliance-daniel-1.ogg"].alliance] == ["rupture"]
    digest = await service.digest(tid, date(2026, 11, 25))
    maya, daniel = digest.items
    assert not [a for a in maya.alliance_items if a.kind == "rupture"]
    [open_] = [a for a in daniel.alliance_items if a.kind == "rupture"]
    assert open_.session_date == date(2026, 10, 14) and "therapy isn't helping" in open_.quote
    assert open_.quote in notes["alliance-daniel-1.ogg"].alliance[0].evidence
    reminder = reminder_text(daniel, 15)
    assert "rupture, open" in reminder and "therapy isn't helping" in reminder


async def test_dictated_scores_keep_their_range_and_garbled_ones_are_uncertain(dictated):
    service, tid, notes = dictated
    [srs30] = notes["alliance-maya-1.ogg"].measures
    [srs36] = notes["alliance-maya-2.ogg"].measures
    assert (srs30.name, srs30.value, srs30.scale_min, srs30.scale_max) == ("SRS", 30, 0, 40)
    assert srs36.value == 36
    for name in ("alliance-daniel-1.ogg", "alliance-daniel-2.ogg"):  # "SRS 33" heard as "SRS-133"; "SRS 52" is out of range
        [garbled] = notes[name].measures
        assert garbled.name == "SRS" and garbled.uncertain and garbled.value is None and garbled.raw
    digest = await service.digest(tid, date(2026, 11, 25))
    assert not [a for item in digest.items for a in item.alliance_items if a.kind == "score_drop"]  # 30 -> 36 rose; unclear never compared
