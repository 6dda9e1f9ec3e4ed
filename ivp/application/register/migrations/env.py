"""Alembic's environment for the register: always run from :func:`ivp.application.register.database.migrate`
on the connection it passes (there is no alembic.ini; the URL comes from ``--db``)."""

from alembic import context

from ivp.application.register.schema import Base

connection = context.config.attributes["connection"]
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
