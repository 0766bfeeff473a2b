"""A local fake of the Telegram Bot API (aiohttp on 127.0.0.1, a free port). The real
python-telegram-bot talks to it through base_url/base_file_url. It records every request, keeps the
messages the bot sent (so edits of unknown messages fail like Telegram's), serves files for getFile,
and hands out queued updates through getUpdates, honouring the offset."""
from __future__ import annotations

import asyncio
import itertools
import json
import time
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

TOKEN = "123456:TEST-TOKEN-abcdefghijklmnopqrstu"
BOT_ID = 123456
BOT_USERNAME = "alliance_test_bot"

JSON_FIELDS = {"reply_markup", "reply_parameters", "link_preview_options", "commands", "allowed_updates", "entities", "scope"}
INT_FIELDS = {"chat_id", "message_id", "offset", "timeout", "limit", "reply_to_message_id"}


@dataclass
class Call:
    method: str
    params: dict[str, Any]
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)
    at: float = field(default_factory=time.monotonic)  # when it arrived (latency benchmarks)


class FakeTelegram:
    def __init__(self, token: str = TOKEN):
        self.token = token
        self.calls: list[Call] = []
        self.downloads: list[str] = []
        self.messages: dict[tuple[int, int], dict] = {}
        self.first_texts: dict[tuple[int, int], str] = {}
        self.files: dict[str, tuple[str, bytes]] = {}
        self.photos: list[tuple[int, str, bytes]] = []  # (chat id, file name, bytes) sent with sendPhoto
        self.chat_types: dict[int, str] = {}
        self.updates: list[dict] = []
        self._ids = itertools.count(1000)
        self._update_ids = itertools.count(5000)
        self._changed = asyncio.Event()
        self._runner: web.AppRunner | None = None
        self.port = 0
        self.latency_s = 0.0  # each API answer waits this long, like a round trip to Telegram (benchmarks)

    # ---- lifecycle -----------------------------------------------------------------------------
    async def start(self) -> "FakeTelegram":
        app = web.Application(client_max_size=100 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._api)
        app.router.add_get("/file/bot{token}/{path:.+}", self._download)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.5)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        self.port = site._server.sockets[0].getsockname()[1]
        return self

    async def close(self) -> None:
        if self._runner is not None:
            await self._runner.cleanup()

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def base_file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    # ---- what tests look at --------------------------------------------------------------------
    def of(self, method: str) -> list[dict[str, Any]]:
        return [c.params for c in self.calls if c.method == method]

    def methods(self) -> list[str]:
        return [c.method for c in self.calls]

    def sent_to(self, chat_id: int) -> list[str]:
        """Texts the bot put into a chat, by sendMessage or editMessageText, in order."""
        return [
            c.params.get("text", "")
            for c in self.calls
            if c.method in ("sendMessage", "editMessageText") and c.params.get("chat_id") == chat_id
        ]

    def message(self, chat_id: int, message_id: int) -> dict:
        return self.messages[(chat_id, message_id)]

    async def wait_for(self, predicate, timeout: float = 60.0, what: str = "a request") -> None:
        deadline = time.monotonic() + timeout
        while not predicate():
            if time.monotonic() > deadline:
                raise AssertionError(f"timed out waiting for {what}; got {self.methods()}")
            await asyncio.sleep(0.05)

    async def wait_calls(self, method: str, count: int = 1, timeout: float = 60.0) -> list[dict[str, Any]]:
        await self.wait_for(lambda: len(self.of(method)) >= count, timeout, f"{count} {method}")
        return self.of(method)

    # ---- what tests set up ---------------------------------------------------------------------
    def add_file(self, data: bytes, path: str = "voice/file_0.oga") -> str:
        file_id = f"file-{next(self._ids)}"
        self.files[file_id] = (path, data)
        return file_id

    def add_bot_message(self, chat_id: int, text: str) -> int:
        """A message the bot sent earlier (e.g. an acknowledgement before a crash)."""
        return self._store_message(chat_id, {"text": text})["message_id"]

    def push(self, update: dict) -> dict:
        self.updates.append(update)
        self._changed.set()
        return update

    def user(self, user_id: int) -> dict:
        return {"id": user_id, "is_bot": False, "first_name": f"User{user_id}"}

    def chat(self, chat_id: int, chat_type: str = "private") -> dict:
        self.chat_types[chat_id] = chat_type
        chat = {"id": chat_id, "type": chat_type}
        if chat_type == "private":
            chat["first_name"] = f"User{chat_id}"
        else:
            chat["title"] = "Team chat"
        return chat

    def _message(self, user_id: int, chat_id: int | None, chat_type: str, **content) -> dict:
        chat_id = user_id if chat_id is None else chat_id
        return {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": self.chat(chat_id, chat_type),
            "from": self.user(user_id),
            **content,
        }

    def text_update(self, user_id: int, text: str, *, chat_id: int | None = None, chat_type: str = "private", reply_to: int | None = None) -> dict:
        content: dict[str, Any] = {"text": text}
        if text.startswith("/"):
            content["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
        if reply_to is not None:
            content["reply_to_message"] = self.message(chat_id or user_id, reply_to)
        return {"update_id": next(self._update_ids), "message": self._message(user_id, chat_id, chat_type, **content)}

    def voice_update(self, user_id: int, file_id: str, *, size: int | None = None, chat_id: int | None = None, chat_type: str = "private", kind: str = "voice") -> dict:
        data = self.files.get(file_id, ("", b""))[1]
        media: dict[str, Any] = {"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": size if size is not None else len(data)}
        if kind == "voice":
            media.update(duration=11, mime_type="audio/ogg")
        elif kind == "audio":
            media.update(duration=11, mime_type="audio/ogg", file_name="session.ogg")
        elif kind == "document":
            media.update(mime_type="audio/ogg", file_name="session.ogg")
        elif kind == "video_note":
            media.update(duration=11, length=240)
        return {"update_id": next(self._update_ids), "message": self._message(user_id, chat_id, chat_type, **{kind: media})}

    def callback_update(self, user_id: int, message_id: int, data: str, *, chat_id: int | None = None) -> dict:
        return {
            "update_id": next(self._update_ids),
            "callback_query": {
                "id": str(next(self._ids)),
                "from": self.user(user_id),
                "chat_instance": "ci-1",
                "message": self.message(chat_id or user_id, message_id),
                "data": data,
            },
        }

    # ---- the API -------------------------------------------------------------------------------
    async def _api(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.json_response({"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401)
        method = request.match_info["method"]
        params, files = await _params(request)
        self.calls.append(Call(method, params, files))
        if self.latency_s and method != "getUpdates":
            await asyncio.sleep(self.latency_s)
        handler = getattr(self, f"_{method}", None)
        if handler is None:
            return _ok(True)
        return await handler(params, files)

    async def _download(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return web.Response(status=401)
        path = request.match_info["path"]
        self.downloads.append(path)
        for stored_path, data in self.files.values():
            if stored_path == path:
                return web.Response(body=data)
        return web.Response(status=404)

    async def _getMe(self, params, files):
        return _ok({"id": BOT_ID, "is_bot": True, "first_name": "Alliance", "username": BOT_USERNAME,
                    "can_join_groups": True, "can_read_all_group_messages": False, "supports_inline_queries": False})

    async def _getUpdates(self, params, files):
        offset = params.get("offset") or 0
        self.updates = [u for u in self.updates if u["update_id"] >= offset]  # older ones are confirmed
        if not self.updates:
            self._changed.clear()
            try:  # a short long-poll: quick to notice new updates and quick to shut down
                await asyncio.wait_for(self._changed.wait(), timeout=min(float(params.get("timeout") or 0), 0.5))
            except asyncio.TimeoutError:
                pass
        return _ok(list(self.updates))

    async def _getFile(self, params, files):
        file_id = params.get("file_id")
        if file_id not in self.files:
            return _error("Bad Request: invalid file_id")
        path, data = self.files[file_id]
        return _ok({"file_id": file_id, "file_unique_id": f"u{file_id}", "file_size": len(data), "file_path": path})

    async def _sendMessage(self, params, files):
        chat_id = params["chat_id"]
        content = {"text": params.get("text", "")}
        if "reply_markup" in params:
            content["reply_markup"] = params["reply_markup"]
        reply_to = (params.get("reply_parameters") or {}).get("message_id")
        if reply_to and (chat_id, reply_to) in self.messages:
            content["reply_to_message"] = self.messages[(chat_id, reply_to)]
        return _ok(self._store_message(chat_id, content))

    async def _editMessageText(self, params, files):
        key = (params.get("chat_id"), params.get("message_id"))
        if key not in self.messages:
            return _error("Bad Request: message to edit not found")
        message = self.messages[key]
        markup = params.get("reply_markup")
        if message.get("text") == params.get("text") and message.get("reply_markup") == markup:
            return _error("Bad Request: message is not modified: specified new message content and reply markup are exactly the same")
        message["text"] = params.get("text", "")
        message.pop("reply_markup", None)
        if markup:
            message["reply_markup"] = markup
        message["edit_date"] = int(time.time())
        return _ok(message)

    async def _sendDocument(self, params, files):
        filename, data = files.get("document", ("document", b""))
        content = {"document": {"file_id": f"doc-{next(self._ids)}", "file_unique_id": "d", "file_name": filename, "file_size": len(data)}}
        return _ok(self._store_message(params["chat_id"], content))

    async def _sendPhoto(self, params, files):
        """Like Telegram: a PNG or JPEG up to 10 MB whose width + height is at most 10,000 pixels."""
        filename, data = files.get("photo", ("photo", b""))
        size = image_size(data)
        if size is None or len(data) > 10 * 1024 * 1024 or sum(size) > 10_000:
            return _error("Bad Request: IMAGE_PROCESS_FAILED")
        self.photos.append((params["chat_id"], filename, data))
        width, height = size
        content = {"photo": [{"file_id": f"photo-{next(self._ids)}", "file_unique_id": "p", "width": width,
                              "height": height, "file_size": len(data)}]}
        if params.get("caption"):
            content["caption"] = params["caption"]
        return _ok(self._store_message(params["chat_id"], content))

    def _store_message(self, chat_id: int, content: dict) -> dict:
        message = {
            "message_id": next(self._ids),
            "date": int(time.time()),
            "chat": {"id": chat_id, "type": self.chat_types.get(chat_id, "private"), "first_name": "User"},
            "from": {"id": BOT_ID, "is_bot": True, "first_name": "Alliance", "username": BOT_USERNAME},
            **content,
        }
        self.first_texts[(chat_id, message["message_id"])] = content.get("text", "")  # what it said before edits
        self.messages[(chat_id, message["message_id"])] = message
        return message


async def _params(request: web.Request) -> tuple[dict[str, Any], dict[str, tuple[str, bytes]]]:
    params: dict[str, Any] = {}
    files: dict[str, tuple[str, bytes]] = {}
    if request.content_type == "application/json":
        return dict(await request.json()), files
    form = await request.post()
    for key, value in form.items():
        if isinstance(value, web.FileField):
            files[key] = (value.filename, value.file.read())
        elif key in JSON_FIELDS:
            params[key] = json.loads(value)
        elif key in INT_FIELDS and value.lstrip("-").isdigit():
            params[key] = int(value)
        else:
            params[key] = value
    return params, files


def image_size(data: bytes) -> tuple[int, int] | None:
    """(width, height) of a PNG from its header, or None for anything that is not a PNG or a JPEG."""
    if data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR":
        return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
    return (1, 1) if data[:3] == b"\xff\xd8\xff" else None


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(description: str, code: int = 400) -> web.Response:
    return web.json_response({"ok": False, "error_code": code, "description": description}, status=code)
