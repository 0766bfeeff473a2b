"""Helpers for the model tests: a service wired to the local fake OpenAI server, and scripted model
notes shaped by the schema the request asked for (as a strict server would)."""
from __future__ import annotations

import re
from typing import Any, Callable

from bots.bootstrap import build_assistant
from core.config import Settings

THERAPIST = "Dr. Robin Example"


def llm_settings(fake, tmp_path, **overrides) -> Settings:
    values = dict(
        data_dir=tmp_path / "data",
        llm="openai",
        openai_base_url=fake.url + "/v1",
        openai_api_key="test-key",
    )
    return Settings(**(values | overrides))


def llm_service(fake, tmp_path, **overrides):
    return build_assistant(llm_settings(fake, tmp_path, **overrides))


def section_names(request: dict) -> list[str]:
    schema = request["response_format"]["json_schema"]["schema"]
    return list(schema["properties"]["sections"]["properties"])


def note_format(request: dict) -> str:
    return request["response_format"]["json_schema"]["schema"]["properties"]["format"]["enum"][0]


def user_text(request: dict) -> str:
    return next(m["content"] for m in request["messages"] if m["role"] == "user")


def block(request: dict, name: str) -> str:
    """The text inside the request's <name-TAG> ... </name-TAG> block."""
    match = re.search(rf"<{name}-([0-9a-f]+)[^>]*>\n(.*?)\n</{name}-\1>", user_text(request), re.S)
    assert match, f"no {name} block in the request"
    return match.group(2)


def model_note(**fields: Any) -> Callable[[dict], dict]:
    """A scripted model reply: every section "Not discussed" unless given, lists empty unless given."""

    def build(request: dict) -> dict:
        given = fields.get("sections", {})
        sections = {name: given.get(name, "Not discussed") for name in section_names(request)}
        note = {
            "format": note_format(request),
            "summary": "",
            "sections": sections,
            "key_points": [],
            "homework": [],
            "plan": [],
            "follow_ups": [],
            "measures": [],
            "risks": [],
            "alliance": [],
        }
        note.update({k: v for k, v in fields.items() if k != "sections"})
        return note

    return build


def risk(kind: str, evidence: str, status: str = "present", qualifiers: list[str] | None = None) -> dict:
    return {"kind": kind, "status": status, "evidence": evidence, "qualifiers": qualifiers or []}
