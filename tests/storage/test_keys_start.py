"""Starting: any number of processes at once on a fresh database agree on one key and one therapist per
name; the data dir and database files are private (and made so, when they were not)."""
from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

from sqlalchemy import text

REPO = Path(__file__).resolve().parents[2]
START = """
import sys
from bots.bootstrap import build_assistant
service = build_assistant()
sender = service.console_sender("Dr. Noor Haddad")
print(service.ctx.uow.cipher.primary_id, service.therapist_id(sender))
"""


def test_processes_starting_at_once_agree_on_one_key_and_one_therapist(tmp_path, database_url):
    env = {**os.environ, "ALLIANCE_DATA_DIR": str(tmp_path / "data"), "ALLIANCE_DATABASE_URL": database_url}
    env.pop("ALLIANCE_SECRET_KEY", None)
    procs = [subprocess.Popen([sys.executable, "-c", START], env=env, cwd=REPO, stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for _ in range(4)]
    results = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [0] * 4, [err[-500:] for _, err in results]
    assert len({out for out, _ in results}) == 1  # the same key id and the same therapist everywhere
    assert len((tmp_path / "data" / "secret.key").read_text().strip().split(",")) == 1

    from storage.db import make_engine

    engine = make_engine(database_url)
    with engine.connect() as connection:
        assert connection.execute(text("SELECT count(*) FROM therapist")).scalar() == 1
        assert connection.execute(text("SELECT count(*) FROM keyring WHERE kind = 'data'")).scalar() == 1
    engine.dispose()


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_the_data_dir_and_database_files_are_private(tmp_path, caplog):
    from bots.bootstrap import build_assistant
    from core.config import Settings

    data = tmp_path / "data"
    data.mkdir(mode=0o755)
    os.chmod(data, 0o755)
    settings = Settings(data_dir=data)
    service = build_assistant(settings)
    service.console_sender("Dr. Noor Haddad")
    assert mode(data) == 0o700
    assert "readable by others" in caplog.text  # said, not silently changed
    files = [data / "alliance.db", data / "alliance.db-wal", data / "alliance.db-shm", data / "secret.key"]
    assert {f.name: mode(f) for f in files if f.exists()} == {f.name: 0o600 for f in files if f.exists()}
    service.ctx.uow.engine.dispose()

    os.chmod(data / "alliance.db", 0o644)
    service = build_assistant(settings)
    assert mode(data / "alliance.db") == 0o600
    service.ctx.uow.engine.dispose()
