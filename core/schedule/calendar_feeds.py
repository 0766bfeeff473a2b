"""Subscribed ICS feeds: fetched with httpx (timeout, size cap), re-synced by UID on a schedule, and a
feed that fails to load reported to the therapist once — not on every refresh — until it works again.

The URL is a secret (calendar links carry access tokens): it is stored encrypted and never appears in a
log line, an exception message or a reply.
"""
from __future__ import annotations

import logging
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Awaitable, Callable

import httpx
from sqlalchemy import delete, update
from sqlmodel import select

from core.schedule.calendar_import import CalendarError, ImportResult, import_ics
from core.types import Outgoing, Reply
from storage.models import CalendarFeed

if TYPE_CHECKING:
    from core.service import Assistant

log = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT_S = 20.0
REFRESH_EVERY = timedelta(minutes=15)
FEED_ERROR = "calendar"  # ledger kind of the one-off "your feed fails" message

Fetch = Callable[[str], Awaitable[bytes]]


def normalise_url(url: str) -> str:
    url = url.strip().strip("<>")
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://"):]
    if not url.lower().startswith(("http://", "https://")):
        raise CalendarError("a calendar feed address starts with https:// (or webcal://)")
    return url


async def fetch_ics(url: str, *, timeout: float = TIMEOUT_S, max_bytes: int = MAX_BYTES) -> bytes:
    """GET the feed, streaming so an endless or huge answer is cut off at `max_bytes`."""
    url = normalise_url(url)
    try:
        async with httpx.AsyncClient(timeout=timeout, follow_redirects=True, max_redirects=5) as client:
            async with client.stream("GET", url, headers={"Accept": "text/calendar, */*"}) as response:
                if response.status_code >= 400:
                    raise CalendarError(f"the calendar server answered {response.status_code}")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > max_bytes:
                    raise CalendarError(f"it is larger than {max_bytes // 1_048_576} MB")
                body = bytearray()
                async for chunk in response.aiter_bytes():
                    body += chunk
                    if len(body) > max_bytes:
                        raise CalendarError(f"it is larger than {max_bytes // 1_048_576} MB")
                return bytes(body)
    except httpx.TimeoutException:
        raise CalendarError("the calendar server took too long to answer") from None
    except httpx.HTTPError:
        # httpx messages include the URL, so only our own words go on.
        raise CalendarError("the calendar server could not be reached") from None


# ---- the therapist's feeds -----------------------------------------------------------------------------
def feeds(service: "Assistant", therapist_id: int) -> list[CalendarFeed]:
    return service.store.calendar_feeds(therapist_id)


def add_feed(service: "Assistant", therapist_id: int, url: str) -> int:
    """Subscribe to a feed (once per address); returns the feed id."""
    url = normalise_url(url)
    cipher = service.store.cipher
    for feed in feeds(service, therapist_id):
        if cipher.decrypt(feed.url_enc) == url:
            return feed.id
    with service.store.session() as s:
        row = CalendarFeed(therapist_id=therapist_id, url_enc=cipher.encrypt(url))
        s.add(row)
        s.commit()
    service.store.audit(therapist_id, "system", "write", "calendar_feed", row.id)
    return row.id


def remove_feeds(service: "Assistant", therapist_id: int) -> int:
    """Unsubscribe from every feed; the sessions already imported stay."""
    with service.store.session() as s:
        result = s.exec(delete(CalendarFeed).where(CalendarFeed.therapist_id == therapist_id))
        s.commit()
    return result.rowcount


def _all_feeds(service: "Assistant") -> list[CalendarFeed]:
    with service.store.session() as s:
        return list(s.exec(select(CalendarFeed).order_by(CalendarFeed.id)))


def _take_turn(service: "Assistant", feed: CalendarFeed, now: datetime, force: bool) -> bool:
    """Compare-and-set on last_loaded_at (the last attempt): of two schedulers, one refreshes a feed."""
    due = CalendarFeed.last_loaded_at.is_(None) | (CalendarFeed.last_loaded_at <= now - REFRESH_EVERY / 2)
    condition = [CalendarFeed.id == feed.id] + ([] if force else [due])
    with service.store.session() as s:
        result = s.exec(update(CalendarFeed).where(*condition).values(last_loaded_at=now))
        s.commit()
    return result.rowcount == 1


def _report_once(service: "Assistant", feed: CalendarFeed, reason: str, now: datetime) -> Outgoing | None:
    with service.store.session() as s:
        result = s.exec(
            update(CalendarFeed)
            .where(CalendarFeed.id == feed.id, CalendarFeed.error_reported.is_(False))
            .values(error_reported=True, last_error=reason)
        )
        s.commit()
    if result.rowcount != 1:
        # Already reported: stay quiet until it works again, keeping only the latest reason.
        with service.store.session() as s:
            s.exec(update(CalendarFeed).where(CalendarFeed.id == feed.id).values(last_error=reason))
            s.commit()
        return None
    key = f"feed{feed.id}@{now:%Y%m%dT%H%M%S}"
    if not service.store.claim_notification(feed.therapist_id, FEED_ERROR, key):
        return None
    text = (
        f"I couldn't load your calendar feed: {reason}. Sessions already imported stay as they are; I'll keep "
        "trying and won't mention it again until it works. To stop syncing: /calendar off"
    )
    therapist = service.store.therapist(feed.therapist_id)
    return Outgoing(feed.therapist_id, FEED_ERROR, key, Reply(text), therapist.channel)


async def refresh_feed(
    service: "Assistant", feed: CalendarFeed, now: datetime, *, fetch: Fetch = fetch_ics, force: bool = False
) -> tuple[ImportResult | None, Outgoing | None]:
    """Re-sync one feed: (result, None) on success; (None, a message to send once) on failure."""
    if not _take_turn(service, feed, now, force):
        return None, None
    url = service.store.cipher.decrypt(feed.url_enc)
    try:
        data = await fetch(url)
        result = import_ics(service, feed.therapist_id, data, scope=f"feed{feed.id}", authoritative=True)
    except CalendarError as error:
        log.warning("calendar feed %s of therapist %s failed: %s", feed.id, feed.therapist_id, error)
        return None, _report_once(service, feed, str(error), now)
    with service.store.session() as s:
        s.exec(update(CalendarFeed).where(CalendarFeed.id == feed.id).values(last_error=None, error_reported=False))
        s.commit()
    log.info(
        "calendar feed %s of therapist %s: %d new, %d updated, %d cancelled, %d unmatched",
        feed.id, feed.therapist_id, result.added, result.updated, result.cancelled, result.unmatched,
    )
    return result, None


async def refresh_feeds(service: "Assistant", now: datetime, *, fetch: Fetch = fetch_ics) -> list[Outgoing]:
    """Refresh every feed that is due; returns the failure reports to deliver (each feed's at most once)."""
    reports = []
    for feed in _all_feeds(service):
        try:
            _, report = await refresh_feed(service, feed, now, fetch=fetch)
        except Exception as error:  # a bug on one feed must not stop the others
            log.error("calendar feed %s failed unexpectedly: %s", feed.id, type(error).__name__)
            continue
        if report is not None:
            reports.append(report)
    return reports
