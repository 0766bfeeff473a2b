"""Logs at every level, from our code and the libraries under it, carry no transcript, note text,
client name or API key — through a model note, a guarded drop, an outage and an answer."""
from __future__ import annotations

import logging

from tests.core.llm_support import THERAPIST, llm_service, model_note, risk
from tests.fakes.openai_api import fake_openai  # noqa: F401  (fixture)
from tests import support

KEY = "sk-test-privacy-0123456789abcdef"
MEMO = (
    "Session with Zephyrine Quillfeather today. She argued with her brother Ignatius about the farm sale. "
    "She said sometimes she wishes she would not wake up, no plan."
)
SECRETS = ("Zephyrine", "Quillfeather", "Ignatius", "farm sale", "wake up", KEY, "test-privacy")


async def test_no_content_in_any_log_line(fake_openai, tmp_path, caplog):
    fake_openai.api_key = KEY
    service = llm_service(fake_openai, tmp_path, openai_api_key=KEY, llm_pseudonymize=False)
    sender = service.console_sender(THERAPIST)
    caplog.set_level(logging.DEBUG)  # everything, including the openai and HTTP libraries' debug lines

    fake_openai.chat(
        model_note(
            summary="She argued with her brother Ignatius about the farm sale.",
            key_points=["Invented: Zephyrine relapsed on alcohol"],
            risks=[risk("active_ideation", "Zephyrine plans to jump from the bridge")],
        )
    )
    first = await support.typed_note(service, sender, MEMO, message_id="m1")
    fake_openai.chat_error(503, times=5, headers={"Retry-After": "0"})
    second = await support.typed_note(service, sender, MEMO + " Second memo.", message_id="m2")
    fake_openai.chat({"answer": "Zephyrine argued with Ignatius.", "cited_note_ids": [999], "found": True})
    answer = await service.answer(sender, "What did Zephyrine say about Ignatius?")

    assert first.note.writer == "llm" and second.note.writer == "offline-fallback" and answer.found
    assert "removed unsupported content" in caplog.text  # the guards did speak up...
    for secret in SECRETS:  # ...without saying what they removed, and nothing else leaked either
        assert secret not in caplog.text, secret
