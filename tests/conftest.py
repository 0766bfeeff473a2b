"""Shared test setup: no proxies, no network, the shared real-data folder."""
from __future__ import annotations

import os
from pathlib import Path

import pytest

os.environ["NO_PROXY"] = "127.0.0.1,localhost"
os.environ["no_proxy"] = "127.0.0.1,localhost"
for _var in ("HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"):
    os.environ.pop(_var, None)

REPO = Path(__file__).resolve().parent.parent
SHARED_DATA = Path(os.environ.get("ALLIANCE_SHARED_DATA", REPO.parent / "shared" / "data"))


@pytest.fixture(scope="session")
def shared_data() -> Path:
    if not SHARED_DATA.is_dir():
        pytest.skip(f"shared data folder not found at {SHARED_DATA} (set ALLIANCE_SHARED_DATA)")
    return SHARED_DATA


# ---- databases: every storage test runs on SQLite and on PostgreSQL ---------------------------------
@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path):
    """A fresh empty database: a SQLite file, or a uniquely named PostgreSQL database dropped afterwards."""
    from tests.pg import SKIP_REASON, admin_url, temporary_pg_database

    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'alliance.db'}"
        return
    if not admin_url():
        pytest.skip(SKIP_REASON)
    with temporary_pg_database() as url:
        yield url


@pytest.fixture
def make_service(tmp_path, database_url):
    """Build real services over one database; engines are disposed before the database is dropped."""
    from bots.bootstrap import build_assistant
    from core.config import Settings

    built = []

    def make(**overrides):
        fields = {"data_dir": tmp_path / "data", "database_url": database_url, **overrides}
        parts = {k: fields.pop(k) for k in ("clock", "channels", "queue", "transcriber", "notifiers") if k in fields}
        service = build_assistant(Settings(**fields), **parts)
        built.append(service)
        return service

    yield make
    for service in built:
        service.ctx.uow.engine.dispose()
