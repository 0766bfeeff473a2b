"""Backups that restore: `alliance backup` while notes keep being written, then `alliance restore` into an
empty data dir (or an empty PostgreSQL database) with the key kept apart, and every note reads back. A
restore into a database that holds data, without the key, or from a damaged archive changes nothing."""
from __future__ import annotations

import io
import tarfile
import threading
from datetime import date
from pathlib import Path

import pytest
from bots.cli import main
from core.types import NoteDraft
from storage.backup import BackupProblem, backup, read_manifest
from tests import support


def draft(i: int) -> NoteDraft:
    return NoteDraft("Maya Thompson", date(2026, 11, 1 + i % 28), "SOAP",
                     (("Subjective", f"Visit {i}: she reported the lighthouse dream."),), f"Visit {i}.")


def notes_by_id(service, therapist_id: int) -> dict[int, str]:
    with service.ctx.uow() as uow:
        return {n.note_id: n.summary for n in uow.notes.latest(therapist_id, 10_000)}


@pytest.fixture
def target(tmp_path, database_url):
    """Where a restore goes: an empty data dir (SQLite) or an empty PostgreSQL database."""
    if database_url.startswith("sqlite"):
        yield tmp_path / "restored", None
        return
    from tests.pg import temporary_pg_database

    with temporary_pg_database("alliance_restore") as url:
        yield tmp_path / "restored", url


def test_backup_under_load_restores_every_note(make_service, tmp_path, monkeypatch, target, capsys):
    service = make_service()
    therapist_id = service.therapist_id(service.console_sender("Dr. Lena Ortiz"))
    client = support.add_client(service, therapist_id, "Maya Thompson")
    for i in range(30):
        support.add_note(service, therapist_id, draft(i))
    before = notes_by_id(service, therapist_id)

    stop, written = threading.Event(), []

    def keep_writing():  # another therapist's notes keep coming in while the backup runs
        i = 100
        while not stop.is_set():
            written.append(support.add_note(service, therapist_id, draft(i)))
            i += 1

    writer = threading.Thread(target=keep_writing)
    writer.start()
    try:
        archive, manifest = backup(service.ctx.uow.engine, service.ctx.uow.cipher, tmp_path / "backups", tmp_path / "data")
    finally:
        stop.set()
        writer.join()
    assert written and manifest["counts"]["note"] >= len(before)
    raw = archive.read_bytes()
    assert b"lighthouse" not in raw and b"Maya" not in raw and b"Lena" not in raw  # encrypted at rest

    data_dir, url = target
    data_dir.mkdir()
    (data_dir / "secret.key").write_text((tmp_path / "data" / "secret.key").read_text())  # the key, kept apart
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(data_dir))
    monkeypatch.delenv("ALLIANCE_SECRET_KEY", raising=False)
    if url:
        monkeypatch.setenv("ALLIANCE_DATABASE_URL", url)
    else:
        monkeypatch.delenv("ALLIANCE_DATABASE_URL", raising=False)
    assert main(["restore", str(archive)]) == 0
    assert f"{manifest['counts']['note']} note(s)" in capsys.readouterr().out

    restored = make_service(data_dir=data_dir, database_url=url or f"sqlite:///{data_dir / 'alliance.db'}")
    got = notes_by_id(restored, therapist_id)
    assert len(got) == manifest["counts"]["note"]
    assert all(got[note_id] == summary for note_id, summary in before.items())  # every note from before, readable
    assert [c.name for c in support.clients(restored, therapist_id)] == [client.name]
    assert restored.therapist_id(restored.console_sender("Dr. Lena Ortiz")) == therapist_id  # lookups intact

    assert main(["restore", str(archive)]) == 1  # not over data
    assert "already holds data" in capsys.readouterr().err


def test_a_restore_needs_its_key_and_an_intact_archive(tmp_path, monkeypatch, capsys):
    from bots.bootstrap import build_assistant
    from core.config import Settings

    monkeypatch.delenv("ALLIANCE_SECRET_KEY", raising=False)
    monkeypatch.delenv("ALLIANCE_DATABASE_URL", raising=False)
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(tmp_path / "data"))
    service = build_assistant(Settings(data_dir=tmp_path / "data"))
    service.console_sender("Dr. Lena Ortiz")
    service.ctx.uow.engine.dispose()
    assert main(["backup", "--out", str(tmp_path / "out")]) == 0
    [archive] = (tmp_path / "out").glob("alliance-backup-*.tar")
    assert "keep a copy of your key" in capsys.readouterr().out

    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(tmp_path / "empty"))
    assert main(["restore", str(archive)]) == 1
    err = capsys.readouterr().err
    assert "encrypted with key" in err and "secret.key" in err
    assert not (tmp_path / "empty" / "secret.key").exists()

    (tmp_path / "empty" / "secret.key").write_text((tmp_path / "data" / "secret.key").read_text())
    damaged = tmp_path / "damaged.tar"
    with tarfile.open(archive) as source, tarfile.open(damaged, "w") as out:
        for member in source.getmembers():
            body = source.extractfile(member).read()
            if member.name == "database.enc":
                body = body[:100] + (b"A" if body[100:101] != b"A" else b"B") + body[101:]
            member.size = len(body)
            out.addfile(member, io.BytesIO(body))
    assert main(["restore", str(damaged)]) == 1
    assert "damaged" in capsys.readouterr().err
    assert main(["restore", str(tmp_path / "nothing.tar")]) == 2
    with pytest.raises(BackupProblem, match="not an alliance backup"):
        read_manifest(Path(__file__))
    assert main(["restore", str(archive)]) == 0  # the refusals changed nothing
    assert "1 therapist(s)" in capsys.readouterr().out
