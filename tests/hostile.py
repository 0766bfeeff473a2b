"""Shared by the bad-input suites: what a therapist's stored data looks like, and a log-leak check."""
from __future__ import annotations

import logging

OUR_LOGGERS = ("core", "bots", "storage")


def snapshot(service, therapist_id: int) -> dict:
    """Everything a bad input must leave unchanged for this therapist."""
    store = service.store
    return {
        "clients": [(c.id, c.name) for c in store.clients(therapist_id)],
        "notes": [(n.note_id, n.client_id, n.version, n.format) for n in store.latest_notes(therapist_id, 1000)],
        "appointments": [(a.id, a.starts_at, a.cancelled) for a in store.appointments(therapist_id)],
        "settings": store.therapist(therapist_id).model_dump(exclude={"name_enc", "preferences_enc"}),
    }


def assert_no_leaks(records, secrets) -> None:
    """What setup_logging would let through at DEBUG (our own lines, everyone's warnings) carries none of
    the invented names or note phrases."""
    for record in records:
        if record.name.startswith(OUR_LOGGERS) or record.levelno >= logging.WARNING:
            line = record.getMessage() + (str(record.exc_info[1]) if record.exc_info else "")
            leaked = [s for s in secrets if s.lower() in line.lower()]
            assert not leaked, f"{record.name} logged {leaked}: {line[:200]}"
