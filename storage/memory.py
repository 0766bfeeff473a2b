"""An in-memory unit of work with the same repositories as the SQL one: use-case tests run on it in
milliseconds (cosmicpython's FakeUnitOfWork). Nothing is encrypted because nothing leaves the process.
A unit of work works on a copy of the state and publishes it on commit(), so rollback means what it
means in SQL. Never hold one across an await (the SQL one mustn't either)."""
from __future__ import annotations

import copy
import hashlib
from dataclasses import dataclass, field, replace
from datetime import date, datetime, timezone, tzinfo
from itertools import count
from typing import Iterable, Sequence

from core.language.client_match import ClientRecord
from core.schedule.occurrences import expand_occurrences
from core.errors import NoteLocked
from core.types import Addendum, Measure, NoteDraft
from core.records import (Account, AllianceEntry, AppointmentRecord, AuditEntry, CalendarFeedRecord, MemoRecord, MemoStatus,
                          NoteEntry, Occurrence, TherapistRecord)


@dataclass
class State:
    ids: count = field(default_factory=lambda: count(1))
    therapists: dict[int, TherapistRecord] = field(default_factory=dict)
    accounts: dict[Account, int] = field(default_factory=dict)
    invites: dict[str, dict] = field(default_factory=dict)
    clients: dict[int, tuple[int, ClientRecord]] = field(default_factory=dict)
    memos: dict[int, MemoRecord] = field(default_factory=dict)
    memo_keys: dict[str, int] = field(default_factory=dict)
    notes: dict[int, dict] = field(default_factory=dict)  # id -> therapist, draft, status, memo_id, versions
    appointments: dict[int, tuple[int, AppointmentRecord]] = field(default_factory=dict)
    feeds: dict[int, CalendarFeedRecord] = field(default_factory=dict)
    events: dict[str, datetime] = field(default_factory=dict)
    notifications: dict[tuple[str, int, str], dict] = field(default_factory=dict)
    audit: list[AuditEntry] = field(default_factory=list)
    alliance: dict[int, tuple[int, AllianceEntry]] = field(default_factory=dict)


class _Repo:
    def __init__(self, state: State):
        self.st = state

    def _id(self) -> int:
        return next(self.st.ids)


class MemoryTherapists(_Repo):
    def add(self, name: str, **settings) -> int:
        therapist_id = self._id()
        self.st.therapists[therapist_id] = TherapistRecord(therapist_id, name, **settings)
        return therapist_id

    def get(self, therapist_id: int) -> TherapistRecord:
        return self.st.therapists[therapist_id]

    def update(self, therapist_id: int, **fields) -> None:
        self.st.therapists[therapist_id] = replace(self.st.therapists[therapist_id], **fields)

    def all(self) -> list[TherapistRecord]:
        return [self.st.therapists[k] for k in sorted(self.st.therapists)]

    def by_account(self, platform: str, workspace_id: str, user_key: str) -> int | None:
        return self.st.accounts.get(Account(platform, workspace_id, user_key))

    def link(self, therapist_id: int, account: Account) -> None:
        if account in self.st.accounts:
            raise ValueError("account already linked")
        self.st.accounts[account] = therapist_id

    def accounts(self, therapist_id: int) -> list[Account]:
        return [a for a, t in self.st.accounts.items() if t == therapist_id]

    def reachable(self) -> set[int]:
        return {t for a, t in self.st.accounts.items() if a.platform != "console"}

    def add_invite(self, therapist_id: int, code: str, expires_at: datetime) -> None:
        self.st.invites[code] = {"therapist_id": therapist_id, "expires_at": expires_at, "used": False}

    def redeem_invite(self, code: str, used_by: str, now: datetime) -> int | None:
        invite = self.st.invites.get(code)
        if invite is None or invite["used"] or invite["expires_at"] <= now:
            return None
        invite["used"] = True
        return invite["therapist_id"]


