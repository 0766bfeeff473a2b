"""Keys you can't lose data to: a missing, wrong or foreign key is refused with the fix named (never
replaced, never written under); rotated keys find the same therapist and sessions; rotate + retire round
trip; a database from before the keyring keeps its lookups. Every test runs on SQLite and PostgreSQL."""
from __future__ import annotations

import asyncio
from datetime import datetime, timedelta, timezone

import pytest
from cryptography.fernet import Fernet
from sqlalchemy import text

from bots.cli import main
from core.schedule.calendar_import import import_ics
from storage.crypto import Cipher, key_id
from storage.keys import KeyProblem
from tests import support

NOTE = "Session with Maya Thompson today. She reported sleeping better and practised the breathing exercise."


def new_key() -> str:
    return Fernet.generate_key().decode()


def calendar() -> bytes:
    start = (datetime.now(timezone.utc) + timedelta(days=2)).replace(hour=9, minute=0, second=0, microsecond=0)
    return (
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Invented//Test//EN\r\n"
        "BEGIN:VEVENT\r\nUID:weekly-maya@practice.invalid\r\nDTSTAMP:20261101T120000Z\r\nSUMMARY:Maya T.\r\n"
        f"DTSTART:{start:%Y%m%dT%H%M%SZ}\r\nDTEND:{start + timedelta(minutes=50):%Y%m%dT%H%M%SZ}\r\n"
        "RRULE:FREQ=WEEKLY;COUNT=4\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    ).encode()


def rows(service, table: str) -> int:
    with service.ctx.uow.engine.connect() as connection:
        return connection.execute(text(f'SELECT count(*) FROM "{table}"')).scalar()


async def first_practice(service):
    """A therapist with a client, a note and an imported weekly session."""
    sender = service.console_sender("Dr. Ada Rivers")
    therapist_id = service.therapist_id(sender)
    support.add_client(service, therapist_id, "Maya Thompson")
    reply = await support.typed_note(service, sender, NOTE)
    assert reply.note is not None
    assert import_ics(service.ctx, therapist_id, calendar()).added == 4
    return sender, therapist_id


def assert_same_practice(service, therapist_id: int) -> None:
    """The same therapist (by name), readable notes, and a re-import that adds nothing."""
    assert service.therapist_id(service.console_sender("Dr. Ada Rivers")) == therapist_id
    assert [c.name for c in support.clients(service, therapist_id)] == ["Maya Thompson"]
    assert support.latest_notes(service, therapist_id)[0].client_name == "Maya Thompson"
    assert import_ics(service.ctx, therapist_id, calendar()).added == 0
    assert rows(service, "therapist") == 1 and rows(service, "appointment") == 4


async def test_a_deleted_key_file_is_refused_and_never_replaced(make_service, tmp_path):
    service = make_service()
    _, therapist_id = await first_practice(service)
    key_file = tmp_path / "data" / "secret.key"
    saved = key_file.read_text()
    key_file.unlink()
    with pytest.raises(KeyProblem, match=r"its key is missing.*Restore secret.key from your backup"):
        make_service()
    assert not key_file.exists()  # no fresh key for a database that holds data
    key_file.write_text(saved)
    assert_same_practice(make_service(), therapist_id)


async def test_a_second_machine_with_its_own_data_dir_is_refused(make_service, tmp_path):
    service = make_service()
    _, therapist_id = await first_practice(service)
    with pytest.raises(KeyProblem, match="its key is missing"):
        make_service(data_dir=tmp_path / "other-machine")
    assert not (tmp_path / "other-machine" / "secret.key").exists()
    with pytest.raises(KeyProblem, match="is not the key of the database"):
        make_service(data_dir=tmp_path / "other-machine", secret_key=new_key())
    assert rows(service, "therapist") == 1 and rows(service, "note") == 1
    assert_same_practice(service, therapist_id)


def test_every_cli_command_refuses_a_wrong_key(monkeypatch, tmp_path, database_url, capsys):
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ALLIANCE_DATABASE_URL", database_url)
    monkeypatch.setenv("ALLIANCE_SECRET_KEY", right := new_key())
    assert main(["note", NOTE, "--as", "Dr. Ada Rivers", "--client", "Maya Thompson"]) == 0
    monkeypatch.setenv("ALLIANCE_SECRET_KEY", new_key())
    for command in (["clients", "--as", "Dr. Ada Rivers"], ["note", NOTE, "--as", "Dr. Ada Rivers"],
                    ["ask", "what did Maya report?", "--as", "Dr. Ada Rivers"], ["digest", "--as", "Dr. Ada Rivers"],
                    ["backup"], ["keys", "rotate"]):
        capsys.readouterr()
        assert main(command) == 1, command
        err = capsys.readouterr().err
        assert "is not the key of the database" in err and "from your backup" in err and right not in err
    monkeypatch.setenv("ALLIANCE_SECRET_KEY", right)
    assert main(["clients", "--as", "Dr. Ada Rivers"]) == 0
    assert capsys.readouterr().out.strip() == "Maya Thompson"  # one therapist, one note: nothing written meanwhile


async def test_a_new_key_put_first_changes_nothing_until_rotation(make_service):
    old = new_key()
    service = make_service(secret_key=old)
    _, therapist_id = await first_practice(service)
    both = make_service(secret_key=f"{new_key()},{old}")
    assert_same_practice(both, therapist_id)
    await support.typed_note(both, both.console_sender("Dr. Ada Rivers"), NOTE + " Again.", message_id="m2")
    alone = make_service(secret_key=old)  # nothing was written with the unrecorded key
    assert len(support.latest_notes(alone, therapist_id)) == 2


def test_rotate_and_retire_round_trip(monkeypatch, make_service, tmp_path, database_url, capsys):
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ALLIANCE_DATABASE_URL", database_url)
    monkeypatch.delenv("ALLIANCE_SECRET_KEY", raising=False)
    stale = make_service()  # a process started before the rotation keeps writing with the old key
    _, therapist_id = asyncio.run(first_practice(stale))
    key_file = tmp_path / "data" / "secret.key"
    old = key_file.read_text().strip()

    assert main(["keys", "rotate"]) == 0
    new = key_file.read_text().strip().split(",")[0]
    assert key_file.read_text().strip() == f"{new},{old}"
    assert f"alliance keys retire {key_id(old)}" in capsys.readouterr().out
    with pytest.raises(KeyProblem, match="rotation is not finished"):
        make_service(secret_key=new)

    # The running process opens what was re-encrypted, and writes with the new key from then on.
    asyncio.run(support.typed_note(stale, stale.console_sender("Dr. Ada Rivers"), NOTE + " Later.", message_id="m2"))
    assert stale.ctx.uow.cipher.primary_id == key_id(new)
    assert main(["keys", "retire", key_id(new)[:8]]) == 1  # the primary
    with stale.ctx.uow.engine.begin() as connection:  # a value written with the old key after the rotation passed
        connection.execute(text("UPDATE client SET aliases_enc = :v"), {"v": Cipher([old]).encrypt_json(["Mo"])})
    capsys.readouterr()
    assert main(["keys", "retire", key_id(old)[:8]]) == 1
    assert "1 stored value(s) still use key" in capsys.readouterr().err
    assert main(["keys", "rotate"]) == 0  # resumes: no third key
    assert len(key_file.read_text().split(",")) == 2
    assert main(["keys", "retire", key_id(old)[:8]]) == 0
    assert key_file.read_text().strip() == new

    fresh = make_service()
    assert_same_practice(fresh, therapist_id)
    assert len(support.latest_notes(fresh, therapist_id)) == 2
    with pytest.raises(KeyProblem, match="is not the key of the database"):
        make_service(secret_key=old)


def test_rotation_with_keys_in_the_environment(monkeypatch, make_service, tmp_path, database_url, capsys):
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("ALLIANCE_DATABASE_URL", database_url)
    old, new = new_key(), new_key()
    _, therapist_id = asyncio.run(first_practice(make_service(secret_key=old)))
    monkeypatch.setenv("ALLIANCE_SECRET_KEY", old)
    assert main(["keys", "rotate"]) == 1
    assert "put it first (ALLIANCE_SECRET_KEY=NEW,CURRENT)" in capsys.readouterr().err
    monkeypatch.setenv("ALLIANCE_SECRET_KEY", f"{new},{old}")
    assert main(["keys", "rotate"]) == 0
    assert main(["keys", "retire", key_id(old)]) == 0
    assert "Remove it from ALLIANCE_SECRET_KEY" in capsys.readouterr().out
    assert_same_practice(make_service(secret_key=new), therapist_id)


async def test_a_database_from_before_the_keyring_keeps_its_lookups(make_service, tmp_path, database_url):
    from bots.bootstrap import build_assistant
    from core.config import Settings
    from storage.crypto import Cipher
    from storage.db import make_engine, migrate
    from storage.uow import SqlUnitOfWorkFactory

    first, second = new_key(), new_key()
    engine = make_engine(database_url)
    migrate(engine)
    # Yesterday's code: the index key derived from the first key, nothing recorded.
    legacy = build_assistant(Settings(data_dir=tmp_path / "data", database_url=database_url),
                             uow=SqlUnitOfWorkFactory(engine, Cipher([first])))
    _, therapist_id = await first_practice(legacy)
    engine.dispose()

    with pytest.raises(KeyProblem, match="cannot read the database"):
        make_service(secret_key=second)
    adopted = make_service(secret_key=f"{second},{first}")  # its hashes were made with `first`: still found
    assert_same_practice(adopted, therapist_id)
    assert_same_practice(make_service(secret_key=f"{second},{first}"), therapist_id)
