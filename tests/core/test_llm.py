"""The model call policy against a local fake OpenAI server, through the real openai client."""
from __future__ import annotations

import logging

import pytest
from pydantic import BaseModel

from core.config import Settings
from core.models.client import LLM, LLMError, strict_schema
from tests.fakes.openai_api import fake_openai  # noqa: F401  (fixture)


class Reply(BaseModel):
    answer: str
    found: bool


def make_llm(fake, tmp_path, sleeps, **overrides) -> LLM:
    settings = Settings(
        data_dir=tmp_path, llm="openai", openai_base_url=fake.url + "/v1", openai_api_key="test-key", **overrides
    )
    return LLM(settings, sleep=sleeps.append)


MESSAGES = [{"role": "user", "content": "hello"}]


def test_rate_limit_with_retry_after_is_waited_out_then_answered(fake_openai, tmp_path):
    sleeps: list[float] = []
    fake_openai.chat_error(429, headers={"Retry-After": "2"}).chat({"answer": "yes", "found": True})
    result = make_llm(fake_openai, tmp_path, sleeps).call_json(MESSAGES, Reply, name="reply")
    assert result == Reply(answer="yes", found=True)
    assert sleeps == [2.0]  # exactly what the server asked for
    assert len(fake_openai.chat_requests()) == 2


def test_retry_after_ms_is_honoured(fake_openai, tmp_path):
    sleeps: list[float] = []
    fake_openai.chat_error(503, headers={"retry-after-ms": "250"}).chat({"answer": "ok", "found": True})
    make_llm(fake_openai, tmp_path, sleeps).call_json(MESSAGES, Reply, name="reply")
    assert sleeps == [0.25]


def test_server_errors_back_off_exponentially_then_give_up(fake_openai, tmp_path):
    sleeps: list[float] = []
    fake_openai.chat_error(503, times=5)
    with pytest.raises(LLMError) as caught:
        make_llm(fake_openai, tmp_path, sleeps).call_json(MESSAGES, Reply, name="reply")
    assert caught.value.kind == "unavailable"
    assert len(fake_openai.chat_requests()) == 5  # the first try and llm_max_retries=4 retries, no more
    assert len(sleeps) == 4
    for attempt, delay in enumerate(sleeps):  # equal jitter: between half and all of base * 2**attempt
        ceiling = min(20.0, 0.5 * 2**attempt)
        assert ceiling / 2 <= delay <= ceiling


@pytest.mark.parametrize(
    "status, code, kind",
    [(400, None, "rejected"), (401, "invalid_api_key", "auth"), (403, None, "auth"), (429, "insufficient_quota", "quota")],
)
def test_errors_that_waiting_cannot_fix_are_not_retried(fake_openai, tmp_path, status, code, kind):
    sleeps: list[float] = []
    fake_openai.chat_error(status, code=code).chat({"answer": "never", "found": True})
    with pytest.raises(LLMError) as caught:
        make_llm(fake_openai, tmp_path, sleeps).call_json(MESSAGES, Reply, name="reply")
    assert caught.value.kind == kind
    assert len(fake_openai.chat_requests()) == 1 and sleeps == []


def test_a_wrong_key_says_so_without_repeating_it(fake_openai, tmp_path):
    sleeps: list[float] = []
    settings = Settings(data_dir=tmp_path, openai_base_url=fake_openai.url + "/v1", openai_api_key="sk-wrongwrongwrongwrong")
    with pytest.raises(LLMError) as caught:
        LLM(settings, sleep=sleeps.append).call_json(MESSAGES, Reply, name="reply")
    assert caught.value.kind == "auth"
    assert "wrongwrong" not in str(caught.value)


def test_a_server_asking_for_a_long_wait_is_not_waited_for(fake_openai, tmp_path):
    sleeps: list[float] = []
    fake_openai.chat_error(429, headers={"Retry-After": "600"})
    with pytest.raises(LLMError):
        make_llm(fake_openai, tmp_path, sleeps).call_json(MESSAGES, Reply, name="reply")
    assert sleeps == [] and len(fake_openai.chat_requests()) == 1


def test_slow_model_times_out_and_is_retried_a_bounded_number_of_times(fake_openai, tmp_path):
    sleeps: list[float] = []
    fake_openai.chat({"answer": "late", "found": True}, delay_s=1.0)
    fake_openai.chat({"answer": "late", "found": True}, delay_s=1.0)
    llm = make_llm(fake_openai, tmp_path, sleeps, llm_timeout_s=0.2, llm_max_retries=1)
    with pytest.raises(LLMError) as caught:
        llm.call_json(MESSAGES, Reply, name="reply")
    assert caught.value.kind == "timeout"
    assert len(fake_openai.chat_requests()) == 2


def test_request_asks_for_strict_json_schema_and_no_tools(fake_openai, tmp_path):
    fake_openai.chat({"answer": "fine", "found": False})
    make_llm(fake_openai, tmp_path, []).call_json(MESSAGES, Reply, name="reply")
    body = fake_openai.chat_requests()[0].json
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["strict"] is True
    assert body["response_format"]["json_schema"]["schema"] == strict_schema(Reply)
    assert strict_schema(Reply)["additionalProperties"] is False
    assert "tools" not in body and "functions" not in body
    assert body["model"] == "gpt-4o-mini"


def test_output_outside_the_schema_is_refused(fake_openai, tmp_path, caplog):
    fake_openai.chat("Sure! Here is every client: Maya Thompson, Daniel Okafor", raw=True)
    with caplog.at_level(logging.DEBUG), pytest.raises(LLMError) as caught:
        make_llm(fake_openai, tmp_path, []).call_json(MESSAGES, Reply, name="reply")
    assert caught.value.kind == "invalid_output"
    assert "Maya" not in str(caught.value) and "Maya" not in caplog.text


def test_truncated_output_is_refused(fake_openai, tmp_path):
    fake_openai.chat({"answer": "half", "found": True}, finish_reason="length")
    with pytest.raises(LLMError) as caught:
        make_llm(fake_openai, tmp_path, []).call_json(MESSAGES, Reply, name="reply")
    assert caught.value.kind == "invalid_output"


def test_models_list_checks_key_and_model(fake_openai, tmp_path):
    llm = make_llm(fake_openai, tmp_path, [])
    assert llm.check() == "reachable, key accepted"
    fake_openai.models = ["llama3.1"]
    assert "not among" in llm.check()
