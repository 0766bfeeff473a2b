"""What the scheduler sends and when: the morning prep digest and pre-session reminders.

`due_notifications(service, now)` decides what is due at `now` for every therapist and *claims* each item
in the sent-notifications ledger (unique per kind, therapist and day/occurrence) before returning it, so
two scheduler processes, a misfire catch-up or a restart can never produce the same message twice: only
the process whose claim succeeded gets the item. `send_due` then delivers what it won through the
therapist's linked chat accounts, retrying with bounded backoff, and records "sent" or "failed".

The rules, all in the therapist's own time zone (so 07:30 stays 07:30 across daylight-saving changes):
- digest: on a digest day, from digest_time until noon (a restart after a missed 07:30 still sends it at
  09:10; after noon the day's prep is no longer useful and nothing is sent). A digest set at or after noon
  gets LATE_DIGEST_GRACE instead. No sessions -> no message, unless the therapist asked for one.
- reminder: reminder_minutes before each session; never once the session has started.

Reads are batched (all therapists, identities, ledger rows and upcoming appointments in a handful of
queries per tick) because the tick runs every half minute for every therapist.
"""
from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import TYPE_CHECKING, Awaitable, Callable, Iterable, Mapping
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlmodel import select

from core.replies import reminder_text
from core.preferences import day_numbers
from core.types import Outgoing, Reply
from storage.schedule import expand_occurrences
from storage.models import Appointment, Identity, SentNotification, Therapist

if TYPE_CHECKING:
    from core.ports import Notifier
    from core.service import Assistant

log = logging.getLogger(__name__)

DIGEST = "digest"
REMINDER = "reminder"
CATCH_UP_UNTIL = time(12, 0)  # a missed morning digest is still worth sending until noon local time
LATE_DIGEST_GRACE = timedelta(hours=1)  # for a digest time at or after noon
ATTEMPTS = 3  # per message, each trying every linked account
BACKOFF_S = 2.0  # then 8 s: bounded, so one blocked chat delays a tick by at most ~10 s
CONCURRENCY = 16  # sends in flight at once: a slow therapist never holds up the others

Sleep = Callable[[float], Awaitable[None]]
SETTINGS_COLUMNS = (
    Therapist.id, Therapist.timezone, Therapist.digest_time, Therapist.digest_days, Therapist.digest_enabled,
    Therapist.digest_when_empty, Therapist.reminder_minutes, Therapist.channel,
)


@dataclass(frozen=True)
class Delivery:
    """What happened to one claimed message (ids and statuses only: safe to log)."""

    therapist_id: int
    kind: str
    key: str
    status: str  # sent | failed
    attempts: int
    platform: str | None = None


