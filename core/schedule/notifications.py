"""What the scheduler sends and when: the morning prep digest and pre-session reminders.

`due_notifications(ctx, now)` decides what is due at `now` for every therapist and *claims* each item
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
from typing import TYPE_CHECKING, Awaitable, Callable, Iterable, Mapping

from core.context import Context, zone
from core.preferences import day_numbers
from core.replies import reminder_text
from core.schedule.digests import compose_digests, digest_for, digest_reply, reminder_item
from core.types import Outgoing, Reply
from core.records import Account, TherapistRecord

if TYPE_CHECKING:
    from core.ports import Notifier

log = logging.getLogger(__name__)

DIGEST = "digest"
REMINDER = "reminder"
CATCH_UP_UNTIL = time(12, 0)  # a missed morning digest is still worth sending until noon local time
LATE_DIGEST_GRACE = timedelta(hours=1)  # for a digest time at or after noon
ATTEMPTS = 3  # per message, each trying every linked account
BACKOFF_S = 2.0  # then 8 s: bounded, so one blocked chat delays a tick by at most ~10 s
CONCURRENCY = 16  # sends in flight at once: a slow therapist never holds up the others

Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True)
class Delivery:
    """What happened to one claimed message (ids and statuses only: safe to log)."""

    therapist_id: int
    kind: str
    key: str
    status: str  # sent | failed
    attempts: int
    platform: str | None = None


def _hhmm(value: str) -> time:
    try:
        return time.fromisoformat(value)
    except ValueError:
        return time(7, 30)


def digest_window(therapist: TherapistRecord, now: datetime) -> tuple[date, datetime, datetime] | None:
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


# ---- deciding and claiming ---------------------------------------------------------------------------
def therapist_settings(ctx: Context) -> list[TherapistRecord]:
    with ctx.uow() as uow:
        return uow.therapists.all()


async def due_notifications(ctx: Context, now: datetime, *, therapist_ids: Iterable[int] | None = None) -> list[Outgoing]:
    """Everything due at `now`, already claimed by this caller (claims lost to another process are dropped)."""
    wanted = set(therapist_ids) if therapist_ids is not None else None
    with ctx.uow() as uow:
        reachable = uow.therapists.reachable()
        therapists = [t for t in uow.therapists.all() if t.id in reachable and (wanted is None or t.id in wanted)]
    out = await _due_digests(ctx, therapists, now)
    out += _due_reminders(ctx, therapists, now)
    return out


def _mark(ctx: Context, therapist_id: int, kind: str, key: str, status: str, attempts: int) -> None:
    with ctx.uow() as uow:
        uow.ledger.mark_notification(therapist_id, kind, key, status, attempts=attempts)
        uow.commit()


async def _due_digests(ctx: Context, therapists: list[TherapistRecord], now: datetime) -> list[Outgoing]:
    windows = {t.id: (t, w[0]) for t in therapists if (w := digest_window(t, now)) is not None}
    with ctx.uow() as uow:
        done = uow.ledger.claimed(DIGEST, (day.isoformat() for _, day in windows.values()))
        won = uow.ledger.claim_notifications(
            DIGEST, [(tid, day.isoformat()) for tid, (_, day) in windows.items() if (tid, day.isoformat()) not in done]
        )
        uow.commit()
    days = {tid: windows[tid][1] for tid, _ in won}
    try:
        digests = compose_digests(ctx, days.items())
    except Exception as error:  # e.g. one undecryptable row: fall back to one therapist at a time
        log.error("batched digest composition failed (%s); composing one by one", type(error).__name__)
        digests = {}
    out = []
    for therapist_id, day in sorted(days.items()):
        therapist, key = windows[therapist_id][0], day.isoformat()
        digest = digests.get(therapist_id)
        if digest is None:
            try:
                digest = digest_for(ctx, therapist_id, day)
            except Exception as error:  # one therapist's bad data never stops the others
                log.error("digest for therapist %s on %s could not be composed: %s", therapist_id, key, type(error).__name__)
                _mark(ctx, therapist_id, DIGEST, key, "failed", 0)
                continue
        if digest.empty and not therapist.digest_when_empty:
            # Claimed all the same, so the remaining ticks of the morning do not compose it again.
            _mark(ctx, therapist_id, DIGEST, key, "empty", 0)
            continue
        out.append(Outgoing(therapist_id, DIGEST, key, digest_reply(digest), therapist.channel))
    return out


def _due_reminders(ctx: Context, therapists: list[TherapistRecord], now: datetime) -> list[Outgoing]:
    by_id = {t.id: t for t in therapists if t.reminder_minutes}
    if not by_id:
        return []
    # One minute past the longest lead time: the occurrence query's end is exclusive.
    horizon = now + timedelta(minutes=max(t.reminder_minutes for t in by_id.values()) + 1)
    with ctx.uow() as uow:
        upcoming = uow.appointments.occurrences_for({t.id: zone(t.timezone) for t in by_id.values()}, now, horizon)
    candidates = [(by_id[o.therapist_id], o) for o in upcoming if reminder_due(o.starts_at, by_id[o.therapist_id].reminder_minutes, now)]
    with ctx.uow() as uow:
        done = uow.ledger.claimed(REMINDER, (o.key for _, o in candidates))
        won = uow.ledger.claim_notifications(REMINDER, [(t.id, o.key) for t, o in candidates if (t.id, o.key) not in done])
        uow.commit()
    out = []
    for therapist, occurrence in sorted(candidates, key=lambda c: (c[1].starts_at, c[0].id)):
        if (therapist.id, occurrence.key) not in won:
            continue
        try:
            item = reminder_item(ctx, therapist.id, occurrence)
        except Exception as error:
            log.error("reminder for therapist %s could not be composed: %s", therapist.id, type(error).__name__)
            _mark(ctx, therapist.id, REMINDER, occurrence.key, "failed", 0)
            continue
        # Say how long is actually left: after a restart that may be less than the configured minutes.
        minutes = max(1, round((occurrence.starts_at - now).total_seconds() / 60))
        out.append(Outgoing(therapist.id, REMINDER, occurrence.key, Reply(reminder_text(item, minutes)), therapist.channel))
    return out


# ---- delivering --------------------------------------------------------------------------------------
def linked_accounts(ctx: Context, therapist_id: int) -> list[Account]:
    """The chat accounts a message can reach the therapist at, the preferred channel first."""
    with ctx.uow() as uow:
        preferred = uow.therapists.get(therapist_id).channel
        accounts = [a for a in uow.therapists.accounts(therapist_id) if a.platform != "console"]
    return sorted(accounts, key=lambda a: a.platform != preferred)


async def deliver(
    ctx: Context,
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
        accounts = [(a.platform, a.workspace_id, a.user_key) for a in linked_accounts(ctx, therapist_id) if a.platform in notifiers]
    except Exception as error:
        log.error("%s for therapist %s: accounts unavailable: %s", kind, therapist_id, type(error).__name__)
        accounts = []
    if outgoing.channel:
        accounts.sort(key=lambda a: a[0] != outgoing.channel)
    if not accounts:
        log.warning("%s for therapist %s not sent: no linked chat with a running bot", kind, therapist_id)
        _mark(ctx, therapist_id, kind, key, "failed", 0)
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
            _mark(ctx, therapist_id, kind, key, "sent", attempt)
            log.info("%s sent to therapist %s via %s", kind, therapist_id, platform)
            return Delivery(therapist_id, kind, key, "sent", attempt, platform)
        if attempt < attempts:
            await sleep(backoff_s * 4 ** (attempt - 1))
    _mark(ctx, therapist_id, kind, key, "failed", attempts)
    log.error("%s for therapist %s failed after %d attempts", kind, therapist_id, attempts)
    return Delivery(therapist_id, kind, key, "failed", attempts)


async def deliver_all(
    ctx: Context,
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
            return await deliver(ctx, notifiers, item, sleep=sleep, attempts=attempts, backoff_s=backoff_s)

    return list(await asyncio.gather(*(one(item) for item in outgoing)))


async def send_due(
    ctx: Context,
    notifiers: Mapping[str, "Notifier"],
    now: datetime | None = None,
    *,
    therapist_ids: Iterable[int] | None = None,
    sleep: Sleep = asyncio.sleep,
    attempts: int = ATTEMPTS,
    backoff_s: float = BACKOFF_S,
    concurrency: int = CONCURRENCY,
) -> list[Delivery]:
    """Claim what is due at `now` (default: the context's clock) and deliver it."""
    now = (now or ctx.clock.now()).astimezone(timezone.utc)
    outgoing = await due_notifications(ctx, now, therapist_ids=therapist_ids)
    return await deliver_all(
        ctx, notifiers, outgoing, sleep=sleep, attempts=attempts, backoff_s=backoff_s, concurrency=concurrency
    )
