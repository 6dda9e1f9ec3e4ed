"""The IVP register: the plan in operation, kept in a database (SQLite or PostgreSQL) over
years; see docs/register.md. ``ivp register`` (ivp/application/cli/register_cmd.py) and the
app's Register page use it; ``ivp reserve --register`` reads its caseload and depot."""
