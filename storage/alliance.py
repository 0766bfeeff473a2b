"""Alliance entries: scores the therapist entered and ruptures they marked repaired. A score (its scale,
number and the words typed) is stored encrypted like a note; a mark is only ids and a date."""
from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Iterable, Sequence

from sqlalchemy import delete
from sqlmodel import Session, select

from core.records import AllianceEntry
from core.types import Measure, measure_from_json, measure_to_json
from storage.crypto import Cipher
from storage.models import AllianceEntry as Row
from storage.records import in_chunks


class SqlAllianceEntries:
    def __init__(self, session: Session, cipher: Cipher):
        self.s, self.cipher = session, cipher

    def add(self, therapist_id: int, client_id: int, session_date: date, kind: str, *,
            measure: Measure | None = None, note_id: int | None = None) -> int:
        row = Row(therapist_id=therapist_id, client_id=client_id, session_date=session_date, kind=kind, note_id=note_id,
                  content_enc=self.cipher.encrypt_json(measure_to_json(measure)) if measure is not None else None)
        self.s.add(row)
        self.s.flush()
        return row.id

    def for_client(self, therapist_id: int, client_id: int) -> list[AllianceEntry]:
        rows = self.s.exec(select(Row).where(Row.therapist_id == therapist_id, Row.client_id == client_id)
                           .order_by(Row.session_date, Row.id))
        return [self._record(r) for r in rows]

    def for_clients(self, therapist_ids: Sequence[int], client_ids: Iterable[int]) -> dict[tuple[int, int], list[AllianceEntry]]:
        out: dict[tuple[int, int], list[AllianceEntry]] = defaultdict(list)
        for part in in_chunks(client_ids):
            rows = self.s.exec(select(Row).where(Row.therapist_id.in_(list(therapist_ids)), Row.client_id.in_(part))
                               .order_by(Row.session_date, Row.id))
            for row in rows:
                out[(row.therapist_id, row.client_id)].append(self._record(row))
        return dict(out)

    def get(self, therapist_id: int, entry_id: int) -> AllianceEntry | None:
        row = self.s.exec(select(Row).where(Row.therapist_id == therapist_id, Row.id == entry_id)).first()
        return self._record(row) if row else None

    def delete(self, therapist_id: int, entry_id: int) -> bool:
        result = self.s.exec(delete(Row).where(Row.therapist_id == therapist_id, Row.id == entry_id))
        return bool(result.rowcount)

    def _record(self, row: Row) -> AllianceEntry:
        content = self.cipher.decrypt_json(row.content_enc) if row.content_enc else None
        return AllianceEntry(row.id, row.client_id, row.session_date, row.kind,
                             measure_from_json(content) if content else None, row.note_id, row.created_at)
