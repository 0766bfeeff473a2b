"""A local fake of Slack for the real slack_bolt AsyncApp and slack_sdk AsyncWebClient.

Runs an aiohttp app on 127.0.0.1 (free port) in the test's event loop (everything that talks to it is
async). Like bolt-python's tests/mock_web_api_server, it answers Web API methods on GET and POST
(files.info is a GET with query parameters; most methods are JSON or form POSTs), records every call,
and checks Block Kit limits the way Slack does (invalid_blocks), so a rendering bug fails a test
instead of a therapist's message. It also serves:
  GET  /files/<id>/<name>   url_private_download; needs the bot token, else Slack's HTML sign-in page
  POST /upload/<id>         the upload URL files.getUploadURLExternal hands out
  POST /response/<id>       slash-command response_url
  GET  /socket              the Socket Mode WebSocket apps.connections.open points to: says hello,
                            pushes envelopes a test sends, records the app's acknowledgements
and helpers to sign inbound requests as Slack does (v0 HMAC-SHA256 of "v0:<ts>:<body>").
"""
from __future__ import annotations

import asyncio
import hashlib
import hmac
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import web

BOT_TOKEN = "xoxb-0000-fake-bot-token"
SIGNING_SECRET = "fake-signing-secret-0123456789"
TEAM = "T0ALLIANCE"
BOT_USER = "U0BOT"
BOT_ID = "B0BOT"

LOGIN_PAGE = b"<!DOCTYPE html><html><head><title>Slack</title></head><body>Sign in to Slack</body></html>"


@dataclass
class Call:
    method: str  # Web API method, or "file", "upload", "response"
    http: str
    params: dict[str, Any]
    headers: dict[str, str] = field(default_factory=dict)


@dataclass
class FakeFile:
    id: str
    data: bytes
    name: str
    mimetype: str
    filetype: str
    content_type: str  # what the download answers with
    login_page: bool = False  # answer like Slack without files:read: 200 text/html sign-in page


def dm_for(user: str) -> str:
    return "D" + user.lstrip("UW")


