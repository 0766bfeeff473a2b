"""One therapist's data as the answering layer sees it: clients, their final notes, their appointments.

`Caseload` is read-only. The service implements it over storage (notes loaded lazily, per client); the
answering layer only asks for the notes a question needs. `InMemoryCaseload` serves tests and benchmarks.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Mapping, Protocol, Sequence

from core.language.client_match import ClientRecord
from core.records import AllianceEntry
from core.types import NoteDraft

__all__ = ["Session", "Caseload", "InMemoryCaseload", "UNASSIGNED"]

UNASSIGNED = "Unassigned session"


@dataclass(frozen=True)
class Session:
    client_id: int | None
    client_name: str  # UNASSIGNED when no client
    starts_at: datetime  # aware, in the therapist's local time zone


class Caseload(Protocol):
    """One therapist's data, read-only."""

    clients: Sequence[ClientRecord]

    def notes(self, client_id: int, *, latest: int | None = None, until: date | None = None,
              since: date | None = None) -> list[NoteDraft]:
        """Final notes of one client, oldest first; with `latest`, only the newest that many dated up to
        `until` (a "last time" question needs one note, not a client's whole history decrypted); with
        `since`, only sessions from that day on ("any ruptures this month?")."""
        ...

    def sessions(self, start: date, end: date) -> list[Session]:
        """Appointments on days [start, end), in time order."""
        ...

    def entries(self, client_id: int) -> list[AllianceEntry]:
        """Scores the therapist entered and ruptures they marked repaired (core/alliance), oldest first."""
        ...


@dataclass
class InMemoryCaseload:
    """A Caseload over plain values; records which clients' notes were read (`loaded`)."""

    clients: Sequence[ClientRecord]
    by_client: Mapping[int, Sequence[NoteDraft]] = field(default_factory=dict)
    appointments: Sequence[Session] = ()
    loaded: list[int] = field(default_factory=list)
    by_client_entries: Mapping[int, Sequence[AllianceEntry]] = field(default_factory=dict)

    def notes(self, client_id: int, *, latest: int | None = None, until: date | None = None,
              since: date | None = None) -> list[NoteDraft]:
        self.loaded.append(client_id)
        notes = sorted((n for n in self.by_client.get(client_id, ()) if since is None or n.session_date >= since),
                       key=lambda n: (n.session_date, n.note_id or 0))
        if latest is not None:  # the newest `latest` sessions of this client, as storage reads them
            mine = [n for n in notes if n.client_id in (None, client_id) and not n.needs_client
                    and (until is None or n.session_date <= until)]
            days = sorted({(n.session_date, n.note_id) for n in mine})[-latest:]
            notes = [n for n in mine if (n.session_date, n.note_id) in days]
        return notes

    def entries(self, client_id: int) -> list[AllianceEntry]:
        return list(self.by_client_entries.get(client_id, ()))

    def sessions(self, start: date, end: date) -> list[Session]:
        return sorted((s for s in self.appointments if start <= s.starts_at.date() < end), key=lambda s: s.starts_at)
