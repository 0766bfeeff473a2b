"""The SQL unit of work: one Session (one transaction) shared by every repository.

    with uow_factory() as uow:
        memo_id, created = uow.memos.add(...)
        uow.commit()

Leaving the block without commit() rolls back. Blocks are short: SQLite has one writer at a time."""
from __future__ import annotations

import logging

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlmodel import Session

from storage.alliance import SqlAllianceEntries
from storage.crypto import Cipher
from storage.db import StorageFull, refresh_statistics
from storage.ledger import SqlAudit, SqlLedger
from storage.models import AuditEvent
from storage.people import SqlClients, SqlTherapists
from storage.records import SqlMemos, SqlNotes
from storage.schedule import SqlAppointments


log = logging.getLogger(__name__)


class SqlUnitOfWork:
    def __init__(self, engine: Engine, cipher: Cipher):
        self.engine, self.cipher = engine, cipher

    def __enter__(self) -> "SqlUnitOfWork":
        self.session = Session(self.engine, expire_on_commit=False)
        s, c = self.session, self.cipher
        self.therapists = SqlTherapists(s, c)
        self.clients = SqlClients(s, c)
        self.memos = SqlMemos(s, c)
        self.notes = SqlNotes(s, c)
        self.appointments = SqlAppointments(s, c)
        self.ledger = SqlLedger(s)
        self.audit = SqlAudit(s)
        self.alliance = SqlAllianceEntries(s, c)
        self.wrote = False  # anything besides audit rows (see commit)
        event.listen(s, "before_flush", self._flushing)
        event.listen(s, "do_orm_execute", self._executing)
        return self

    def __exit__(self, *exc) -> None:
        self.session.rollback()  # a no-op after commit(); otherwise nothing half-done is kept
        self.session.close()

    def commit(self) -> None:
        try:
            self.session.commit()
        except StorageFull:
            if self.wrote:
                raise
            # Only a read's audit row was to be written: on a full disk the read still answers.
            self.session.rollback()
            log.warning("the disk is full: a read's audit row was not written")

    def _flushing(self, session, _context, _instances) -> None:
        if any(not isinstance(row, AuditEvent) for row in (*session.new, *session.dirty, *session.deleted)):
            self.wrote = True

    def _executing(self, state) -> None:
        if state.is_insert or state.is_update or state.is_delete:
            self.wrote = True

    def rollback(self) -> None:
        self.session.rollback()

    def index(self, value: str) -> str:
        return self.cipher.index(value)

    def optimize(self) -> None:
        refresh_statistics(self.engine)


class SqlUnitOfWorkFactory:
    """What the service holds: makes a unit of work per use case. `engine` stays reachable for operators
    (doctor, backups) and tests that dispose it."""

    def __init__(self, engine: Engine, cipher: Cipher):
        self.engine, self.cipher = engine, cipher

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine, self.cipher)
