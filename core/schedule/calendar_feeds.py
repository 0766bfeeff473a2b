"""Subscribed ICS feeds: fetched with httpx (timeout, size cap, https and public addresses only, each
redirect re-checked), re-synced by UID on a schedule, and a feed that fails to load reported to the
therapist once — not on every refresh — until it works again.

The URL is a secret (calendar links carry access tokens): it is stored encrypted and never appears in a
log line, an exception message or a reply.
"""
from __future__ import annotations

import asyncio
import contextlib
import ipaddress
import logging
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Awaitable, Callable
from urllib.parse import urljoin, urlsplit, urlunsplit

import httpx

from core.context import Context
from core.schedule.calendar_import import CalendarError, ImportResult, import_ics
from core.types import Outgoing, Reply
from core.records import CalendarFeedRecord

log = logging.getLogger(__name__)

MAX_BYTES = 5 * 1024 * 1024
TIMEOUT_S = 20.0
MAX_REDIRECTS = 5
REFRESH_EVERY = timedelta(minutes=15)
FEED_ERROR = "calendar"  # ledger kind of the one-off "your feed fails" message
# One message for every way a fetch fails (refused, 404, timeout, an address not allowed): the replies must
# not tell a closed port from a missing page, or /calendar becomes a probe of the server's network.
UNREACHABLE = "the calendar server could not be reached, or did not give me a calendar"

Fetch = Callable[[str], Awaitable[bytes]]


@dataclass(frozen=True)
class FeedPolicy:
    """Where feeds may be fetched from: https only, and only addresses that are public after DNS resolution
    (no loopback, private, link-local, shared or reserved ranges), unless the operator allows more."""

    allow_http: bool = False
    allowed: tuple[str, ...] = ()  # host names, IP addresses or networks (CIDR) allowed although not public

    @classmethod
    def of(cls, settings) -> "FeedPolicy":
        hosts = tuple(h.strip().lower() for h in (settings.calendar_allow_hosts or "").split(",") if h.strip())
        return cls(settings.calendar_allow_http, hosts)

    def schemes(self) -> tuple[str, ...]:
        return ("https", "http") if self.allow_http else ("https",)

    def address_ok(self, host: str, address: str) -> bool:
        ip = ipaddress.ip_address(address.split("%")[0])
        ip = getattr(ip, "ipv4_mapped", None) or ip
        if ip.is_global and not ip.is_multicast:
            return True
        for entry in self.allowed:
            if entry == host.lower():
                return True
            with contextlib.suppress(ValueError):
                if ip in ipaddress.ip_network(entry, strict=False):
                    return True
        return False


def normalise_url(url: str, policy: FeedPolicy = FeedPolicy()) -> str:
    url = url.strip().strip("<>")
    if url.lower().startswith("webcal://"):
        url = "https://" + url[len("webcal://"):]
    if urlsplit(url).scheme.lower() not in policy.schemes() or not urlsplit(url).hostname:
        raise CalendarError("a calendar feed address starts with https:// (or webcal://)")
    return url


async def fetch_ics(url: str, *, timeout: float = TIMEOUT_S, max_bytes: int = MAX_BYTES,
                    policy: FeedPolicy = FeedPolicy()) -> bytes:
    """GET the feed, streaming so an endless or huge answer is cut off at `max_bytes`. Each hop (redirects
    are followed by hand) is checked against `policy` after DNS resolution, and the connection goes to the
    very address that was checked, so a second DNS answer can't point it elsewhere."""
    url = normalise_url(url, policy)
    try:
        async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as client:
            for _ in range(MAX_REDIRECTS + 1):
                target, headers, extensions = await _pinned(url, policy)
                async with client.stream("GET", target, headers=headers, extensions=extensions) as response:
                    if response.is_redirect and response.headers.get("location"):
                        url = urljoin(url, response.headers["location"])
                        if urlsplit(url).scheme not in policy.schemes():  # e.g. https -> http
                            raise CalendarError(UNREACHABLE)
                        continue
                    if response.status_code >= 300:
                        raise CalendarError(UNREACHABLE)
                    return await _body(response, max_bytes)
    except (httpx.HTTPError, OSError, ValueError):  # httpx messages include the URL: only our own words go on
        raise CalendarError(UNREACHABLE) from None
    raise CalendarError(UNREACHABLE)  # too many redirects


async def _pinned(url: str, policy: FeedPolicy) -> tuple[str, dict, dict]:
    """(the URL with the host replaced by its checked address, the Host header, TLS's server name)."""
    parts = urlsplit(url)
    host, port = parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)
    infos = await asyncio.get_running_loop().getaddrinfo(host, port, type=socket.SOCK_STREAM)
    addresses = list(dict.fromkeys(info[4][0] for info in infos))
    if not addresses or not all(policy.address_ok(host, a) for a in addresses):
        raise CalendarError(UNREACHABLE)
    shown = f"[{addresses[0]}]" if ":" in addresses[0] else addresses[0]
    target = urlunsplit((parts.scheme, f"{shown}:{port}", parts.path or "/", parts.query, ""))
    headers = {"Accept": "text/calendar, */*", "Host": host if parts.port is None else f"{host}:{port}"}
    return target, headers, ({"sni_hostname": host} if parts.scheme == "https" else {})