@lru_cache(maxsize=1024)
def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def _hhmm(value: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError:
        return time(7, 30)


def digest_window(therapist: "Therapist", now: datetime) -> tuple[date, datetime, datetime] | None:
    """(local day, due at, deadline) when today's digest may be sent at `now`; None otherwise."""
    if not therapist.digest_enabled:
        return None
    tz = zone(therapist.timezone)
    local = now.astimezone(tz)
    day = local.date()
    if day.weekday() not in day_numbers(therapist.digest_days or "mon-fri"):
        return None
    at = _hhmm(therapist.digest_time)
    # Wall-clock arithmetic in the therapist's zone: the same 07:30 in winter and in summer.
    due = datetime.combine(day, at, tz)
    deadline = datetime.combine(day, CATCH_UP_UNTIL, tz) if at < CATCH_UP_UNTIL else due + LATE_DIGEST_GRACE
    if due <= local < deadline:
        return day, due, deadline
    return None


def reminder_due(starts_at: datetime, minutes: int | None, now: datetime) -> bool:
    """A reminder belongs to [start - minutes, start): after the session started it is pointless."""
    return minutes is not None and minutes > 0 and starts_at - timedelta(minutes=minutes) <= now < starts_at


# ---- batched reads (one query each per tick, whatever the number of therapists) ---------------------
def _reachable(service: "Assistant") -> set[int]:
    """Therapists with at least one chat account a message can go to (the console cannot receive)."""
    with service.store.session() as s:
        return set(s.exec(select(Identity.therapist_id).where(Identity.platform != "console").distinct()))


def therapist_settings(service: "Assistant") -> list:
    """Every therapist's scheduling settings as plain rows (attribute access like Therapist)."""
    with service.store.session() as s:
        return list(s.exec(select(*SETTINGS_COLUMNS).order_by(Therapist.id)))


def _claimed(service: "Assistant", kind: str, keys: Iterable[str]) -> set[tuple[int, str]]:
    keys = sorted(set(keys))
    if not keys:
        return set()
    with service.store.session() as s:
        rows = s.exec(
            select(SentNotification.therapist_id, SentNotification.key).where(
                SentNotification.kind == kind, SentNotification.key.in_(keys)
            )
        )
        return {(t, k) for t, k in rows}


def claim_many(service: "Assistant", kind: str, pairs: list[tuple[int, str]]) -> set[tuple[int, str]]:
    """Claim many (therapist, key) at once; returns those this caller won. Same unique ledger as
    Store.claim_notification, in one INSERT .. ON CONFLICT DO NOTHING RETURNING per 500 rows, because
    at 07:30 a whole time zone's digests are claimed in the same tick."""
    engine = service.store.engine
    if engine.dialect.name == "postgresql":
        from sqlalchemy.dialects.postgresql import insert
    elif engine.dialect.name == "sqlite":
        from sqlalchemy.dialects.sqlite import insert
    else:  # any other database: the store's one-by-one claim
        return {(t, k) for t, k in pairs if service.store.claim_notification(t, kind, k)}
    won: set[tuple[int, str]] = set()
    created = datetime.now(timezone.utc)
    for i in range(0, len(pairs), 500):
        rows = [
            {"therapist_id": t, "kind": kind, "key": k, "status": "claimed", "attempts": 0, "created_at": created}
            for t, k in pairs[i:i + 500]
        ]
        statement = (
            insert(SentNotification)
            .values(rows)
            .on_conflict_do_nothing(index_elements=["kind", "therapist_id", "key"])
            .returning(SentNotification.therapist_id, SentNotification.key)
        )
        with engine.begin() as connection:
            won.update((t, k) for t, k in connection.execute(statement))
    return won


def _upcoming(service: "Assistant", therapist_ids: set[int], start: datetime, end: datetime) -> list:
    """Appointments that may have an occurrence in [start, end): every weekly series is a candidate, so
    this reads plain columns, not ORM objects (it runs every tick over every therapist's series)."""
    from core.schedule.digest_batch import APPOINTMENT_COLUMNS

    if not therapist_ids:
        return []
    with service.store.session() as s:
        return list(
            s.exec(
                select(*APPOINTMENT_COLUMNS).where(
                    Appointment.cancelled.is_(False),
                    Appointment.starts_at < end,
                    Appointment.weekly.is_(True) | (Appointment.starts_at >= start),
                )
            )
        )



# ---- deciding and claiming ---------------------------------------------------------------------------
async def due_notifications(service: "Assistant", now: datetime, *, therapist_ids: Iterable[int] | None = None) -> list[Outgoing]:
    """Everything due at `now`, already claimed by this caller (claims lost to another process are dropped)."""
    wanted = set(therapist_ids) if therapist_ids is not None else None
    reachable = _reachable(service)
    therapists = [t for t in therapist_settings(service) if t.id in reachable and (wanted is None or t.id in wanted)]
    out = await _due_digests(service, therapists, now)
    out += _due_reminders(service, therapists, now)
    return out


async def _due_digests(service: "Assistant", therapists: list["Therapist"], now: datetime) -> list[Outgoing]:
    from core.schedule.digest_batch import compose_digests

    windows = {t.id: (t, w[0]) for t in therapists if (w := digest_window(t, now)) is not None}
    done = _claimed(service, DIGEST, (day.isoformat() for _, day in windows.values()))
    won = claim_many(service, DIGEST, [(tid, day.isoformat()) for tid, (_, day) in windows.items() if (tid, day.isoformat()) not in done])
    days = {tid: windows[tid][1] for tid, _ in won}
    try:
        digests = compose_digests(service, days.items())
    except Exception as error:  # e.g. one undecryptable row: fall back to one therapist at a time
        log.error("batched digest composition failed (%s); composing one by one", type(error).__name__)
        digests = {}
    out = []
    for therapist_id, day in sorted(days.items()):
        therapist, key = windows[therapist_id][0], day.isoformat()
        digest = digests.get(therapist_id)
        if digest is None:
            try:
                digest = await service.digest(therapist_id, day)
            except Exception as error:  # one therapist's bad data never stops the others
                log.error("digest for therapist %s on %s could not be composed: %s", therapist_id, key, type(error).__name__)
                service.store.mark_notification(therapist_id, DIGEST, key, "failed", attempts=0)
                continue
        if digest.empty and not therapist.digest_when_empty:
            # Claimed all the same, so the remaining ticks of the morning do not compose it again.
            service.store.mark_notification(therapist_id, DIGEST, key, "empty", attempts=0)
            continue
        out.append(Outgoing(therapist_id, DIGEST, key, service.digest_reply(digest), therapist.channel))
    return out


def _due_reminders(service: "Assistant", therapists: list["Therapist"], now: datetime) -> list[Outgoing]:
    by_id = {t.id: t for t in therapists if t.reminder_minutes}
    if not by_id:
        return []
    # One minute past the longest lead time: the occurrence query's end is exclusive.
    horizon = now + timedelta(minutes=max(t.reminder_minutes for t in by_id.values()) + 1)
    candidates = []
    for row in _upcoming(service, set(by_id), now, horizon):
        therapist = by_id.get(row.therapist_id)
        if therapist is None:
            continue
        for occurrence in expand_occurrences(row, now, horizon, zone(therapist.timezone)):
            if reminder_due(occurrence.starts_at, therapist.reminder_minutes, now):
                candidates.append((therapist, occurrence))
    done = _claimed(service, REMINDER, (o.key for _, o in candidates))
    out = []
    for therapist, occurrence in sorted(candidates, key=lambda c: (c[1].starts_at, c[0].id)):
        if (therapist.id, occurrence.key) in done or not service.store.claim_notification(therapist.id, REMINDER, occurrence.key):
            continue
        try:
            item = service.reminder_item(therapist.id, occurrence.appointment_id, occurrence.client_id, occurrence.starts_at)
        except Exception as error:
            log.error("reminder for therapist %s could not be composed: %s", therapist.id, type(error).__name__)
            service.store.mark_notification(therapist.id, REMINDER, occurrence.key, "failed", attempts=0)
            continue
        # Say how long is actually left: after a restart that may be less than the configured minutes.
        minutes = max(1, round((occurrence.starts_at - now).total_seconds() / 60))
        out.append(Outgoing(therapist.id, REMINDER, occurrence.key, Reply(reminder_text(item, minutes)), therapist.channel))
    return out


# ---- delivering --------------------------------------------------------------------------------------
async def deliver(
    service: "Assistant",
    notifiers: Mapping[str, "Notifier"],
    outgoing: Outgoing,
    *,
    sleep: Sleep = asyncio.sleep,
    attempts: int = ATTEMPTS,
    backoff_s: float = BACKOFF_S,
) -> Delivery:
    """Send one claimed message: preferred account first, then any other linked one; retry the round with
    backoff; record the outcome in the ledger. Never raises."""
    therapist_id, kind, key = outgoing.therapist_id, outgoing.kind, outgoing.key
    try:
        accounts = [a for a in service.linked_accounts(therapist_id) if a[0] in notifiers]
    except Exception as error:
        log.error("%s for therapist %s: accounts unavailable: %s", kind, therapist_id, type(error).__name__)
        accounts = []
    if outgoing.channel:
        accounts.sort(key=lambda a: a[0] != outgoing.channel)
    if not accounts:
        log.warning("%s for therapist %s not sent: no linked chat with a running bot", kind, therapist_id)
        service.store.mark_notification(therapist_id, kind, key, "failed", attempts=0)
        return Delivery(therapist_id, kind, key, "failed", 0)
    for attempt in range(1, attempts + 1):
        for platform, workspace_id, user_id in accounts:
            try:
                await notifiers[platform].send(user_id, workspace_id, outgoing.reply)
            except Exception as error:  # network, blocked bot, rate limit: try the next account
                # The class name only: platform error texts can echo what we tried to send.
                log.warning(
                    "%s for therapist %s via %s failed (attempt %d/%d): %s",
                    kind, therapist_id, platform, attempt, attempts, type(error).__name__,
                )
                continue
            service.store.mark_notification(therapist_id, kind, key, "sent", attempts=attempt)
            log.info("%s sent to therapist %s via %s", kind, therapist_id, platform)
            return Delivery(therapist_id, kind, key, "sent", attempt, platform)
        if attempt < attempts:
            await sleep(backoff_s * 4 ** (attempt - 1))
    service.store.mark_notification(therapist_id, kind, key, "failed", attempts=attempts)
    log.error("%s for therapist %s failed after %d attempts", kind, therapist_id, attempts)
    return Delivery(therapist_id, kind, key, "failed", attempts)


async def deliver_all(
    service: "Assistant",
    notifiers: Mapping[str, "Notifier"],
    outgoing: Iterable[Outgoing],
    *,
    sleep: Sleep = asyncio.sleep,
    attempts: int = ATTEMPTS,
    backoff_s: float = BACKOFF_S,
    concurrency: int = CONCURRENCY,
) -> list[Delivery]:
    gate = asyncio.Semaphore(concurrency)

    async def one(item: Outgoing) -> Delivery:
        async with gate:
            return await deliver(service, notifiers, item, sleep=sleep, attempts=attempts, backoff_s=backoff_s)

    return list(await asyncio.gather(*(one(item) for item in outgoing)))


async def send_due(
    service: "Assistant",
    notifiers: Mapping[str, "Notifier"],
    now: datetime | None = None,
    *,
    therapist_ids: Iterable[int] | None = None,
    sleep: Sleep = asyncio.sleep,
    attempts: int = ATTEMPTS,
    backoff_s: float = BACKOFF_S,
    concurrency: int = CONCURRENCY,
) -> list[Delivery]:
    """Claim what is due at `now` (default: the service clock) and deliver it."""
    now = (now or service.clock.now()).astimezone(timezone.utc)
    outgoing = await due_notifications(service, now, therapist_ids=therapist_ids)
    return await deliver_all(
        service, notifiers, outgoing, sleep=sleep, attempts=attempts, backoff_s=backoff_s, concurrency=concurrency
    )
