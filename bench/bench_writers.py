"""Load and key faults (issue 12): 8 processes start at once on a fresh database (SQLite data dir, then a
fresh PostgreSQL database) and each writes 50 typed notes as the same new therapist (`--as`, the CLI's
way), while `alliance backup` runs; the archive is restored elsewhere and its notes read back. Then the
key faults run against that database: a second machine without the key, a wrong key, a
deleted key file, keys rotated in the environment, and `alliance keys rotate` + `retire`. Prints JSON.

    .venv/bin/python bench/bench_writers.py                  # SQLite, and PostgreSQL when configured
    .venv/bin/python bench/bench_writers.py --db sqlite --processes 8 --notes 50

PostgreSQL runs in a throwaway database on the server named by ALLIANCE_TEST_DATABASE_URL.
Counted afterwards, in the database: notes and memos stored, therapists (one expected), notes that the
database's final key cannot open (zero expected), and each fault's exit code and first words.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.machine import machine  # noqa: E402

REPO = Path(__file__).resolve().parent.parent
NAME = "Dr. Bench Writer"
NOTE = ("Session with Maya Thompson today, visit {i} of writer {w}. She reported sleeping better and practised the "
        "breathing exercise twice. Homework: keep the thought record every evening.")


async def write_notes(writer: int, count: int) -> dict:
    """One process: start (migrations, keys), become the therapist, write `count` notes."""
    from bots.bootstrap import build_assistant
    from core.handlers import write_typed_note
    from core.types import AudioMemo

    started = time.perf_counter()
    service = build_assistant()
    sender = service.console_sender(NAME)
    who = service.who(sender)
    ok, errors = 0, []
    for i in range(count):
        try:
            reply = await write_typed_note(service.ctx, who, NOTE.format(i=i, w=writer), AudioMemo(f"w{writer}-n{i}", None,
                                                                                              client_hint="Maya Thompson"))
            ok += reply.note is not None
            if reply.note is None:
                errors.append(reply.text[:80])
        except Exception as error:  # counted, not hidden
            errors.append(type(error).__name__)
    service.ctx.uow.engine.dispose()
    return {"ok": ok, "errors": errors, "seconds": round(time.perf_counter() - started, 2)}


def run_cli(env: dict, *args: str) -> tuple[int, str]:
    done = subprocess.run([sys.executable, "-m", "bots.cli", *args], env=env, cwd=REPO, capture_output=True, text=True)
    return done.returncode, (done.stderr.strip() or done.stdout.strip()).splitlines()[0][:160] if (done.stderr or done.stdout) else ""


def counts(url: str, key_file: Path) -> dict:
    from sqlalchemy import text

    from storage.crypto import Cipher, configured_keys
    from storage.db import make_engine

    cipher = Cipher(configured_keys(None, key_file.parent))
    engine = make_engine(url)
    with engine.connect() as connection:
        tokens = [bytes(r[0]) for r in connection.execute(text("SELECT content_enc FROM note"))]
        out = {
            "notes": len(tokens),
            "memos": connection.execute(text("SELECT count(*) FROM memo")).scalar(),
            "therapists": connection.execute(text("SELECT count(*) FROM therapist")).scalar(),
            "clients": connection.execute(text("SELECT count(*) FROM client")).scalar(),
            "keys_recorded": connection.execute(text("SELECT count(*) FROM keyring WHERE kind='data'")).scalar(),
        }
    engine.dispose()
    out["notes_the_key_cannot_open"] = sum(cipher.key_of(t) is None for t in tokens)
    return out


def backup_during_load(env: dict, url: str, tmp: Path, key_file: Path) -> dict:
    """`alliance backup` while the writers write (once a tenth of the notes are in)."""
    while True:
        time.sleep(0.2)
        with contextlib.suppress(Exception):
            if key_file.exists() and counts(url, key_file)["notes"] >= 40:
                break
    started = time.perf_counter()
    code, line = run_cli(env, "backup", "--out", str(tmp / "backups"))
    took = time.perf_counter() - started
    archives = sorted((tmp / "backups").glob("alliance-backup-*.tar"))
    return {"exit": code, "seconds": round(took, 2), "line": line[:100], "archive": str(archives[-1]) if archives else None}


def restore_elsewhere(archive: str | None, tmp: Path, key_file: Path, restore_url: str | None) -> dict:
    """`alliance restore` into an empty data dir (or database) holding only a copy of the key: every note
    in the archive's manifest is read back."""
    import tarfile

    if archive is None:
        return {"exit": None}
    target = tmp / "restored"
    target.mkdir()
    (target / "secret.key").write_text(key_file.read_text())
    url = restore_url or f"sqlite:///{target / 'alliance.db'}"
    env = {**os.environ, "ALLIANCE_DATA_DIR": str(target), "ALLIANCE_DATABASE_URL": url, "ALLIANCE_LOG_LEVEL": "ERROR"}
    env.pop("ALLIANCE_SECRET_KEY", None)
    code, line = run_cli(env, "restore", archive)
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
    got = counts(url, target / "secret.key")
    return {"exit": code, "manifest_notes": manifest["counts"]["note"], "notes": got["notes"],
            "notes_the_key_cannot_open": got["notes_the_key_cannot_open"]}


