"""`alliance notes …`, `alliance export` and the CLI's manners, driven exactly as an operator types them."""
from __future__ import annotations

import json
import os
import stat
import sys
import textwrap

import pytest

from bots.cli import build_parser, main

MAYA = ("Session with Maya Thompson today. She reported feeling anxious before the team meeting. "
        "We practised box breathing together. Homework: keep a thought record every evening. "
        "Next time check in on her father's visit.")
AS = ["--as", "Dr. Rivera"]


@pytest.fixture(autouse=True)
def data_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("ALLIANCE_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.delenv("ALLIANCE_DATABASE_URL", raising=False)
    return tmp_path / "data"


def run_json(capsys, *argv):
    code = main([*argv, "--json"])
    captured = capsys.readouterr()
    return code, json.loads(captured.out)


def test_list_show_edit_sign_copy_and_delete(capsys):
    code, note = run_json(capsys, "note", MAYA, *AS, "--date", "2026-11-20")
    code, mistake = run_json(capsys, "note", MAYA.replace("today", "on Friday"), *AS, "--date", "2027-06-01")
    code, listed = run_json(capsys, "notes", "list", *AS)
    assert code == 0 and [n["id"] for n in listed] == [mistake["note_id"], note["note_id"]]
    assert {k: listed[1][k] for k in ("client", "session_date", "format", "status")} == {
        "client": "Maya Thompson", "session_date": "2026-11-20", "format": "SOAP", "status": "final"}
    code, ranged = run_json(capsys, "notes", "list", *AS, "--from", "2026-11-01", "--to", "2026-11-30", "--client", "maya")
    assert [n["id"] for n in ranged] == [note["note_id"]]

    nid = str(note["note_id"])
    code, edited = run_json(capsys, "notes", "edit", nid, "Plan: start exposure next week", *AS)
    assert code == 0 and edited["version"] == 2 and edited["sections"]["Plan"] == "start exposure next week"
    code, edited = run_json(capsys, "notes", "edit", nid, "remove homework 1", *AS)
    assert edited["homework"] == [] and edited["version"] == 3
    code, shown = run_json(capsys, "notes", "show", nid, *AS)
    assert shown["version"] == 3 and shown["status"] == "final"
    code, first = run_json(capsys, "notes", "show", nid, "--version", "1", *AS)
    assert first["version"] == 1 and "thought record" in " ".join(first["homework"])
    code, refused = run_json(capsys, "notes", "edit", nid, "make it nicer", *AS)
    assert code == 1 and "Plan: start exposure next week" in refused["error"]

    code, signed = run_json(capsys, "notes", "sign", nid, *AS)
    assert signed["status"] == "signed" and signed["signed_at"]
    code, after = run_json(capsys, "notes", "edit", nid, "Plan: weekly", *AS)
    assert after["sections"]["Plan"] == "start exposure next week" and after["addenda"][0]["text"] == "Plan now reads: weekly"
    assert main(["notes", "copy", nid, *AS]) == 0
    copied = capsys.readouterr().out
    assert copied.startswith("SOAP progress note\nClient: Maya Thompson") and "Electronically signed by Dr. Rivera" in copied
    assert "PLAN:\nstart exposure next week" in copied and "ADDENDUM" in copied
    code, heard = run_json(capsys, "notes", "transcript", nid, *AS)
    assert heard["transcript"] == MAYA and heard["typed"]

    assert main(["notes", "delete", str(mistake["note_id"]), "--yes", *AS]) == 0  # the 2027 note by mistake
    capsys.readouterr()
    code, listed = run_json(capsys, "notes", "list", *AS)
    assert [n["id"] for n in listed] == [note["note_id"]]
    code, gone = run_json(capsys, "notes", "show", str(mistake["note_id"]), *AS)
    assert code == 1 and "can't find that note" in gone["error"]


def test_a_draft_is_resolved_from_the_cli_with_cli_hints(capsys):
    assert main(["clients", *AS, "--add", "Maya Thompson", "--add", "Mara Thompson"]) == 0
    capsys.readouterr()
    assert main(["note", "Session today with Ms. Thompson. She felt calmer this week.", *AS]) == 0
    out = capsys.readouterr().out
    assert "[1]" not in out and "alliance notes assign" in out and "/clients" not in out
    code, drafts = run_json(capsys, "notes", "list", "--drafts", *AS)
    [draft] = drafts
    assert draft["status"] == "draft" and draft["client"] is None
    code, filed = run_json(capsys, "notes", "assign", str(draft["id"]), "--client", "Maya Thompson", *AS)
    assert filed["client"] == "Maya Thompson" and filed["status"] == "final"
    code, drafts = run_json(capsys, "notes", "list", "--drafts", *AS)
    assert drafts == []


def test_editing_in_the_editor(capsys, tmp_path, monkeypatch):
    script = tmp_path / "editor.py"
    script.write_text(textwrap.dedent("""
        import sys
        path = sys.argv[1]
        text = open(path).read()
        text = text.replace("[Assessment]\\n", "[Assessment]\\nAnxiety lower than last month.\\n")
        text = text.replace("- Keep a thought record every evening.", "- Walk 20 minutes daily")
        open(path, "w").write(text)
    """))
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    code, note = run_json(capsys, "note", MAYA, *AS)
    code, edited = run_json(capsys, "notes", "edit", str(note["note_id"]), *AS)
    assert code == 0 and edited["version"] == 2
    assert edited["sections"]["Assessment"].startswith("Anxiety lower than last month.")
    assert edited["homework"] == ["Walk 20 minutes daily"]
    monkeypatch.setenv("EDITOR", "true")  # saved nothing
    code, same = run_json(capsys, "notes", "edit", str(note["note_id"]), *AS)
    assert same["version"] == 2


def test_export_markdown_and_pdf_safely(capsys, tmp_path, data_dir):
    main(["note", MAYA, *AS])
    out = tmp_path / "maya.md"
    assert main(["export", *AS, "--client", "Maya Thompson", "--out", str(out)]) == 0
    assert "box breathing" in out.read_text() and stat.S_IMODE(out.stat().st_mode) == 0o600
    assert main(["export", *AS, "--client", "Maya Thompson", "--out", str(out)]) == 1  # no silent overwrite
    assert "--force" in capsys.readouterr().err
    out.write_text("old")
    out.chmod(0o644)
    assert main(["export", *AS, "--client", "Maya Thompson", "--out", str(out), "--force"]) == 0
    assert "box breathing" in out.read_text() and stat.S_IMODE(out.stat().st_mode) == 0o600

    key = data_dir / "secret.key"
    before = key.read_bytes()
    assert main(["export", *AS, "--client", "Maya Thompson", "--out", str(key), "--force"]) == 1
    assert key.read_bytes() == before and "data folder" in capsys.readouterr().err
    target = tmp_path / "elsewhere.txt"
    target.write_text("keep me")
    link = tmp_path / "link.md"
    link.symlink_to(target)
    assert main(["export", *AS, "--client", "Maya Thompson", "--out", str(link), "--force"]) == 1
    assert target.read_text() == "keep me" and "symbolic link" in capsys.readouterr().err

    pdf = tmp_path / "maya.pdf"
    code, done = run_json(capsys, "export", *AS, "--client", "Maya Thompson", "--out", str(pdf))
    assert code == 0 and done["format"] == "pdf" and pdf.read_bytes().startswith(b"%PDF") and done["bytes"] > 1000
    code, inline = run_json(capsys, "export", *AS, "--client", "Maya Thompson")
    assert inline["format"] == "markdown" and "# Maya Thompson — session notes" in inline["content"]


def test_manners(capsys, monkeypatch):
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.startswith("alliance ")

    def actions(parser):
        for action in parser._actions:
            if hasattr(action, "choices") and isinstance(action.choices, dict):
                for sub in action.choices.values():
                    yield from actions(sub)
            else:
                yield parser.prog, action

    missing = [f"{prog} {a.dest}" for prog, a in actions(build_parser()) if not a.help and a.dest != "help"]
    assert missing == []

    main(["note", MAYA, "--as", "Dr. Rivera"])
    capsys.readouterr()
    code, clients = run_json(capsys, "clients", "--as", "Dr Rivera")  # one therapist however punctuated
    assert [c["name"] for c in clients] == ["Maya Thompson"]
    monkeypatch.setattr("sys.stdin", open(os.devnull))
    assert main(["clients", "--as", "Rivera"]) == 1  # resembles Dr. Rivera: asked, not silently a second
    assert "Dr. Rivera" in capsys.readouterr().err
    assert main(["forget", "--as", "Dr. Rivera", "--client", "Maya Thompson"]) == 1  # end of input at the question
    err = capsys.readouterr().err
    assert "Cancelled" in err and "Something went wrong" not in err
    assert main(["notes", "delete", "1", "--as", "Dr. Rivera"]) == 1
    assert "Cancelled" in capsys.readouterr().err
    code, still = run_json(capsys, "notes", "list", "--as", "Dr. Rivera")
    assert len(still) == 1
    code, err_json = run_json(capsys, "export", "--as", "Dr. Rivera", "--client", "Nobody Known")
    assert code == 1 and "alliance clients" in err_json["error"] and "/clients" not in err_json["error"]
    code, sessions = run_json(capsys, "appointment", "list", "--as", "Dr. Rivera")  # --json honoured here too
    assert code == 0 and sessions == []
    assert main(["appointment", "list", "--as", "Dr. Rivera"]) == 0
    out = capsys.readouterr().out
    assert "alliance appointment add" in out and "/schedule" not in out
    code, added = run_json(capsys, "appointment", "add", "--as", "Dr. Rivera", "--client", "Maya", "--at", "2030-01-07 10:00")
    assert added["message"].startswith("Scheduled")
