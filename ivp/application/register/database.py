"""Where the register lives and how it is opened: SQLite in a file (the default, nothing to
install) or PostgreSQL by URL, brought to the newest schema by Alembic's migrations.

The register is named by ``--db`` (a URL such as ``postgresql://user@server/ivp``, or a
file path for SQLite), else by the environment variable :data:`ENV_URL`, else
:data:`DEFAULT_FILE` in the current folder. Every change runs in one transaction
(:meth:`Database.transaction`): an interrupted command leaves the register as it was. On
SQLite a writer takes the write lock when its transaction begins (``BEGIN IMMEDIATE``) and
another writer waits for it (up to :data:`LOCK_WAIT_SECONDS`) instead of failing, so two
users recording at once both land.
"""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, event
from sqlalchemy.engine import URL, Engine, make_url
from sqlalchemy.exc import ArgumentError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from ivp.domain.errors import InputError

ENV_URL = "IVP_REGISTER"
"""Environment variable naming the register when ``--db`` is not given."""
DEFAULT_FILE = "ivp-register.sqlite"
"""The SQLite file used when neither ``--db`` nor :data:`ENV_URL` names a register."""
LOCK_WAIT_SECONDS = 30
"""How long a SQLite writer waits for another's transaction before giving up."""
MIGRATIONS = Path(__file__).parent / "migrations"


def register_url(db: str | None = None) -> URL:
    """The register's URL from ``--db``, :data:`ENV_URL` or :data:`DEFAULT_FILE`; a plain
    path means a SQLite file, ``postgresql://`` takes the psycopg (3) driver."""
    given = db or os.environ.get(ENV_URL) or DEFAULT_FILE
    if "://" not in given:
        return URL.create("sqlite", database=str(Path(given).expanduser().resolve()))
    try:
        url = make_url(given)
    except ArgumentError:
        raise InputError.single("--db", "", "register_url_bad", url=_shown(given)) from None
    if url.drivername == "postgresql":
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        raise InputError.single("--db", "", "register_backend", backend=url.get_backend_name())
    return url


def _shown(text: str) -> str:
    """A URL as it may be printed: without its password."""
    try:
        return make_url(text).render_as_string(hide_password=True)
    except ArgumentError:
        return text.split("@")[-1]


def _alembic(connection) -> Config:
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    config.attributes["connection"] = connection
    return config


def head_revision() -> str:
    return ScriptDirectory.from_config(_alembic(None)).get_current_head()


@dataclass
class Database:
    """An open register: its engine and a session per transaction."""

    engine: Engine

    @property
    def label(self) -> str:
        """The register as shown to users (no password)."""
        url = self.engine.url
        return url.database if url.get_backend_name() == "sqlite" else url.render_as_string(hide_password=True)

    def revision(self) -> str | None:
        with self.engine.connect() as connection:
            return MigrationContext.configure(connection).get_current_revision()

    def migrate(self, revision: str = "head") -> None:
        """Bring the schema to ``revision`` (the newest by default) in one transaction."""
        with self.engine.begin() as connection:
            command.upgrade(_alembic(connection), revision)

    def downgrade(self, revision: str) -> None:
        with self.engine.begin() as connection:
            command.downgrade(_alembic(connection), revision)

    def check_current(self) -> None:
        """Refuse a database that is not a register at the newest schema, saying what to do."""
        current = self.revision()
        if current is None:
            raise InputError.single("--db", "", "register_empty", register=self.label)
        if current != head_revision():
            raise InputError.single("--db", "", "register_outdated", register=self.label, found=current,
                                    head=head_revision())

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Session]:
        """A session whose changes are committed together at the end, or not at all."""
        with self._sessions() as session, session.begin():
            yield session

    @contextlib.contextmanager
    def reading(self) -> Iterator[Session]:
        with self._sessions() as session:
            yield session

    def _sessions(self) -> Session:
        return sessionmaker(self.engine, expire_on_commit=False)()

    def dispose(self) -> None:
        self.engine.dispose()


def connect(db: str | URL | None = None, create: bool = False) -> Database:
    """Open (without checking its schema) the register named by ``db``; a SQLite file that
    does not exist is made only when ``create`` (``ivp register init``), else refused."""
    url = db if isinstance(db, URL) else register_url(db)
    if url.get_backend_name() == "sqlite":
        if url.database and not Path(url.database).parent.is_dir():
            raise InputError.single("--db", "", "register_folder_missing", folder=str(Path(url.database).parent))
        if url.database and not create and not Path(url.database).exists():
            raise InputError.single("--db", "", "register_empty", register=url.database)
        engine = create_engine(url, connect_args={"timeout": LOCK_WAIT_SECONDS})
        _sqlite_transactions(engine)
    else:
        engine = create_engine(url, pool_pre_ping=True)
    database = Database(engine)
    try:
        with engine.connect():
            pass
    except OperationalError as error:
        engine.dispose()
        reason = str(error.orig).strip().splitlines()[0] if error.orig else str(error)
        raise InputError.single("--db", "", "register_unreachable", register=database.label,
                                reason=reason[:200]) from None
    return database


def open_register(db: str | URL | None = None) -> Database:
    """Open the register named by ``db`` and check that it is at the newest schema."""
    database = connect(db)
    try:
        database.check_current()
    except InputError:
        database.dispose()
        raise
    return database


def _sqlite_transactions(engine: Engine) -> None:
    """SQLite: foreign keys on, and a transaction takes the write lock when it begins (the
    pysqlite driver would otherwise begin lazily, and two writers could deadlock)."""

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection, _record):
        dbapi_connection.isolation_level = None
        dbapi_connection.execute("PRAGMA foreign_keys = ON")

    @event.listens_for(engine, "begin")
    def _begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")
