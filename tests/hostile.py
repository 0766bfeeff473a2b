"""Shared by the bad-input suites: what a therapist's stored data looks like, and a log-leak check."""
from __future__ import annotations

import logging

OUR_LOGGERS = ("core", "bots", "storage")


def snapshot(service, therapist_id: int) -> dict:
    """Everything a bad input must leave unchanged for this therapist."""
    with service.ctx.uow() as uow:
        return {
            "clients": [(c.id, c.name) for c in uow.clients.list(therapist_id)],
            "notes": [(n.note_id, n.client_id, n.version, n.format) for n in uow.notes.latest(therapist_id, 1000)],
            "appointments": [(a.id, a.starts_at, a.cancelled) for a in uow.appointments.list(therapist_id)],
            "settings": uow.therapists.get(therapist_id),
        }


def assert_no_leaks(records, secrets) -> None:
    """What setup_logging would let through at DEBUG (our own lines, everyone's warnings) carries none of
    the invented names or note phrases."""
    for record in records:
        if record.name.startswith(OUR_LOGGERS) or record.levelno >= logging.WARNING:
            line = record.getMessage() + (str(record.exc_info[1]) if record.exc_info else "")
            leaked = [s for s in secrets if s.lower() in line.lower()]
            assert not leaked, f"{record.name} logged {leaked}: {line[:200]}"
