"""`alliance chat`: the same notebook through typed lines — /notes, /press on its buttons, /edit, /sign,
/copy, /transcript — and a draft made here resolved here."""
from __future__ import annotations

import asyncio

import pytest

from bots.bootstrap import build_assistant
from bots.console import chat

MAYA = ("Session with Maya Thompson today. She reported feeling anxious before the team meeting. "
        "We practised box breathing together. Homework: keep a thought record every evening.")


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ALLIANCE_DATABASE_URL", raising=False)


def session(capsys, *lines: str) -> str:
    assert asyncio.run(chat(build_assistant(), "Dr. Rivera", iter([*lines, "/quit"]))) == 0
    return capsys.readouterr().out


def test_the_notebook_in_the_console(capsys):
    out = session(capsys, f"/note {MAYA}", "/notes", "/press 1")
    assert "#1 · Maya Thompson" in out and "Note #1 — Note for Maya Thompson" in out
    assert "[1] #1 Maya Thompson" in out and "Transcript" in out

    out = session(capsys, "/edit 1 Plan: start exposure next week", "/sign 1", "/edit 1 remove homework 1", "/copy 1", "/transcript 1")
    assert "Updated — version 2" in out and "Signed." in out and "Addendum added" in out
    assert "Homework withdrawn: Keep a thought record every evening." in out
    assert "SOAP progress note\nClient: Maya Thompson" in out and "Electronically signed by Dr. Rivera" in out
    assert "the text you typed" in out and "thought record every evening" in out


def test_a_draft_made_in_the_console_is_resolved_there(capsys):
    out = session(capsys, "/note Saw someone new today. She felt calmer this week.", "/notes drafts", "/press 1")
    assert "Which client is this note for?" in out and "draft — choose the client" in out and "[1] New client…" in out
    out = session(capsys, "/notes drafts", "/press 1", "/press 1", "Nora Vance")  # New client… then the name
    assert "What is the new client's name?" in out and "Note for Nora Vance" in out
    assert "No drafts" in session(capsys, "/notes drafts")
