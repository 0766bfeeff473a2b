"""Forget means gone: after `forget`, no decryptable trace of the client is left in the database file or
its WAL (on SQLite, read as raw bytes while another connection stays open), and the other client's notes
are untouched."""
from __future__ import annotations

import re
import sqlite3
from pathlib import Path

from sqlalchemy import text

from core import roster
from tests import support

MAYA = "Session with Maya Thompson today. She described the lighthouse dream again and the fear of open water."
DANIEL = "Session with Daniel Okafor today. He reported the new job is going well and sleep has improved."
TOKEN = re.compile(rb"gAAAAA[A-Za-z0-9_\-]{40,}={0,2}")


def stored_tokens(service, client_id: int) -> list[bytes]:
    """Every ciphertext stored about the client."""
    queries = [
        ("SELECT name_enc FROM client WHERE id = :c", ()),
        ("SELECT aliases_enc FROM client WHERE id = :c", ()),
        ("SELECT content_enc FROM note WHERE client_id = :c", ()),
        ("SELECT v.content_enc FROM noteversion v JOIN note n ON n.id = v.note_id WHERE n.client_id = :c", ()),
        ("SELECT transcript_enc FROM memo WHERE client_id = :c", ()),
        ("SELECT title_enc FROM appointment WHERE client_id = :c", ()),
    ]
    with service.ctx.uow.engine.connect() as connection:
        found = [row[0] for q, _ in queries for row in connection.execute(text(q), {"c": client_id})]
    return [bytes(t) for t in found if t]


def decryptable_about(service, raw: bytes, words: tuple[str, ...]) -> int:
    """Fernet tokens in raw bytes that decrypt to something naming the client."""
    count = 0
    for match in TOKEN.finditer(raw):
        try:
            plain = service.ctx.uow.cipher.decrypt_bytes(match.group()).decode("utf-8", "replace")
        except Exception:
            continue
        count += any(w in plain for w in words)
    return count


async def two_clients(service):
    sender = service.console_sender("Dr. Lena Ortiz")
    therapist_id = service.therapist_id(sender)
    maya = support.add_client(service, therapist_id, "Maya Thompson", aliases=["Mo"])
    support.add_client(service, therapist_id, "Daniel Okafor")
    for i in range(3):
        await support.typed_note(service, sender, f"{MAYA} Visit {i}.", message_id=f"maya{i}")
        await support.typed_note(service, sender, f"{DANIEL} Visit {i}.", message_id=f"daniel{i}")
    return sender, therapist_id, maya


async def test_forget_leaves_no_decryptable_trace_in_the_file_or_its_wal(make_service, tmp_path, database_url):
    service = make_service()
    sender, therapist_id, maya = await two_clients(service)
    tokens = stored_tokens(service, maya.id)
    assert len(tokens) >= 5
    path = Path(database_url.removeprefix("sqlite:///")) if database_url.startswith("sqlite") else None
    reader = sqlite3.connect(path) if path else None  # another connection open all along, as in a running bot
    if reader:
        reader.execute("SELECT count(*) FROM note").fetchone()

    with service.ctx.uow() as uow:
        assert roster.forget(uow, therapist_id, maya.id, "test") is not None
        uow.commit()

    assert [c.name for c in support.clients(service, therapist_id)] == ["Daniel Okafor"]
    assert len(support.latest_notes(service, therapist_id)) == 3
    assert stored_tokens(service, maya.id) == []
    if path is None:
        return  # PostgreSQL: the rows are gone and VACUUM ran; its files are the server's
    raw = b"".join(p.read_bytes() for p in (path, Path(f"{path}-wal")) if p.exists())
    assert decryptable_about(service, raw, ("Daniel",)) > 0  # the scan does find what is still there
    assert decryptable_about(service, raw, ("Maya", "Thompson", "lighthouse", "Mo")) == 0
    assert [t for t in tokens if t[:60] in raw] == []
    assert b"lighthouse" not in raw and b"Thompson" not in raw
    reader.close()
