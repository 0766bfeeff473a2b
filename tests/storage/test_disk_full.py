"""A full disk (SQLite told it may not grow: the same "database or disk is full" a full disk gives): the
therapist reads "the disk is full", a note reported failed is not stored, and reads still answer though
their audit row can't be written."""
from __future__ import annotations

from sqlalchemy import event, text

from core.answering import answer_for
from core.context import Who
from tests import support

NOTE = "Session with Maya Thompson today. She reported sleeping better and practised the breathing exercise."


def fill_the_disk(service) -> None:
    engine = service.ctx.uow.engine
    with engine.connect() as connection:
        pages = connection.exec_driver_sql("PRAGMA page_count").scalar()
    engine.dispose()
    event.listen(engine, "connect", lambda dbapi, _: dbapi.execute(f"PRAGMA max_page_count={pages}"))


async def test_a_full_disk_is_said_plainly_and_nothing_half_stored(tmp_path):
    from bots.bootstrap import build_assistant
    from core.config import Settings

    service = build_assistant(Settings(data_dir=tmp_path / "data"))
    sender = service.console_sender("Dr. Lena Ortiz")
    therapist_id = service.therapist_id(sender)
    assert (await support.typed_note(service, sender, NOTE)).note is not None
    fill_the_disk(service)

    reply = await service.receive_text(sender, "/note " + NOTE.replace("better", "worse") + " " + "More. " * 2000,
                                       message_id="t2")
    assert "The server's disk is full" in reply.text and "intact" in reply.text
    assert support.count_notes(service, therapist_id) == 1
    with service.ctx.uow.engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM memo")).scalar() == 1

    answer = answer_for(service.ctx, Who(therapist_id, "console"), "what did Maya report?")
    assert answer.found and "sleeping better" in answer.text  # the read answers; only its audit row is lost
    service.ctx.uow.engine.dispose()