class MemoryClients(_Repo):
    def list(self, therapist_id: int) -> list[ClientRecord]:
        return [c for t, c in self.st.clients.values() if t == therapist_id]

    def get(self, therapist_id: int, client_id: int) -> ClientRecord | None:
        owner, client = self.st.clients.get(client_id, (None, None))
        return client if owner == therapist_id else None

    def add(self, therapist_id: int, name: str, aliases: Sequence[str] = ()) -> ClientRecord:
        existing = [c for c in self.list(therapist_id) if c.name.casefold() == name.casefold()]
        if existing:  # as the SQL repository: a name on file is returned, not doubled
            return existing[0]
        client = ClientRecord(self._id(), name, tuple(aliases))
        self.st.clients[client.id] = (therapist_id, client)
        return client

    def delete(self, therapist_id: int, client_id: int) -> bool:
        if self.get(therapist_id, client_id) is None:
            return False
        del self.st.clients[client_id]
        for note_id in [n for n, v in self.st.notes.items() if v["therapist_id"] == therapist_id and v["draft"].client_id == client_id]:
            del self.st.notes[note_id]
        for memo_id in [m for m, v in self.st.memos.items() if v.therapist_id == therapist_id and v.client_id == client_id]:
            del self.st.memos[memo_id]
        for appointment_id in [a for a, (t, v) in self.st.appointments.items() if t == therapist_id and v.client_id == client_id]:
            del self.st.appointments[appointment_id]
        for entry_id in [e for e, (t, v) in self.st.alliance.items() if t == therapist_id and v.client_id == client_id]:
            del self.st.alliance[entry_id]
        return True


    def names(self, therapist_ids: Sequence[int], client_ids: Iterable[int]) -> dict[tuple[int, int], str]:
        wanted = set(client_ids)
        return {(t, c.id): c.name for t, c in self.st.clients.values() if t in therapist_ids and c.id in wanted}


class MemoryMemos(_Repo):
    def add(self, therapist_id: int, idempotency_key: str, platform: str, **fields) -> tuple[int, bool]:
        if idempotency_key in self.st.memo_keys:
            return self.st.memo_keys[idempotency_key], False
        memo_id = self._id()
        fields.setdefault("status", MemoStatus.RECEIVED)
        self.st.memos[memo_id] = MemoRecord(memo_id, therapist_id, platform, created_at=datetime.now(timezone.utc), **fields)
        self.st.memo_keys[idempotency_key] = memo_id
        return memo_id, True

    def get(self, therapist_id: int, memo_id: int) -> MemoRecord | None:
        memo = self.st.memos.get(memo_id)
        return memo if memo is not None and memo.therapist_id == therapist_id else None

    def refs(self, therapist_id: int, memo_id: int) -> tuple[str, str | None, str | None] | None:
        memo = self.get(therapist_id, memo_id)
        return (memo.platform, memo.origin_ref, memo.reply_ref) if memo else None

    def update(self, therapist_id: int, memo_id: int, *, drop_audio: bool = False, **fields) -> None:
        memo = self.get(therapist_id, memo_id)
        if memo is None:
            return
        if drop_audio:
            fields["audio"] = None
        self.st.memos[memo_id] = replace(memo, **fields)

    def unfinished(self, platform: str | None = None) -> list[tuple[int, int]]:
        return [(m.therapist_id, m.id) for m in sorted(self.st.memos.values(), key=lambda m: m.id)
                if m.status in MemoStatus.ACTIVE and (platform is None or m.platform == platform)]

    def failed(self, therapist_id: int) -> list[int]:
        return sorted(m.id for m in self.st.memos.values() if m.therapist_id == therapist_id and m.status == MemoStatus.FAILED)

    def by_reply_ref(self, therapist_id: int, ref: str) -> MemoRecord | None:
        found = [m for m in self.st.memos.values() if m.therapist_id == therapist_id and ref in (m.reply_ref, m.origin_ref)]
        return max(found, key=lambda m: m.id) if found else None