async def _body(response: httpx.Response, max_bytes: int) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise CalendarError(f"it is larger than {max_bytes // 1_048_576} MB")
    body = bytearray()
    async for chunk in response.aiter_bytes():
        body += chunk
        if len(body) > max_bytes:
            raise CalendarError(f"it is larger than {max_bytes // 1_048_576} MB")
    return bytes(body)


def settings_fetch(ctx: Context) -> Fetch:
    """fetch_ics with the operator's policy and size limit."""
    policy, limit = FeedPolicy.of(ctx.settings), int(ctx.settings.calendar_max_mb * 1_048_576)
    return lambda url: fetch_ics(url, policy=policy, max_bytes=limit)


# ---- the therapist's feeds -----------------------------------------------------------------------------
def feeds(ctx: Context, therapist_id: int) -> list[CalendarFeedRecord]:
    with ctx.uow() as uow:
        return uow.appointments.feeds(therapist_id)


def add_feed(ctx: Context, therapist_id: int, url: str) -> int:
    """Subscribe to a feed (once per address); returns the feed id."""
    url = normalise_url(url, FeedPolicy.of(ctx.settings))
    with ctx.uow() as uow:
        for feed in uow.appointments.feeds(therapist_id):
            if feed.url == url:
                return feed.id
        feed_id = uow.appointments.add_feed(therapist_id, url)
        uow.audit.record(therapist_id, "system", "write", "calendar_feed", feed_id)
        uow.commit()
    return feed_id


def remove_feeds(ctx: Context, therapist_id: int) -> int:
    """Unsubscribe from every feed; the sessions already imported stay."""
    with ctx.uow() as uow:
        count = uow.appointments.remove_feeds(therapist_id)
        uow.commit()
    return count


def _take_turn(ctx: Context, feed: CalendarFeedRecord, now: datetime, force: bool) -> bool:
    """Compare-and-set on last_loaded_at (the last attempt): of two schedulers, one refreshes a feed."""
    with ctx.uow() as uow:
        won = uow.appointments.update_feed(feed.id, only_if_loaded_before=None if force else now - REFRESH_EVERY / 2,
                                           last_loaded_at=now)
        uow.commit()
    return won


def _report_once(ctx: Context, feed: CalendarFeedRecord, reason: str, now: datetime) -> Outgoing | None:
    with ctx.uow() as uow:
        first = uow.appointments.update_feed(feed.id, only_if_unreported=True, error_reported=True, last_error=reason)
        if not first:  # already reported: stay quiet until it works again, keeping only the latest reason
            uow.appointments.update_feed(feed.id, last_error=reason)
            uow.commit()
            return None
        key = f"feed{feed.id}@{now:%Y%m%dT%H%M%S}"
        claimed = uow.ledger.claim_notification(feed.therapist_id, FEED_ERROR, key)
        channel = uow.therapists.get(feed.therapist_id).channel
        uow.commit()
    if not claimed:
        return None
    text = (
        f"I couldn't load your calendar feed: {reason}. Sessions already imported stay as they are; I'll keep "
        "trying and won't mention it again until it works. To stop syncing: /calendar off"
    )
    return Outgoing(feed.therapist_id, FEED_ERROR, key, Reply(text), channel)


async def refresh_feed(
    ctx: Context, feed: CalendarFeedRecord, now: datetime, *, fetch: Fetch | None = None, force: bool = False
) -> tuple[ImportResult | None, Outgoing | None]:
    """Re-sync one feed: (result, None) on success; (None, a message to send once) on failure."""
    if not _take_turn(ctx, feed, now, force):
        return None, None
    try:
        data = await (fetch or settings_fetch(ctx))(feed.url)
        result = await asyncio.to_thread(import_ics, ctx, feed.therapist_id, data, scope=f"feed{feed.id}", authoritative=True)
    except CalendarError as error:
        log.warning("calendar feed %s of therapist %s failed: %s", feed.id, feed.therapist_id, error)
        return None, _report_once(ctx, feed, str(error), now)
    with ctx.uow() as uow:
        uow.appointments.update_feed(feed.id, last_error=None, error_reported=False)
        uow.commit()
    log.info(
        "calendar feed %s of therapist %s: %d new, %d updated, %d cancelled, %d unmatched",
        feed.id, feed.therapist_id, result.added, result.updated, result.cancelled, result.unmatched,
    )
    return result, None


async def refresh_feeds(ctx: Context, now: datetime, *, fetch: Fetch | None = None) -> list[Outgoing]:
    """Refresh every feed that is due; returns the failure reports to deliver (each feed's at most once)."""
    reports = []
    with ctx.uow() as uow:
        every = uow.appointments.feeds()
    for feed in every:
        try:
            _, report = await refresh_feed(ctx, feed, now, fetch=fetch)
        except Exception as error:  # a bug on one feed must not stop the others
            log.error("calendar feed %s failed unexpectedly: %s", feed.id, type(error).__name__)
            continue
        if report is not None:
            reports.append(report)
    return reports
