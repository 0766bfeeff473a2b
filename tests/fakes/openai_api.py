"""A local fake of the OpenAI API that the real `openai` client talks to via base_url.

Runs an aiohttp app on 127.0.0.1 (free port) in its own thread with its own event loop, so blocking
callers (the note writer in a worker thread, the answerer on the service's loop) can reach it. Each
test scripts the replies in order; every request is recorded for assertions. Nothing scripted -> HTTP 418
(not retried), so a test that forgot a script fails loudly instead of waiting.

Endpoints: POST /v1/chat/completions (honours response_format json_schema: scripted content must match
the requested schema, as a strict server guarantees; `raw=True` sends text that does not, as a sloppy
local server might), POST /v1/audio/transcriptions, GET /v1/models.
"""
from __future__ import annotations

import asyncio
import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from typing import Any, Iterator

import pytest
from aiohttp import web


@dataclass
class Recorded:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    json: Any = None
    form: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        """Everything the request carried, for "does it contain X?" assertions."""
        return self.body.decode("utf-8", "replace")


@dataclass
class Scripted:
    status: int = 200
    content: Any = None  # dict/list (sent as JSON text), str, or callable(request json) -> either
    headers: dict[str, str] = field(default_factory=dict)
    raw: bool = False  # skip the schema check (a server that ignores response_format)
    finish_reason: str = "stop"
    error_code: str | None = None
    delay_s: float = 0.0


