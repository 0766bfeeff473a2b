"""Talking to an OpenAI-compatible model (OpenAI, Azure, Ollama, vLLM, llama.cpp) with an explicit policy.

The openai client's own retries are switched off (max_retries=0) and done here instead, so the policy is
visible and testable:
- retry 408/409/429/5xx, timeouts and dropped connections, at most `max_retries` times;
- wait `base * 2**attempt` with jitter, or exactly what the server asks for in Retry-After / retry-after-ms;
- never retry 400/401/403/404/422 or a 429 whose code is `insufficient_quota` (waiting will not help);
- give up early when the server asks for a longer wait than `max_retry_after_s` or the whole call would
  outlast `budget_s` — a therapist is waiting for the note, and the offline writer is a fine floor.

Privacy: nothing here logs or raises message content, the API key or the server's error text (a server
may echo the request back in its error). Log lines carry status codes, attempt numbers and timings only.
"""
from __future__ import annotations

import email.utils
import json
import logging
import random
import time
from dataclasses import dataclass
from typing import Any, Callable, Sequence, TypeVar

import openai
from pydantic import BaseModel, ValidationError

from core.config import Settings

log = logging.getLogger(__name__)

T = TypeVar("T")
M = TypeVar("M", bound=BaseModel)

RETRY_STATUS = frozenset({408, 409, 429})  # plus every 5xx
QUOTA_CODES = frozenset({"insufficient_quota", "billing_hard_limit_reached"})


class LLMError(Exception):
    """The model could not give a usable answer. `kind` is one word; the message never holds content."""

    def __init__(self, kind: str, message: str, *, status: int | None = None):
        super().__init__(message)
        self.kind = kind  # "auth" | "quota" | "rejected" | "unavailable" | "timeout" | "invalid_output"
        self.status = status


@dataclass(frozen=True)
class RetryPolicy:
    max_retries: int = 4
    base_delay_s: float = 0.5
    max_delay_s: float = 20.0
    max_retry_after_s: float = 60.0  # a server asking for more than this: give up and fall back
    budget_s: float = 180.0  # the whole call, all attempts and waits included

    @classmethod
    def from_settings(cls, settings: Settings) -> "RetryPolicy":
        timeout = settings.llm_timeout_s
        return cls(max_retries=max(0, settings.llm_max_retries), budget_s=max(timeout * 3, 30.0))


def make_openai(settings: Settings) -> openai.OpenAI:
    """The official client aimed at the configured endpoint. Local servers (Ollama, vLLM) need no key,
    but the client insists on one, so a placeholder is sent there."""
    key = settings.openai_api_key or ("not-needed" if settings.openai_base_url else None)
    if not key:
        raise LLMError("auth", "No OPENAI_API_KEY is set (and no OPENAI_BASE_URL for a local server).")
    return openai.OpenAI(
        api_key=key,
        base_url=settings.openai_base_url or None,
        timeout=settings.llm_timeout_s,
        max_retries=0,  # retries are ours: see module docstring
    )


def retry_after_s(headers: Any) -> float | None:
    """Seconds the server asked us to wait (retry-after-ms, Retry-After as seconds or HTTP date)."""
    if headers is None:
        return None
    value = headers.get("retry-after-ms")
    if value is not None:
        try:
            return max(0.0, float(value) / 1000)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        parsed = email.utils.parsedate_to_datetime(value) if value.strip() else None
        if parsed is None:
            return None
        return max(0.0, parsed.timestamp() - time.time())


def classify(error: Exception) -> tuple[bool, LLMError]:
    """(worth retrying, the error to raise if not). Uses status codes and error codes only."""
    if isinstance(error, openai.APITimeoutError):
        return True, LLMError("timeout", "The language model did not answer in time.")
    if isinstance(error, openai.APIConnectionError):
        return True, LLMError("unavailable", "The language model could not be reached.")
    if isinstance(error, openai.APIStatusError):
        status = error.status_code
        code = str(getattr(error, "code", None) or _body_code(error.body) or "")
        if status in (401, 403):
            return False, LLMError("auth", "The language model rejected the API key.", status=status)
        if code in QUOTA_CODES or (status == 429 and "quota" in code):
            return False, LLMError("quota", "The language model account is out of quota.", status=status)
        if status in RETRY_STATUS or status >= 500:
            return True, LLMError("unavailable", f"The language model is unavailable (HTTP {status}).", status=status)
        return False, LLMError("rejected", f"The language model refused the request (HTTP {status}).", status=status)
    # Anything else the client raises (a response it could not parse, ...): not worth repeating.
    return False, LLMError("invalid_output", f"The language model's response could not be read ({type(error).__name__}).")


def _body_code(body: Any) -> str | None:
    if isinstance(body, dict):
        inner = body.get("error") if isinstance(body.get("error"), dict) else body
        return inner.get("code") or inner.get("type")
    return None


