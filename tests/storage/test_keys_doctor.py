"""`alliance doctor` says what a start would refuse (the key against the database's fingerprints), and
what would hurt later: files readable by others, a disk that is full or nearly so."""
from __future__ import annotations

import errno
import os
from collections import namedtuple

from cryptography.fernet import Fernet

from bots.doctor import check_files, check_secret_key
from core.config import Settings


def settings_for(tmp_path, database_url, **kw) -> Settings:
    return Settings(data_dir=tmp_path / "data", database_url=database_url, **kw)


def test_the_key_is_checked_against_the_database(make_service, tmp_path, database_url):
    make_service().console_sender("Dr. Lena Ortiz")
    assert check_secret_key(settings_for(tmp_path, database_url)).status == "OK"
    wrong = check_secret_key(settings_for(tmp_path, database_url, secret_key=Fernet.generate_key().decode()))
    assert wrong.status == "PROBLEM" and "cannot decrypt the stored data" in wrong.detail
    elsewhere = check_secret_key(Settings(data_dir=tmp_path / "second-machine", database_url=database_url))
    assert elsewhere.status == "PROBLEM" and "is missing but the database holds encrypted data" in elsewhere.detail
    assert not (tmp_path / "second-machine").exists()  # doctor only looks


def test_loose_modes_and_a_full_disk_are_problems(tmp_path, monkeypatch):
    from bots.bootstrap import build_assistant

    settings = Settings(data_dir=tmp_path / "data")
    build_assistant(settings).ctx.uow.engine.dispose()
    assert check_files(settings).status == "OK"
    os.chmod(tmp_path / "data" / "alliance.db", 0o644)
    loose = check_files(settings)
    assert loose.status == "PROBLEM" and "alliance.db has mode 644" in loose.detail
    os.chmod(tmp_path / "data" / "alliance.db", 0o600)

    usage = namedtuple("usage", "total used free")
    monkeypatch.setattr("shutil.disk_usage", lambda _: usage(10 << 30, (10 << 30) - (50 << 20), 50 << 20))
    assert "only 50 MB free" in check_files(settings).detail

    real_open = open

    def full(path, *args, **kw):
        if ".doctor-" in str(path):
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_open(path, *args, **kw)

    monkeypatch.setattr("builtins.open", full)
    result = check_files(settings)
    assert result.status == "PROBLEM" and "the disk is full" in result.detail