def run(db: str, url: str | None, processes: int, notes: int, restore_url: str | None = None) -> dict:
    from cryptography.fernet import Fernet

    with tempfile.TemporaryDirectory(prefix="alliance-writers-") as tmp:
        data = Path(tmp) / "data"
        url = url or f"sqlite:///{data / 'alliance.db'}"
        env = {**os.environ, "ALLIANCE_DATA_DIR": str(data), "ALLIANCE_DATABASE_URL": url, "ALLIANCE_LOG_LEVEL": "ERROR"}
        env.pop("ALLIANCE_SECRET_KEY", None)
        started = time.perf_counter()
        procs = [subprocess.Popen([sys.executable, __file__, "--worker", str(w), "--notes", str(notes)], env=env, cwd=REPO,
                                  stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for w in range(processes)]
        backup = backup_during_load(env, url, Path(tmp), data / "secret.key")
        results = []
        for proc in procs:
            out, err = proc.communicate()
            results.append(json.loads(out) if proc.returncode == 0 and out.strip() else {"ok": 0, "errors": [err[-200:]]})
        load = {
            "processes": processes, "notes_each": notes, "wall_s": round(time.perf_counter() - started, 1),
            "written": sum(r["ok"] for r in results), "errors": sum(len(r["errors"]) for r in results),
            "error_samples": sorted({e for r in results for e in r["errors"]})[:5],
            **{f"after_load_{k}": v for k, v in counts(url, data / "secret.key").items()},
        }

        load["backup_during_load"] = backup
        load["restored"] = restore_elsewhere(backup.pop("archive", None), Path(tmp), data / "secret.key", restore_url)

        faults = {}
        other = {**env, "ALLIANCE_DATA_DIR": str(Path(tmp) / "second-machine")}
        faults["second_machine_no_key"] = run_cli(other, "note", "a note", "--as", NAME)
        wrong = {**env, "ALLIANCE_SECRET_KEY": Fernet.generate_key().decode()}
        faults["wrong_key"] = run_cli(wrong, "note", "a note", "--as", NAME)
        key_file = data / "secret.key"
        saved = key_file.read_text()
        key_file.unlink()
        faults["deleted_key_file"] = run_cli(env, "clients", "--as", NAME)
        faults["key_file_recreated"] = key_file.exists()
        key_file.write_text(saved)
        rotated = {**env, "ALLIANCE_SECRET_KEY": f"{Fernet.generate_key().decode()},{saved.strip()}"}
        faults["env_new_key_first_clients"] = run_cli(rotated, "clients", "--as", NAME)
        faults["rotate"] = run_cli(env, "keys", "rotate")
        old = subprocess.run([sys.executable, "-c", f"from storage.crypto import key_id; print(key_id({saved.strip()!r}))"],
                             cwd=REPO, capture_output=True, text=True).stdout.strip()
        faults["retire"] = run_cli(env, "keys", "retire", old)
        faults["after_retire_clients"] = run_cli(env, "clients", "--as", NAME)
        return {"db": db, "load": load, "faults": faults, "final": counts(url, key_file), "machine": machine()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", choices=["sqlite", "postgresql", "both"], default="both")
    parser.add_argument("--processes", type=int, default=8)
    parser.add_argument("--notes", type=int, default=50)
    parser.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker is not None:
        print(json.dumps(asyncio.run(write_notes(args.worker, args.notes))))
        return
    if args.db in ("sqlite", "both"):
        print(json.dumps(run("sqlite", None, args.processes, args.notes)))
    if args.db in ("postgresql", "both") and os.environ.get("ALLIANCE_TEST_DATABASE_URL"):
        from tests.pg import temporary_pg_database

        with temporary_pg_database("alliance_bench_writers") as url, temporary_pg_database("alliance_bench_restore") as target:
            print(json.dumps(run("postgresql", url, args.processes, args.notes, target)))


if __name__ == "__main__":
    with contextlib.suppress(BrokenPipeError):
        main()