def with_retries(
    call: Callable[[], T],
    policy: RetryPolicy,
    *,
    what: str,
    sleep: Callable[[float], None] = time.sleep,
    rand: Callable[[], float] = random.random,
) -> T:
    """Run `call` under the retry policy; raise LLMError when it cannot succeed."""
    started = time.monotonic()
    attempt = 0
    while True:
        try:
            result = call()
            if attempt:
                log.info("%s succeeded after %d retries", what, attempt)
            return result
        except openai.OpenAIError as error:
            retry, failure = classify(error)
            if not retry or attempt >= policy.max_retries:
                log.warning("%s failed: %s (status %s, %d attempts)", what, failure.kind, failure.status, attempt + 1)
                raise failure from None
            asked = retry_after_s(getattr(getattr(error, "response", None), "headers", None))
            if asked is not None and asked > policy.max_retry_after_s:
                log.warning("%s: server asked to wait %.0fs; not waiting", what, asked)
                raise failure from None
            if asked is not None:
                delay = asked  # the server knows its own load: wait exactly what it asks
            else:
                ceiling = min(policy.max_delay_s, policy.base_delay_s * 2**attempt)
                delay = ceiling / 2 + rand() * ceiling / 2  # "equal jitter": never zero, never in lockstep
            if time.monotonic() - started + delay > policy.budget_s:
                log.warning("%s: retry budget spent after %d attempts", what, attempt + 1)
                raise failure from None
            log.info("%s: %s (status %s), retry %d in %.2fs", what, failure.kind, failure.status, attempt + 1, delay)
            sleep(delay)
            attempt += 1


def strict_schema(model: type[BaseModel]) -> dict[str, Any]:
    """A pydantic model's JSON schema in the shape strict structured output requires: every object closed
    (additionalProperties false) with every property required, no defaults or titles."""
    return _strict(model.model_json_schema())


def _strict(node: Any) -> Any:
    if isinstance(node, list):
        return [_strict(n) for n in node]
    if not isinstance(node, dict):
        return node
    out = {}
    for key, value in node.items():
        if key in ("title", "default", "examples"):
            continue
        if key in ("properties", "$defs"):  # maps of names to schemas: keep every name, strictify each schema
            out[key] = {name: _strict(schema) for name, schema in value.items()}
        else:
            out[key] = _strict(value)
    if out.get("type") == "object" or "properties" in out:
        out["type"] = "object"
        out.setdefault("properties", {})
        out["required"] = list(out["properties"])
        out["additionalProperties"] = False
    return out


class LLM:
    """One configured model endpoint. Blocking: the service calls it from worker threads."""

    def __init__(
        self,
        settings: Settings,
        *,
        policy: RetryPolicy | None = None,
        sleep: Callable[[float], None] = time.sleep,
        client: openai.OpenAI | None = None,
    ):
        self.model = settings.llm_model
        self.policy = policy or RetryPolicy.from_settings(settings)
        self.sleep = sleep
        self._settings = settings
        self._client = client

    @property
    def client(self) -> openai.OpenAI:
        if self._client is None:  # built lazily so a missing key shows up as a fallback, not a crash at start
            self._client = make_openai(self._settings)
        return self._client

    def call_json(
        self, messages: Sequence[dict[str, str]], schema: type[M], *, name: str, json_schema: dict[str, Any] | None = None
    ) -> M:
        """One chat completion with strict JSON-schema output, validated into `schema`. `json_schema`
        overrides the schema sent (e.g. a note format's exact sections); the reply is still validated by
        `schema`. Raises LLMError (kind "invalid_output" for a refusal, truncation or schema mismatch)."""
        response_format = {
            "type": "json_schema",
            "json_schema": {"name": name, "schema": json_schema or strict_schema(schema), "strict": True},
        }

        def create():
            return self.client.chat.completions.create(
                model=self.model,
                messages=list(messages),
                response_format=response_format,
                temperature=0,
            )

        completion = with_retries(create, self.policy, what=f"llm {name}", sleep=self.sleep)
        choice = completion.choices[0] if completion.choices else None
        if choice is None or choice.finish_reason == "length":
            raise LLMError("invalid_output", "The language model's answer was cut off.")
        message = choice.message
        if getattr(message, "refusal", None) or not message.content:
            raise LLMError("invalid_output", "The language model declined to answer.")
        try:
            return schema.model_validate(json.loads(message.content))
        except (ValueError, ValidationError):
            # Not JSON, or JSON outside the schema: never used. Say which, not what.
            log.warning("llm %s: output failed validation", name)
            raise LLMError("invalid_output", "The language model's answer did not match the note format.") from None

    def check(self) -> str:
        """For `alliance doctor`: list models (proves reachability and the key). Returns a short status."""
        models = with_retries(lambda: self.client.models.list(), RetryPolicy(max_retries=0), what="llm models")
        ids = [m.id for m in models.data]
        if ids and self.model not in ids:
            return f"reachable, key accepted; model {self.model!r} not among the {len(ids)} offered"
        return "reachable, key accepted"