class FakeSlack:
    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.files: dict[str, FakeFile] = {}
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}
        self.reactions: dict[tuple[str, str], set[str]] = {}
        self.uploads: dict[str, bytes] = {}
        self.errors: dict[str, str] = {}  # method -> error to answer with, to script failures
        self._ts = itertools.count(1)
        self._ids = itertools.count(1)
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.socket_acks: list[dict[str, Any]] = []
        self._sockets: list[web.WebSocketResponse] = []

    # ---- lifecycle -----------------------------------------------------------------------------
    async def start(self) -> "FakeSlack":
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/api/{method}", self._api)
        app.router.add_get("/files/{id}/{name}", self._download)
        app.router.add_post("/upload/{id}", self._upload)
        app.router.add_post("/response/{id}", self._response)
        app.router.add_get("/socket", self._socket)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = self._runner.addresses[0][1]
        return self

    async def stop(self) -> None:
        for ws in self._sockets:
            await ws.close()
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def root(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def api_url(self) -> str:
        return f"{self.root}/api/"  # the trailing slash matters to slack_sdk

    # ---- scripting and assertions --------------------------------------------------------------
    def add_file(self, data: bytes, *, name: str = "audio_message.m4a", mimetype: str = "audio/mp4",
                 filetype: str = "m4a", content_type: str | None = None, login_page: bool = False) -> dict[str, Any]:
        """Store a file; returns its full file object as events and files.info carry it."""
        file_id = f"F{next(self._ids):07d}"
        self.files[file_id] = FakeFile(file_id, data, name, mimetype, filetype, content_type or mimetype, login_page)
        return self.file_object(file_id)

    def file_object(self, file_id: str) -> dict[str, Any]:
        f = self.files[file_id]
        url = f"{self.root}/files/{f.id}/{f.name}"
        return {
            "id": f.id, "name": f.name, "title": f.name, "mimetype": f.mimetype, "filetype": f.filetype,
            "size": len(f.data), "url_private": url, "url_private_download": url + "?download=1",
            "mode": "hosted", "is_external": False,
        }

    def calls_to(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def posts(self, channel: str | None = None) -> list[dict[str, Any]]:
        """Messages the bot posted, oldest first, as they look now (after any chat.update), with their ts."""
        return [m for m in self.messages.values() if channel is None or m["channel"] == channel]

    async def wait_for(self, method: str, count: int = 1, timeout: float = 60) -> list[Call]:
        deadline = time.monotonic() + timeout
        while len(self.calls_to(method)) < count:
            if time.monotonic() > deadline:
                raise AssertionError(f"expected {count} call(s) to {method}, got {len(self.calls_to(method))}")
            await asyncio.sleep(0.02)
        return self.calls_to(method)

    # ---- HTTP ----------------------------------------------------------------------------------
    async def _params(self, request: web.Request) -> dict[str, Any]:
        params: dict[str, Any] = dict(request.query)
        body = await request.read()
        if body:
            if request.content_type == "application/json":
                params.update(json.loads(body))
            else:
                params.update(parse_qsl(body.decode(), keep_blank_values=True))
        for key in ("blocks", "view", "files"):  # form posts send these as JSON text
            if isinstance(params.get(key), str):
                params[key] = json.loads(params[key])
        return params

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        params = await self._params(request)
        auth = request.headers.get("Authorization", "")
        self.calls.append(Call(method, request.method, params, dict(request.headers)))
        if method == "apps.connections.open":
            ok = auth.startswith("Bearer xapp-")
        else:
            ok = auth == f"Bearer {BOT_TOKEN}" or params.get("token") == BOT_TOKEN
        if not ok:
            return web.json_response({"ok": False, "error": "invalid_auth"})
        if method in self.errors:
            return web.json_response({"ok": False, "error": self.errors[method]})
        handler = getattr(self, "_m_" + method.replace(".", "_"), None)
        if handler is None:
            return web.json_response({"ok": False, "error": "unknown_method"})
        return web.json_response(handler(params))

    async def _download(self, request: web.Request) -> web.Response:
        f = self.files.get(request.match_info["id"])
        self.calls.append(Call("file", "GET", dict(request.query), dict(request.headers)))
        if f is None:
            return web.Response(status=404)
        if f.login_page or request.headers.get("Authorization") != f"Bearer {BOT_TOKEN}":
            return web.Response(body=LOGIN_PAGE, content_type="text/html")
        return web.Response(body=f.data, content_type=f.content_type)

    async def _upload(self, request: web.Request) -> web.Response:
        file_id = request.match_info["id"]
        self.uploads[file_id] = await request.read()
        self.calls.append(Call("upload", "POST", {"id": file_id}, dict(request.headers)))
        return web.Response(text="OK - " + str(len(self.uploads[file_id])))

    async def _response(self, request: web.Request) -> web.Response:
        self.calls.append(Call("response", "POST", await request.json(), dict(request.headers)))
        return web.Response(text="ok")

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self._sockets.append(ws)
        await ws.send_json({"type": "hello", "num_connections": 1, "connection_info": {"app_id": "A0ALLIANCE"},
                            "debug_info": {"host": "fake", "approximate_connection_time": 3600}})
        async for message in ws:
            if message.type == web.WSMsgType.TEXT:
                self.socket_acks.append(json.loads(message.data))
        return ws

    async def push(self, envelope_type: str, payload: dict[str, Any], *, envelope_id: str, retry_attempt: int = 0) -> None:
        """Deliver one Socket Mode envelope ("events_api", "slash_commands", "interactive")."""
        for _ in range(500):
            if self._sockets and not self._sockets[-1].closed:
                break
            await asyncio.sleep(0.01)
        await self._sockets[-1].send_json({
            "envelope_id": envelope_id, "type": envelope_type, "payload": payload,
            "accepts_response_payload": envelope_type != "events_api",
            "retry_attempt": retry_attempt, "retry_reason": "timeout" if retry_attempt else "",
        })

    async def wait_for_ack(self, envelope_id: str, timeout: float = 10) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            for ack in self.socket_acks:
                if ack.get("envelope_id") == envelope_id:
                    return ack
            await asyncio.sleep(0.02)
        raise AssertionError(f"no acknowledgement of envelope {envelope_id}")

    def _ts_next(self) -> str:
        return f"{1_800_000_000 + next(self._ts)}.000100"

    # ---- Web API methods -----------------------------------------------------------------------
    def _m_auth_test(self, p):
        return {"ok": True, "url": "https://alliance-test.slack.com/", "team": "Alliance Test", "user": "alliance",
                "team_id": TEAM, "user_id": BOT_USER, "bot_id": BOT_ID, "is_enterprise_install": False}

    def _m_conversations_open(self, p):
        users = p.get("users") or ""
        if not users or "," in users:
            return {"ok": False, "error": "not_found"}
        return {"ok": True, "channel": {"id": dm_for(users)}}

    def _m_chat_postMessage(self, p):
        if not p.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        problem = check_blocks(p.get("blocks"), 50)
        if problem or not (p.get("text") or p.get("blocks")):
            return {"ok": False, "error": "invalid_blocks" if problem else "no_text", "response_metadata": {"messages": [problem]}}
        ts = self._ts_next()
        self.messages[(p["channel"], ts)] = dict(p, ts=ts)
        return {"ok": True, "channel": p["channel"], "ts": ts, "message": {"text": p.get("text"), "ts": ts}}

    def _m_chat_update(self, p):
        key = (p.get("channel"), p.get("ts"))
        if key not in self.messages:
            return {"ok": False, "error": "message_not_found"}
        problem = check_blocks(p.get("blocks"), 50)
        if problem:
            return {"ok": False, "error": "invalid_blocks", "response_metadata": {"messages": [problem]}}
        self.messages[key].update(text=p.get("text"), blocks=p.get("blocks"))
        return {"ok": True, "channel": key[0], "ts": key[1]}

    def _m_chat_postEphemeral(self, p):
        if not p.get("channel") or not p.get("user"):
            return {"ok": False, "error": "channel_not_found"}
        return {"ok": True, "message_ts": self._ts_next()}

    def _m_reactions_add(self, p):
        names = self.reactions.setdefault((p["channel"], p["timestamp"]), set())
        if p["name"] in names:
            return {"ok": False, "error": "already_reacted"}
        names.add(p["name"])
        return {"ok": True}

    def _m_reactions_remove(self, p):
        names = self.reactions.setdefault((p["channel"], p["timestamp"]), set())
        if p["name"] not in names:
            return {"ok": False, "error": "no_reaction"}
        names.discard(p["name"])
        return {"ok": True}

    def _m_files_info(self, p):
        if p.get("file") not in self.files:
            return {"ok": False, "error": "file_not_found"}
        return {"ok": True, "file": self.file_object(p["file"])}

    def _m_files_getUploadURLExternal(self, p):
        if not p.get("filename") or not str(p.get("length", "")).isdigit():
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"FU{next(self._ids):06d}"
        return {"ok": True, "upload_url": f"{self.root}/upload/{file_id}", "file_id": file_id}

    def _m_files_completeUploadExternal(self, p):
        files = p.get("files") or []
        if not files or any(f["id"] not in self.uploads for f in files):
            return {"ok": False, "error": "file_not_found"}
        return {"ok": True, "files": [{"id": f["id"], "title": f.get("title")} for f in files]}

    def _m_views_publish(self, p):
        view = p.get("view") or {}
        problem = check_blocks(view.get("blocks"), 100)
        if problem or not p.get("user_id") or view.get("type") != "home":
            return {"ok": False, "error": "invalid_arguments", "response_metadata": {"messages": [problem]}}
        return {"ok": True, "view": {"id": "V1", **view}}

    def _m_apps_connections_open(self, p):
        return {"ok": True, "url": f"ws://127.0.0.1:{self.port}/socket"}


def check_blocks(blocks: Any, limit: int) -> str | None:
    """The Block Kit rules Slack enforces that our rendering could break; None when valid."""
    if blocks is None:
        return None
    if not isinstance(blocks, list) or len(blocks) > limit:
        return f"at most {limit} blocks"
    block_ids, action_ids = set(), set()
    for i, block in enumerate(blocks):
        kind = block.get("type")
        if "block_id" in block:
            if len(block["block_id"]) > 255 or block["block_id"] in block_ids:
                return f"block {i}: block_id"
            block_ids.add(block["block_id"])
        if kind == "section":
            text = (block.get("text") or {}).get("text", "")
            if not text.strip() or len(text) > 3000:
                return f"block {i}: section text 1..3000"
        elif kind == "header":
            text = block["text"]
            if text.get("type") != "plain_text" or not text["text"].strip() or len(text["text"]) > 150:
                return f"block {i}: header"
        elif kind == "context":
            if not 1 <= len(block.get("elements", [])) <= 10:
                return f"block {i}: context elements"
        elif kind == "actions":
            elements = block.get("elements", [])
            if not 1 <= len(elements) <= 25:
                return f"block {i}: actions elements"
            for element in elements:
                if element["action_id"] in action_ids or len(element["action_id"]) > 255:
                    return f"block {i}: duplicate action_id"
                action_ids.add(element["action_id"])
                if element["type"] == "button":
                    if not 1 <= len(element["text"]["text"]) <= 75 or len(element.get("value", "")) > 2000:
                        return f"block {i}: button"
                elif element["type"] == "static_select":
                    options = element.get("options", [])
                    if not 1 <= len(options) <= 100 or any(len(o["text"]["text"]) > 75 or len(o["value"]) > 150 for o in options):
                        return f"block {i}: static_select options"
                else:
                    return f"block {i}: element type"
        elif kind != "divider":
            return f"block {i}: type {kind}"
    return None


# ---- inbound: requests as Slack signs them --------------------------------------------------------
def signature(body: str, timestamp: str, secret: str = SIGNING_SECRET) -> str:
    digest = hmac.new(secret.encode(), f"v0:{timestamp}:{body}".encode(), hashlib.sha256).hexdigest()
    return f"v0={digest}"


def signed_headers(body: str, *, content_type: str, timestamp: int | None = None,
                   secret: str = SIGNING_SECRET, retry: int | None = None) -> dict[str, str]:
    ts = str(int(time.time()) if timestamp is None else timestamp)
    headers = {"Content-Type": content_type, "X-Slack-Request-Timestamp": ts, "X-Slack-Signature": signature(body, ts, secret)}
    if retry is not None:
        headers["X-Slack-Retry-Num"] = str(retry)
        headers["X-Slack-Retry-Reason"] = "http_timeout"
    return headers


def event_body(event: dict[str, Any], *, event_id: str, team: str = TEAM) -> dict[str, Any]:
    return {
        "token": "legacy-verification-token", "team_id": team, "api_app_id": "A0ALLIANCE", "event": event,
        "type": "event_callback", "event_id": event_id, "event_time": int(time.time()),
        "authorizations": [{"team_id": team, "user_id": BOT_USER, "is_bot": True, "is_enterprise_install": False}],
    }
