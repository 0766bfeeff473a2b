"""Calendar feeds fetch only where they belong: https, public addresses after DNS resolution (the very
address checked is the one connected to), every redirect checked again, and one message for every
failure, so /calendar can't probe the server's network. The operator's allow-list opens a LAN feed."""
from __future__ import annotations

import asyncio
import http.server
import threading

import pytest

from core.config import Settings
from core.schedule.calendar_feeds import UNREACHABLE, FeedPolicy, add_feed, fetch_ics, normalise_url
from core.schedule.calendar_import import CalendarError
from tests.core.helpers_schedule import therapist

ICS = b"BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Invented//Feed//EN\r\nEND:VCALENDAR\r\n"


class Server:
    """127.0.0.1: answers `status` with `headers` (a redirect, say) and counts requests and Host headers."""

    def __init__(self, status=200, headers=None):
        self.status, self.headers, self.hosts = status, headers or {}, []
        outer = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                outer.hosts.append(self.headers.get("Host"))
                self.send_response(outer.status)
                for name, value in outer.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(ICS)))
                self.end_headers()
                self.wfile.write(ICS)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.port = self.server.server_address[1]
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self):
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def servers():
    made = []

    def make(**kw):
        made.append(Server(**kw))
        return made[-1]

    yield make
    for server in made:
        server.close()


@pytest.fixture
def dns(monkeypatch):
    """Invented names resolved to chosen addresses (everything else resolves as usual)."""
    table: dict[str, list[str]] = {}
    real = asyncio.BaseEventLoop.getaddrinfo

    async def getaddrinfo(self, host, port, *args, **kw):
        if host in table:
            return [(2 if ":" not in a else 10, 1, 6, "", (a, port)) for a in table[host]]
        return await real(self, host, port, *args, **kw)

    monkeypatch.setattr(asyncio.BaseEventLoop, "getaddrinfo", getaddrinfo)
    return table


@pytest.mark.parametrize("address", ["127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "169.254.169.254",
                                     "100.64.0.1", "0.0.0.0", "224.0.0.1", "[::1]", "[fe80::1]", "[fc00::1]",
                                     "[::ffff:127.0.0.1]"])
async def test_internal_addresses_are_refused_before_connecting(address):
    with pytest.raises(CalendarError) as caught:
        await fetch_ics(f"https://{address}:8443/cal.ics", timeout=2)
    assert str(caught.value) == UNREACHABLE


async def test_names_resolving_to_an_internal_address_are_refused(dns, servers):
    server = servers()
    dns["calendar.example.test"] = ["127.0.0.1"]
    dns["rebind.example.test"] = ["93.184.216.34", "127.0.0.1"]  # one public answer is not enough
    policy = FeedPolicy(allow_http=True)
    for name in ("calendar.example.test", "rebind.example.test"):
        with pytest.raises(CalendarError, match=UNREACHABLE):
            await fetch_ics(f"http://{name}:{server.port}/cal.ics", policy=policy)
    assert server.hosts == []


async def test_every_redirect_is_checked_again(dns, servers):
    inner = servers()
    outer = servers(status=302, headers={"Location": f"http://127.0.0.1:{inner.port}/admin"})
    dns["feeds.lan.test"] = ["127.0.0.1"]
    allowed = FeedPolicy(allow_http=True, allowed=("feeds.lan.test",))  # the name, not its address
    assert await fetch_ics(f"http://feeds.lan.test:{inner.port}/cal.ics", policy=allowed) == ICS
    assert inner.hosts == [f"feeds.lan.test:{inner.port}"]  # connected to the checked address, named as asked
    with pytest.raises(CalendarError, match=UNREACHABLE):
        await fetch_ics(f"http://feeds.lan.test:{outer.port}/cal.ics", policy=allowed)
    assert len(outer.hosts) == 1 and len(inner.hosts) == 1  # the redirect to 127.0.0.1 was not followed

    elsewhere = servers(status=301, headers={"Location": "file:///etc/passwd"})  # nor another scheme
    with pytest.raises(CalendarError, match=UNREACHABLE):
        await fetch_ics(f"http://feeds.lan.test:{elsewhere.port}/cal.ics", policy=allowed)


async def test_a_missing_page_and_a_closed_port_read_the_same(servers):
    missing = servers(status=404)
    allowed = FeedPolicy(allow_http=True, allowed=("127.0.0.1",))
    messages = set()
    for url in (f"http://127.0.0.1:{missing.port}/cal.ics", "http://127.0.0.1:9/cal.ics",
                f"http://127.0.0.1:{missing.port}/cal.ics".replace("http:", "https:")):
        with pytest.raises(CalendarError) as caught:
            await fetch_ics(url, policy=allowed, timeout=2)
        messages.add(str(caught.value))
    assert messages == {UNREACHABLE}


def test_plain_http_needs_the_operator_setting(make_service):
    assert normalise_url("webcal://calendar.example.test/a.ics") == "https://calendar.example.test/a.ics"
    with pytest.raises(CalendarError, match="starts with https://"):
        normalise_url("http://calendar.example.test/a.ics")
    service = make_service()
    tid = therapist(service, "Dr. Ines Varga", tz="UTC")
    with pytest.raises(CalendarError, match="starts with https://"):
        add_feed(service.ctx, tid, "http://calendar.example.test/a.ics")
    lan = FeedPolicy.of(Settings(calendar_allow_http=True, calendar_allow_hosts="10.0.0.0/8, nas.local"))
    assert lan.allow_http and lan.allowed == ("10.0.0.0/8", "nas.local")
    assert lan.address_ok("anything", "10.9.8.7") and lan.address_ok("nas.local", "192.168.1.5")
    assert not lan.address_ok("other.local", "192.168.1.5")
