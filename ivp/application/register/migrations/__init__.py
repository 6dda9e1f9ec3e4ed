"""Alembic's migrations of the register's schema (env.py, versions/); run by
:meth:`ivp.application.register.database.Database.migrate`."""
