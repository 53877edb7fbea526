"""A transactional session over an engine, with SQL errors turned into :class:`StoreError`.

The bottom of the store: tables and repositories use it, and it imports none of them.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlmodel import Session

from agent.errors import StoreError


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session committed on success, rolled back on error; SQL errors become StoreError."""
    try:
        with Session(engine) as session:
            yield session
            session.commit()
    except SQLAlchemyError as exc:
        raise StoreError(f"store error: {short_error(exc)}") from exc


def short_error(exc: SQLAlchemyError) -> str:
    """The first line of a SQLAlchemy error, without the SQL and the docs link."""
    orig = getattr(exc, "orig", None)
    return (str(orig if orig is not None else exc).splitlines() or [type(exc).__name__])[0]
