"""PostgreSQL for tests and benchmarks: a uniquely named database, created on the server named by
ALLIANCE_TEST_DATABASE_URL and dropped afterwards (WITH (FORCE), so a leaked connection cannot keep it).

tests/conftest.py provides the per-test `database_url` / `make_service` fixtures; this module holds the
pieces that also work outside pytest (bench/bench_digest.py) plus a module-scoped variant for test
modules that want one database for all their tests.
"""
from __future__ import annotations

import contextlib
import os
import re
import uuid
from typing import Iterator

SKIP_REASON = "PostgreSQL variant: set ALLIANCE_TEST_DATABASE_URL (e.g. postgresql://postgres@127.0.0.1:5432/test)"


def admin_url() -> str | None:
    url = os.environ.get("ALLIANCE_TEST_DATABASE_URL")
    return url.replace("postgresql+psycopg://", "postgresql://") if url else None


@contextlib.contextmanager
def temporary_pg_database(prefix: str = "alliance_test", url: str | None = None) -> Iterator[str]:
    """Yield the URL of a fresh, empty database; drop it on exit."""
    import psycopg

    admin = url or admin_url()
    if not admin:
        raise RuntimeError(SKIP_REASON)
    name = f"{re.sub(r'[^a-z0-9_]', '_', prefix.lower())[:40]}_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{admin.rsplit('/', 1)[0]}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def pg_module_database(request) -> Iterator[str]:
    """Body of a module-scoped fixture: `yield from pg_module_database(request)` (skips without a server)."""
    import pytest

    if not admin_url():
        pytest.skip(SKIP_REASON)
    with temporary_pg_database(f"alliance_{request.module.__name__.rsplit('.', 1)[-1]}") as url:
        yield url