class MemoryNotes(_Repo):
    def _entry(self, therapist_id: int, note_id: int) -> dict | None:
        entry = self.st.notes.get(note_id)
        return entry if entry is not None and entry["therapist_id"] == therapist_id else None

    def _draft(self, note_id: int, entry: dict) -> NoteDraft:
        return replace(entry["draft"], note_id=note_id, version=len(entry["versions"]) + 1,
                       needs_client=entry["status"] == "draft", signed_at=entry.get("signed_at"), addenda=())

    def add(self, therapist_id: int, draft: NoteDraft, *, memo_id: int | None, status: str = "final") -> int:
        note_id = self._id()
        self.st.notes[note_id] = {"therapist_id": therapist_id, "draft": draft, "status": status, "memo_id": memo_id, "versions": []}
        return note_id

    def get(self, therapist_id: int, note_id: int) -> NoteDraft | None:
        entry = self._entry(therapist_id, note_id)
        return replace(self._draft(note_id, entry), addenda=tuple(a for a, _ in entry.get("addenda", ()))) if entry else None

    def entries(self, therapist_id: int, *, client_id: int | None = None, drafts_only: bool = False,
                start: date | None = None, end: date | None = None) -> list[NoteEntry]:
        found = [self.entry(therapist_id, n) for n, e in self.st.notes.items() if e["therapist_id"] == therapist_id]
        found = [e for e in found if (client_id is None or e.client_id == client_id) and (not drafts_only or e.status == "draft")
                 and (start is None or e.session_date >= start) and (end is None or e.session_date <= end)]
        return sorted(found, key=lambda e: (e.session_date, e.id), reverse=True)

    def entry(self, therapist_id: int, note_id: int) -> NoteEntry | None:
        entry = self._entry(therapist_id, note_id)
        if entry is None:
            return None
        draft = entry["draft"]
        return NoteEntry(note_id, draft.client_id, draft.session_date, draft.format, entry["status"],
                         len(entry["versions"]) + 1, entry["memo_id"], entry.get("signed_at"), entry.get("signed_by"))

    def sign(self, therapist_id: int, note_id: int, actor: str, at: datetime) -> bool:
        entry = self._entry(therapist_id, note_id)
        if entry is None or entry["status"] != "final":
            return False
        entry.update(status="signed", signed_at=at, signed_by=actor)
        return True

    def add_addendum(self, therapist_id: int, note_id: int, text: str, actor: str, at: datetime) -> None:
        entry = self._entry(therapist_id, note_id)
        if entry is None:
            raise KeyError("no such note")
        entry.setdefault("addenda", []).append((Addendum(text, at), actor))

    def memo_id(self, therapist_id: int, note_id: int) -> int | None:
        entry = self._entry(therapist_id, note_id)
        return entry["memo_id"] if entry else None

    def for_memo(self, therapist_id: int, memo_id: int) -> int | None:
        return next((n for n, e in self.st.notes.items() if e["therapist_id"] == therapist_id and e["memo_id"] == memo_id), None)

    def replace(self, therapist_id: int, note_id: int, draft: NoteDraft, *, status: str = "final") -> NoteDraft:
        entry = self._entry(therapist_id, note_id)
        if entry is None:
            raise KeyError("no such note")
        if entry["status"] == "signed":
            raise NoteLocked()
        entry["versions"].append(self._draft(note_id, entry))
        entry.update(draft=draft, status=status)
        return self._draft(note_id, entry)

    def versions(self, therapist_id: int, note_id: int) -> list[NoteDraft]:
        entry = self._entry(therapist_id, note_id)
        return list(entry["versions"]) if entry else []

    def delete(self, therapist_id: int, note_id: int) -> bool:
        if self._entry(therapist_id, note_id) is None:
            return False
        del self.st.notes[note_id]
        for memo in list(self.st.memos.values()):
            if memo.therapist_id == therapist_id and memo.note_id == note_id:
                self.st.memos[memo.id] = replace(memo, note_id=None)
        return True

    def _final(self, therapist_id: int) -> list[NoteDraft]:
        notes = [self._draft(n, e) for n, e in self.st.notes.items() if e["therapist_id"] == therapist_id and e["status"] in ("final", "signed")]
        return sorted(notes, key=lambda n: (n.session_date, n.note_id))

    def for_client(self, therapist_id: int, client_id: int, *, latest: int | None = None,
                   until: date | None = None, since: date | None = None) -> list[NoteDraft]:
        notes = [replace(n, addenda=tuple(a for a, _ in self.st.notes[n.note_id].get("addenda", ())))
                 for n in self._final(therapist_id) if n.client_id == client_id and (since is None or n.session_date >= since)]
        if latest is not None:
            notes = [n for n in notes if until is None or n.session_date <= until][-latest:]
        return notes

    def latest(self, therapist_id: int, limit: int = 10) -> list[NoteDraft]:
        return list(reversed(self._final(therapist_id)))[:limit]

    def count(self, therapist_id: int) -> int:
        return sum(e["therapist_id"] == therapist_id for e in self.st.notes.values())

    def recent_for_clients(self, therapist_ids: Sequence[int], client_ids: Iterable[int], before: date, per_client: int
                           ) -> dict[tuple[int, int], list[NoteDraft]]:
        wanted, out = set(client_ids), {}
        for therapist_id in therapist_ids:
            for client_id in wanted:
                notes = [n for n in self.for_client(therapist_id, client_id) if n.session_date < before]
                if notes:
                    out[(therapist_id, client_id)] = notes[-per_client:]
        return out


