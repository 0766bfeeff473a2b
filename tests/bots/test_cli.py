"""The terminal channel, driven exactly as an operator types it."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from bots.cli import main

MAYA_MEMO = (
    "Session with Maya Thompson today. She reported feeling anxious before the team meeting. "
    "We practised box breathing together. Homework: keep a thought record every evening. "
    "Next time check in on her father's visit."
)


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ALLIANCE_DATABASE_URL", raising=False)
    return tmp_path / "data"


def run_json(capsys, *argv) -> tuple[int, object]:
    code = main([*argv, "--json"])
    out = capsys.readouterr().out
    return code, json.loads(out)


def test_memo_file_to_note_json(capsys, shared_data):
    code, note = run_json(
        capsys, "memo", str(shared_data / "speech/formats/jfk.m4a"), "--as", "Dr. Rivera",
        "--client", "Arthur Bell", "--date", "2026-11-20", "--format", "BIRP",
    )
    assert code == 0
    assert note["client"] == "Arthur Bell" and note["session_date"] == "2026-11-20" and note["format"] == "BIRP"
    assert list(note["sections"]) == ["Behavior", "Intervention", "Response", "Plan"]
    for key in ("summary", "key_points", "homework", "follow_ups", "measures", "risks", "alliance"):
        assert key in note
    assert "country" in " ".join(note["sections"].values()).lower()


def test_typed_note_question_and_digest(capsys):
    assert main(["note", MAYA_MEMO, "--as", "Dr. Rivera", "--date", "2026-11-20"]) == 0
    capsys.readouterr()
    code, answer = run_json(capsys, "ask", "what homework did I give Maya?", "--as", "Dr. Rivera")
    assert code == 0 and "thought record" in answer["answer"]
    assert answer["citations"] == [{"client": "Maya Thompson", "session_date": "2026-11-20", "note_id": 1}]

    assert main(["appointment", "add", "--as", "Dr. Rivera", "--client", "Maya", "--at", "2026-11-27 10:00"]) == 0
    capsys.readouterr()
    code, digest = run_json(capsys, "digest", "--as", "Dr. Rivera", "--day", "2026-11-27")
    assert code == 0
    [item] = digest["items"]
    assert item["client"] == "Maya Thompson" and item["time"] == "10:00" and item["last_session"] == "2026-11-20"
    assert any("thought record" in h for h in item["homework"])
    assert any("father" in f for f in item["follow_ups"])


def test_unknown_question_says_no_note(capsys):
    main(["note", MAYA_MEMO, "--as", "Dr. Rivera"])
    capsys.readouterr()
    code, answer = run_json(capsys, "ask", "what did Maya say about her divorce?", "--as", "Dr. Rivera")
    assert code == 1 and answer["answer"].startswith("I have no note about that") and answer["citations"] == []


def test_another_therapist_sees_nothing(capsys):
    main(["note", MAYA_MEMO, "--as", "Dr. Rivera"])
    capsys.readouterr()
    code, answer = run_json(capsys, "ask", "what did Maya mention last time?", "--as", "Dr. Someone Else")
    assert code == 1 and "anxious" not in answer["answer"] and answer["citations"] == []
    code, clients = run_json(capsys, "clients", "--as", "Dr. Someone Else")
    assert clients == []


def test_export_and_forget(capsys, tmp_path):
    main(["note", MAYA_MEMO, "--as", "Dr. Rivera"])
    out = tmp_path / "maya.md"
    assert main(["export", "--as", "Dr. Rivera", "--client", "Maya Thompson", "--out", str(out)]) == 0
    assert "box breathing" in out.read_text()
    assert main(["forget", "--as", "Dr. Rivera", "--client", "Maya Thompson", "--yes"]) == 0
    capsys.readouterr()
    code, answer = run_json(capsys, "ask", "what did Maya mention last time?", "--as", "Dr. Rivera")
    assert code == 1 and "anxious" not in answer["answer"]


def test_bad_inputs_get_clear_messages(capsys, shared_data):
    assert main(["memo", str(shared_data / "speech/formats/not-audio.txt"), "--as", "Dr. Rivera"]) == 1
    assert "audio" in capsys.readouterr().err.lower()
    assert main(["memo", "/no/such/file.ogg", "--as", "Dr. Rivera"]) == 2
    assert "No file" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["memo", "x.ogg", "--as", "Dr. Rivera", "--format", "XYZ"])
    assert main(["export", "--as", "Dr. Rivera", "--client", "Nobody Known"]) == 1


def test_invite_json(capsys, monkeypatch):
    monkeypatch.setenv("TELEGRAM_BOT_USERNAME", "alliance_practice_bot")
    code, invite = run_json(capsys, "invite", "Dr. Rivera")
    assert code == 0 and invite["therapist"] == "Dr. Rivera"
    assert invite["telegram_link"] == f"https://t.me/alliance_practice_bot?start={invite['code']}"
    assert invite["expires_at"]


def test_chat_session(capsys, shared_data):
    import asyncio

    from bots.console import chat
    from bots.bootstrap import build_assistant

    lines = iter([f"/note {MAYA_MEMO}", "what did Maya mention last time?", "/bogus", "/quit"])
    assert asyncio.run(chat(build_assistant(), "Dr. Rivera", lines)) == 0
    out = capsys.readouterr().out
    assert "Maya Thompson" in out and "anxious" in out and "I don't know /bogus" in out


def test_demo_runs_offline(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "bots.cli", "demo"], capture_output=True, text=True, timeout=300,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "NO_PROXY": "*", "HF_HUB_OFFLINE": "1"},
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert "Prep digest" in result.stdout and "Maya" in result.stdout and "Daniel" in result.stdout
    assert result.stdout.count("Note for ") >= 3


def test_clients_added_up_front_are_used_for_memos(capsys, shared_data):
    assert main(["clients", "--as", "Dr. Rivera", "--add", "Daniel Okafor", "--alias", "Danny"]) == 0
    assert main(["clients", "--as", "Dr. Rivera", "--add", "Maya Thompson", "--add", "maya thompson"]) == 0  # no duplicate
    assert capsys.readouterr().out.split("\n")[-3:-1] == ["Daniel Okafor", "Maya Thompson"]
    code, clients = run_json(capsys, "clients", "--as", "Dr. Rivera")
    assert [c["name"] for c in clients] == ["Daniel Okafor", "Maya Thompson"] and clients[0]["aliases"] == ["Danny"]
    code, note = run_json(capsys, "note", "Saw Danny today. He felt hopeful about the job search.", "--as", "Dr. Rivera")
    assert note["client"] == "Daniel Okafor"


def test_memo_resume_finishes_what_a_killed_command_left_half_way(tmp_path, monkeypatch, capsys, shared_data):
    """`alliance memo` killed after any step leaves the memo in that state; `--resume` finishes each once."""
    import json

    from bots.bootstrap import build_assistant
    from bots.cli import main
    from core.config import Settings
    from core.types import AudioMemo
    from tests import support

    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ALLIANCE_DATABASE_URL", raising=False)
    service = build_assistant(Settings(data_dir=tmp_path / "data", database_url=None))
    sender = service.console_sender("Dr. Osei")
    tid = service.therapist_id(sender)
    jfk = (shared_data / "speech/formats/jfk.ogg").read_bytes()
    import asyncio

    left = {}
    for step in ("received", "fetched", "transcribed"):
        receipt = asyncio.run(service.receive_memo(sender, AudioMemo(f"cut-{step}", jfk, "memo.ogg", client_hint="Lena Brandt")))
        fields = {"status": step}
        if step == "transcribed":
            fields["transcript"] = "Session with Lena Brandt today. She slept better after the breathing exercise."
        support.update_memo(service, tid, receipt.memo_id, **fields)
        left[step] = receipt.memo_id
    service.ctx.uow.engine.dispose()

    assert main(["memo", "--resume", "--as", "Dr. Osei", "--json"]) == 0
    out = capsys.readouterr().out
    finished = [json.loads(block) for block in out.replace("}\n{", "}\n\x00{").split("\x00")]
    assert sorted(n["memo_id"] for n in finished) == sorted(left.values())
    assert all(n["client"] == "Lena Brandt" for n in finished)
    assert main(["memo", "--resume", "--as", "Dr. Osei"]) == 0
    assert "No memo was left unfinished" in capsys.readouterr().err
