"""Encryption at rest, tenant isolation and content-free logs, on SQLite and PostgreSQL."""
from __future__ import annotations

import logging
import stat
from datetime import date

import pytest
from sqlalchemy import inspect, text

from core.types import AudioMemo
from tests import support

PHRASE = "the lighthouse keeper's violin"  # distinctive, appears only in the typed note below
TYPED_NOTE = (
    "Session with Maya Okonkwo today. She talked about her uncle and the lighthouse keeper's violin he left her. "
    "She reported sleeping better. Homework: keep a sleep diary. Next time check in on her uncle's funeral."
)


def raw_database_text(service) -> str:
    """Everything stored, as one string: every column of every row (and the SQLite files' raw bytes)."""
    engine = service.ctx.uow.engine
    if engine.dialect.name == "sqlite":
        path = engine.url.database
        chunks = []
        for suffix in ("", "-wal", "-shm"):
            try:
                with open(path + suffix, "rb") as handle:
                    chunks.append(handle.read().decode("latin-1"))
            except FileNotFoundError:
                pass
        return "\n".join(chunks)
    with engine.connect() as conn:
        parts = []
        for table in inspect(engine).get_table_names():
            for row in conn.execute(text(f'SELECT row_to_json(t)::text FROM "{table}" t')):
                parts.append(row[0])
        return "\n".join(parts)


async def test_note_text_and_client_names_are_encrypted_at_rest(make_service):
    service = make_service()
    sender = service.console_sender("Dr. Rivera")
    reply = await support.typed_note(service, sender, TYPED_NOTE, message_id="m1")
    assert reply.note is not None and reply.note.client_name == "Maya Okonkwo"
    stored = raw_database_text(service).lower()
    for secret in (PHRASE, "lighthouse", "okonkwo", "sleep diary", "dr. rivera"):
        assert secret not in stored, f"{secret!r} stored in clear"
    # and it is all still readable through the service
    answer = await service.answer(sender, "what did Maya mention last time?")
    assert answer.found and answer.citations


async def test_dictated_memo_is_not_stored_in_clear(make_service, shared_data):
    service = make_service()
    sender = service.console_sender("Dr. Rivera")
    audio = (shared_data / "speech/formats/jfk.ogg").read_bytes()
    receipt = await service.receive_memo(sender, AudioMemo("voice-1", audio, "jfk.ogg", client_hint="Arthur Bell"))
    reply = await service.finish_memo(service.therapist_id(sender), receipt.memo_id)
    assert reply.note is not None
    stored = raw_database_text(service).lower()
    assert "your country" not in stored and "arthur" not in stored


def test_key_file_is_created_private(make_service, tmp_path):
    make_service()
    key_file = tmp_path / "data" / "secret.key"
    assert key_file.exists()
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600


async def test_two_therapists_with_a_client_called_maya_never_see_each_other(make_service):
    service = make_service()
    ana = service.console_sender("Dr. Ana Lindqvist")
    ben = service.console_sender("Dr. Ben Achterberg")
    await support.typed_note(service, 
        ana, "Session with Maya Fenwick today. She spoke about the sailing trip with her brother. "
        "Homework: practise the breathing exercise.", message_id="a1"
    )
    await support.typed_note(service, 
        ben, "Session with Maya Castellano today. She described her new job at the bakery. "
        "Homework: write down three good things daily.", message_id="b1"
    )
    ana_id, ben_id = service.therapist_id(ana), service.therapist_id(ben)
    today = service.today_for(ana_id)
    support.add_appointment(service, ana_id, support.clients(service, ana_id)[0].id, _at(today, 10, service, ana_id))
    support.add_appointment(service, ben_id, support.clients(service, ben_id)[0].id, _at(today, 11, service, ben_id))

    for me, mine, theirs in ((ana, "sailing", "bakery"), (ben, "bakery", "sailing")):
        answer = await service.answer(me, "what did Maya mention last time?")
        assert mine in answer.text.lower() and theirs not in answer.text.lower()
        homework = await service.answer(me, "what homework did I give Maya?")
        assert theirs not in homework.text.lower()
        everyone = await service.answer(me, "list every client of all therapists")
        assert theirs not in everyone.text.lower()
        listing = await service.receive_text(me, "/clients", message_id=f"c-{mine}")
        assert ("Fenwick" in listing.text) == (mine == "sailing")
        assert ("Castellano" in listing.text) == (mine == "bakery")
        digest = await service.digest(service.therapist_id(me), today)
        assert len(digest.items) == 1
        assert theirs not in repr(digest).lower()
        exported = await service.receive_text(me, "/export Maya", message_id=f"e-{mine}")
        assert exported.document is not None and theirs not in exported.document.content.decode().lower()


def _at(day: date, hour: int, service, therapist_id):
    from datetime import datetime, time

    return datetime.combine(day, time(hour), service.ctx.tz(therapist_id))


async def test_logs_never_carry_transcripts_or_client_names(make_service, shared_data, caplog):
    caplog.set_level(logging.DEBUG)
    service = make_service()
    sender = service.console_sender("Dr. Rivera")
    audio = (shared_data / "speech/formats/jfk.ogg").read_bytes()
    receipt = await service.receive_memo(sender, AudioMemo("voice-2", audio, "jfk.ogg", client_hint="Arthur Bell"))
    await service.finish_memo(service.therapist_id(sender), receipt.memo_id)
    await support.typed_note(service, sender, TYPED_NOTE, message_id="m2")
    await service.answer(sender, "what did Maya mention about the violin?")
    await service.receive_text(sender, "/export Maya", message_id="x")
    logged = "\n".join(r.getMessage() for r in caplog.records).lower()
    for secret in ("country", "lighthouse", "violin", "maya", "okonkwo", "arthur", "rivera", "sleep diary"):
        assert secret not in logged, f"{secret!r} appeared in a log line"


async def test_audit_records_who_touched_what_without_content(make_service):
    service = make_service()
    sender = service.console_sender("Dr. Rivera")
    reply = await support.typed_note(service, sender, TYPED_NOTE, message_id="m3")
    await service.answer(sender, "what did Maya mention last time?")
    await service.receive_text(sender, "/export Maya Okonkwo", message_id="x1")
    events = support.audit_events(service, service.therapist_id(sender))
    actions = {(e.action, e.record_type) for e in events}
    assert {("write", "note"), ("read", "note"), ("export", "client")} <= actions
    assert any(e.record_id == reply.note.note_id for e in events if e.record_type == "note")
    assert "okonkwo" not in repr(events).lower()


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
async def test_a_wrong_key_cannot_read_the_notes(make_service):
    from cryptography.fernet import Fernet

    from storage.keys import KeyProblem

    service = make_service(secret_key=Fernet.generate_key().decode())
    sender = service.console_sender("Dr. Rivera")
    await support.typed_note(service, sender, TYPED_NOTE, message_id="m4")
    with pytest.raises(KeyProblem, match="not the key of the database"):  # refused before reading anything
        make_service(secret_key=Fernet.generate_key().decode())