class MemoryAppointments(_Repo):
    def add(self, therapist_id: int, client_id: int | None, starts_at: datetime, **fields) -> int:
        appointment_id = self._id()
        record = AppointmentRecord(appointment_id, client_id, starts_at.astimezone(timezone.utc), **fields)
        self.st.appointments[appointment_id] = (therapist_id, record)
        return appointment_id

    def get(self, therapist_id: int, appointment_id: int) -> AppointmentRecord | None:
        owner, record = self.st.appointments.get(appointment_id, (None, None))
        return record if owner == therapist_id else None

    def list(self, therapist_id: int, *, source: str | None = None, include_cancelled: bool = False) -> list[AppointmentRecord]:
        rows = [r for t, r in self.st.appointments.values()
                if t == therapist_id and (source is None or r.source == source) and (include_cancelled or not r.cancelled)]
        return sorted(rows, key=lambda r: (r.starts_at, r.id))

    def update(self, therapist_id: int, appointment_id: int, **fields) -> None:
        record = self.get(therapist_id, appointment_id)
        if record is not None:
            if "starts_at" in fields:
                fields["starts_at"] = fields["starts_at"].astimezone(timezone.utc)
            self.st.appointments[appointment_id] = (therapist_id, replace(record, **fields))

    def cancel(self, therapist_id: int, appointment_id: int) -> bool:
        record = self.get(therapist_id, appointment_id)
        if record is None or record.cancelled:
            return False
        self.update(therapist_id, appointment_id, cancelled=True)
        return True

    def occurrences(self, therapist_id: int, start: datetime, end: datetime, tz: tzinfo) -> list[Occurrence]:
        return self.occurrences_for({therapist_id: tz}, start, end)

    def occurrences_for(self, zones: dict[int, tzinfo], start: datetime, end: datetime) -> list[Occurrence]:
        found = [o for t, r in self.st.appointments.values() if t in zones and not r.cancelled
                 for o in expand_occurrences(r, start, end, zones[t], therapist_id=t)]
        return sorted(found, key=lambda o: (o.starts_at, o.appointment_id))

    def feeds(self, therapist_id: int | None = None) -> list[CalendarFeedRecord]:
        return [f for _, f in sorted(self.st.feeds.items()) if therapist_id is None or f.therapist_id == therapist_id]

    def add_feed(self, therapist_id: int, url: str) -> int:
        feed_id = self._id()
        self.st.feeds[feed_id] = CalendarFeedRecord(feed_id, therapist_id, url)
        return feed_id

    def remove_feeds(self, therapist_id: int) -> int:
        gone = [k for k, f in self.st.feeds.items() if f.therapist_id == therapist_id]
        for key in gone:
            del self.st.feeds[key]
        return len(gone)

    def update_feed(self, feed_id: int, *, only_if_loaded_before: datetime | None = None,
                    only_if_unreported: bool = False, **fields) -> bool:
        feed = self.st.feeds.get(feed_id)
        if feed is None:
            return False
        if only_if_loaded_before is not None and feed.last_loaded_at is not None and feed.last_loaded_at > only_if_loaded_before:
            return False
        if only_if_unreported and feed.error_reported:
            return False
        self.st.feeds[feed_id] = replace(feed, **fields)
        return True