class FakeOpenAI:
    def __init__(self) -> None:
        self.requests: list[Recorded] = []
        self.scripts: dict[str, deque[Scripted]] = {"chat": deque(), "audio": deque(), "models": deque()}
        self.models = ["gpt-4o-mini", "whisper-1"]
        self.every_transcription: Scripted | None = None  # the answer when nothing else is scripted
        self.api_key = "test-key"  # requests with another bearer get 401
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self.port = 0

    # ---- scripting ----------------------------------------------------------------------------------
    def chat(self, content: Any, **options: Any) -> "FakeOpenAI":
        self.scripts["chat"].append(Scripted(content=content, **options))
        return self

    def chat_error(self, status: int, *, times: int = 1, headers: dict[str, str] | None = None, code: str | None = None) -> "FakeOpenAI":
        for _ in range(times):
            self.scripts["chat"].append(Scripted(status=status, headers=headers or {}, error_code=code))
        return self

    def transcription(self, text: str | None = None, *, status: int = 200, headers: dict[str, str] | None = None) -> "FakeOpenAI":
        self.scripts["audio"].append(Scripted(status=status, content=text, headers=headers or {}))
        return self

    def chat_requests(self) -> list[Recorded]:
        return [r for r in self.requests if r.path.endswith("/chat/completions")]

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    # ---- server -------------------------------------------------------------------------------------
    def start(self) -> "FakeOpenAI":
        ready = threading.Event()

        async def boot() -> None:
            app = web.Application(client_max_size=64 * 1024 * 1024)
            app.router.add_post("/v1/chat/completions", self._chat)
            app.router.add_post("/v1/audio/transcriptions", self._audio)
            app.router.add_get("/v1/models", self._models)
            self._runner = web.AppRunner(app, access_log=None)
            await self._runner.setup()
            site = web.TCPSite(self._runner, "127.0.0.1", 0)
            await site.start()
            self.port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
            ready.set()

        def run() -> None:
            asyncio.set_event_loop(self._loop)
            self._loop.run_until_complete(boot())
            self._loop.run_forever()

        self._thread = threading.Thread(target=run, name="fake-openai", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fake OpenAI server did not start")
        return self

    def stop(self) -> None:
        async def shutdown() -> None:
            if self._runner is not None:
                await self._runner.cleanup()

        asyncio.run_coroutine_threadsafe(shutdown(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()

    async def _record(self, request: web.Request) -> Recorded:
        body = await request.read()
        recorded = Recorded(request.method, request.path, dict(request.headers), body)
        if request.content_type == "application/json" and body:
            recorded.json = json.loads(body)
        self.requests.append(recorded)
        return recorded

    def _unauthorised(self, request: web.Request) -> web.Response | None:
        if request.headers.get("Authorization") != f"Bearer {self.api_key}":
            return _error(401, "Incorrect API key provided.", "invalid_api_key")
        return None

    def _next(self, kind: str) -> Scripted | None:
        queue = self.scripts[kind]
        return queue.popleft() if queue else None

    async def _chat(self, request: web.Request) -> web.Response:
        recorded = await self._record(request)
        denied = self._unauthorised(request)
        if denied:
            return denied
        script = self._next("chat")
        if script is None:
            return _error(418, "fake: nothing scripted for this request", "unscripted")
        if script.delay_s:
            await asyncio.sleep(script.delay_s)
        if script.status != 200:
            return _error(script.status, "fake failure", script.error_code, script.headers)
        content = script.content(recorded.json) if callable(script.content) else script.content
        text = content if isinstance(content, str) else json.dumps(content)
        response_format = (recorded.json or {}).get("response_format") or {}
        if response_format.get("type") == "json_schema" and not script.raw:
            problem = schema_problem(json.loads(text), response_format["json_schema"]["schema"])
            if problem:  # a strict server never returns this: the test's script is wrong
                return _error(400, f"fake: scripted content violates the requested schema: {problem}", "fake_schema")
        return web.json_response(
            {
                "id": f"chatcmpl-{len(self.requests)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": (recorded.json or {}).get("model", "fake"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": text, "refusal": None},
                        "finish_reason": script.finish_reason,
                    }
                ],
                "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
            },
            headers=script.headers,
        )

    async def _audio(self, request: web.Request) -> web.Response:
        posted = await request.post()
        form: dict[str, Any] = {}
        for name, value in posted.items():
            if isinstance(value, web.FileField):
                form[name] = {"filename": value.filename, "data": value.file.read()}
            else:
                form[name] = str(value)
        self.requests.append(Recorded(request.method, request.path, dict(request.headers), b"", form=form))
        denied = self._unauthorised(request)
        if denied:
            return denied
        script = self._next("audio") or self.every_transcription
        if script is None:
            return _error(418, "fake: nothing scripted for this request", "unscripted")
        if script.delay_s:  # a fixed cost per memo: load benchmarks measure the queue, not the CPU
            await asyncio.sleep(script.delay_s)
        if script.status != 200:
            return _error(script.status, "fake failure", script.error_code, script.headers)
        return web.json_response({"text": script.content or ""})

    async def _models(self, request: web.Request) -> web.Response:
        await self._record(request)
        denied = self._unauthorised(request)
        if denied:
            return denied
        script = self._next("models")
        if script is not None and script.status != 200:
            return _error(script.status, "fake failure", script.error_code, script.headers)
        return web.json_response(
            {"object": "list", "data": [{"id": m, "object": "model", "created": 0, "owned_by": "fake"} for m in self.models]}
        )


def _error(status: int, message: str, code: str | None = None, headers: dict[str, str] | None = None) -> web.Response:
    body = {"error": {"message": message, "type": "fake_error", "param": None, "code": code}}
    return web.json_response(body, status=status, headers=headers or {})


def schema_problem(value: Any, schema: dict[str, Any], root: dict[str, Any] | None = None, at: str = "$") -> str | None:
    """The first way `value` breaks the (strict-subset) JSON schema, or None. Enough for our schemas:
    $ref/$defs, type (incl. lists), enum, anyOf, object properties/required/additionalProperties, items."""
    root = root or schema
    if "$ref" in schema:
        target: Any = root
        for part in schema["$ref"].lstrip("#/").split("/"):
            target = target[part]
        return schema_problem(value, target, root, at)
    if "anyOf" in schema:
        if all(schema_problem(value, option, root, at) for option in schema["anyOf"]):
            return f"{at}: matches no anyOf option"
        return None
    if "enum" in schema and value not in schema["enum"]:
        return f"{at}: {value!r} not in enum"
    types = schema.get("type")
    if types is not None:
        allowed = types if isinstance(types, list) else [types]
        if not any(_is(value, t) for t in allowed):
            return f"{at}: expected {types}"
    if isinstance(value, dict):
        props = schema.get("properties", {})
        for name in schema.get("required", []):
            if name not in value:
                return f"{at}: missing {name}"
        if schema.get("additionalProperties") is False:
            extra = set(value) - set(props)
            if extra:
                return f"{at}: unexpected {sorted(extra)}"
        for name, item in value.items():
            if name in props:
                problem = schema_problem(item, props[name], root, f"{at}.{name}")
                if problem:
                    return problem
    if isinstance(value, list) and "items" in schema:
        for i, item in enumerate(value):
            problem = schema_problem(item, schema["items"], root, f"{at}[{i}]")
            if problem:
                return problem
    return None


def _is(value: Any, kind: str) -> bool:
    return {
        "object": isinstance(value, dict),
        "array": isinstance(value, list),
        "string": isinstance(value, str),
        "integer": isinstance(value, int) and not isinstance(value, bool),
        "number": isinstance(value, (int, float)) and not isinstance(value, bool),
        "boolean": isinstance(value, bool),
        "null": value is None,
    }.get(kind, True)


@pytest.fixture
def fake_openai() -> Iterator[FakeOpenAI]:
    server = FakeOpenAI().start()
    try:
        yield server
    finally:
        server.stop()