class MemoryLedger(_Repo):
    def claim_event(self, event_key: str) -> bool:
        if event_key in self.st.events:
            return False
        self.st.events[event_key] = datetime.now(timezone.utc)
        return True

    def forget_events_before(self, before: datetime) -> int:
        old = [k for k, at in self.st.events.items() if at < before]
        for key in old:
            del self.st.events[key]
        return len(old)

    def claim_notification(self, therapist_id: int, kind: str, key: str) -> bool:
        return bool(self.claim_notifications(kind, [(therapist_id, key)]))

    def claim_notifications(self, kind: str, pairs: Sequence[tuple[int, str]]) -> set[tuple[int, str]]:
        won = set()
        for therapist_id, key in pairs:
            if (kind, therapist_id, key) not in self.st.notifications:
                self.st.notifications[(kind, therapist_id, key)] = {"status": "claimed", "attempts": 0}
                won.add((therapist_id, key))
        return won

    def claimed(self, kind: str, keys: Iterable[str]) -> set[tuple[int, str]]:
        keys = set(keys)
        return {(t, k) for (kind_, t, k) in self.st.notifications if kind_ == kind and k in keys}

    def mark_notification(self, therapist_id: int, kind: str, key: str, status: str, attempts: int = 1) -> None:
        entry = self.st.notifications.get((kind, therapist_id, key))
        if entry is not None:
            entry.update(status=status, attempts=attempts)


class MemoryAudit(_Repo):
    def record(self, therapist_id: int | None, actor: str, action: str, record_type: str, record_id: int | None = None) -> None:
        self.st.audit.append(AuditEntry(therapist_id, actor, action, record_type, record_id, datetime.now(timezone.utc)))

    def events(self, therapist_id: int) -> list[AuditEntry]:
        return [e for e in self.st.audit if e.therapist_id == therapist_id]


class MemoryAllianceEntries(_Repo):
    def add(self, therapist_id: int, client_id: int, session_date: date, kind: str, *,
            measure: Measure | None = None, note_id: int | None = None) -> int:
        entry = AllianceEntry(self._id(), client_id, session_date, kind, measure, note_id, datetime.now(timezone.utc))
        self.st.alliance[entry.id] = (therapist_id, entry)
        return entry.id

    def for_client(self, therapist_id: int, client_id: int) -> list[AllianceEntry]:
        return self.for_clients([therapist_id], [client_id]).get((therapist_id, client_id), [])

    def for_clients(self, therapist_ids: Sequence[int], client_ids: Iterable[int]) -> dict[tuple[int, int], list[AllianceEntry]]:
        wanted, out = set(client_ids), {}
        for t, e in sorted(self.st.alliance.values(), key=lambda te: (te[1].session_date, te[1].id)):
            if t in therapist_ids and e.client_id in wanted:
                out.setdefault((t, e.client_id), []).append(e)
        return out

    def get(self, therapist_id: int, entry_id: int) -> AllianceEntry | None:
        owner, entry = self.st.alliance.get(entry_id, (None, None))
        return entry if owner == therapist_id else None

    def delete(self, therapist_id: int, entry_id: int) -> bool:
        return self.get(therapist_id, entry_id) is not None and self.st.alliance.pop(entry_id) is not None


class MemoryUnitOfWork:
    def __init__(self, shared: "MemoryUnitOfWorkFactory"):
        self.shared = shared

    def __enter__(self) -> "MemoryUnitOfWork":
        self._bind(copy.deepcopy(self.shared.state))
        return self

    def __exit__(self, *exc) -> None:
        self.state = None

    def _bind(self, st: State) -> None:
        self.state = st
        self.therapists, self.clients, self.memos = MemoryTherapists(st), MemoryClients(st), MemoryMemos(st)
        self.notes, self.appointments = MemoryNotes(st), MemoryAppointments(st)
        self.ledger, self.audit = MemoryLedger(st), MemoryAudit(st)
        self.alliance = MemoryAllianceEntries(st)

    def commit(self) -> None:
        self.shared.state = self.state
        self.shared.commits += 1
        self._bind(copy.deepcopy(self.state))  # work after commit() starts from what was published

    def rollback(self) -> None:
        self._bind(copy.deepcopy(self.shared.state))

    def index(self, value: str) -> str:
        return hashlib.sha256(b"memory-index:" + value.encode()).hexdigest()

    def optimize(self) -> None:
        pass


class MemoryUnitOfWorkFactory:
    def __init__(self):
        self.state = State()
        self.commits = 0

    def __call__(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self)
