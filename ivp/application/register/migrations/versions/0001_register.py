"""The register: clients, IVPs and earmarks, meldingen, deliveries, the depot, releases and
the append-only audit log.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None

MONEY = sa.Numeric(12, 2, asdecimal=False)
ID = sa.String(64)


def _one_of(column, values):
    return sa.CheckConstraint(f"{column} IN ({', '.join(repr(v) for v in values)})", name=f"{column}_known")


def upgrade() -> None:
    op.create_table(
        "clients",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("dossier", ID, nullable=False, unique=True),
        sa.Column("name", sa.String(200)),
        sa.Column("diagnosis_date", sa.Date, nullable=False),
        sa.Column("profile", sa.JSON, nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("status_on", sa.Date),
        _one_of("status", ("active", "deceased", "wlz", "moved")),
    )
    op.create_table(
        "ivps",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("client_id", sa.Integer, sa.ForeignKey("clients.id"), nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("issued_on", sa.Date, nullable=False),
        sa.Column("scenario", sa.String(200), nullable=False),
        sa.Column("replications", sa.Integer, nullable=False),
        sa.Column("seed", sa.BigInteger),
        sa.Column("price_year", sa.Integer, nullable=False),
        sa.UniqueConstraint("client_id", "version"),
    )
    op.create_table(
        "earmarks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("ivp_id", sa.Integer, sa.ForeignKey("ivps.id"), nullable=False),
        sa.Column("provision_id", ID, nullable=False),
        sa.Column("financier", sa.String(8), nullable=False),
        sa.Column("amount_eur", MONEY, nullable=False),
        sa.Column("probability", sa.Float),
        sa.Column("need_p50", sa.Date),
        sa.Column("request_by", sa.Date),
        sa.UniqueConstraint("ivp_id", "provision_id"),
    )
    op.create_table(
        "meldingen",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("client_id", sa.Integer, sa.ForeignKey("clients.id"), nullable=False),
        sa.Column("provision_id", ID, nullable=False),
        sa.Column("financier", sa.String(8), nullable=False),
        sa.Column("route", sa.String(32), nullable=False),
        sa.Column("melding_on", sa.Date, nullable=False),
        *(sa.Column(name, sa.Date) for name in ("confirmed_on", "advised_on", "decided_on")),
        sa.Column("decision", sa.String(16)),
        *(sa.Column(name, sa.Date) for name in ("fitted_on", "delivered_on", "closed_on")),
        sa.Column("closed_reason", sa.String(16)),
        _one_of("route", ("protocol", "current_practice", "pgb")),
        _one_of("decision", ("granted", "refused")),
        _one_of("closed_reason", ("delivered", "refused", "withdrawn", "deceased", "wlz", "moved")),
    )
    op.create_table(
        "deliveries",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("client_id", sa.Integer, sa.ForeignKey("clients.id"), nullable=False),
        sa.Column("melding_id", sa.Integer, sa.ForeignKey("meldingen.id")),
        sa.Column("provision_id", ID, nullable=False),
        sa.Column("financier", sa.String(8), nullable=False),
        sa.Column("delivered_on", sa.Date),
        sa.Column("cost_eur", MONEY),
        sa.Column("form", sa.String(8), nullable=False),
        sa.Column("from_depot", sa.Boolean, nullable=False),
        sa.Column("returned_on", sa.Date),
        sa.Column("imported", sa.Boolean, nullable=False),
        _one_of("form", ("in_kind", "pgb", "rent")),
    )
    op.create_table(
        "depot_items",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("provision_id", ID, nullable=False),
        sa.Column("financier", sa.String(8), nullable=False),
        sa.Column("received_on", sa.Date, nullable=False),
        sa.Column("returned_delivery_id", sa.Integer, sa.ForeignKey("deliveries.id"), unique=True),
        sa.Column("residual_value_eur", MONEY),
        sa.Column("reissued_delivery_id", sa.Integer, sa.ForeignKey("deliveries.id"), unique=True),
    )
    op.create_table(
        "releases",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("client_id", sa.Integer, sa.ForeignKey("clients.id"), nullable=False),
        sa.Column("ivp_id", sa.Integer, sa.ForeignKey("ivps.id"), nullable=False),
        sa.Column("provision_id", ID, nullable=False),
        sa.Column("financier", sa.String(8), nullable=False),
        sa.Column("released_on", sa.Date, nullable=False),
        sa.Column("amount_eur", MONEY, nullable=False),
        sa.Column("reason", sa.String(200), nullable=False),
    )
    op.create_table(
        "audit_log",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_name", sa.String(200), nullable=False),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("entity", sa.String(32), nullable=False),
        sa.Column("entity_id", sa.Integer),
        sa.Column("dossier", ID),
        sa.Column("details", sa.JSON, nullable=False),
    )
    _append_only("audit_log")


def _append_only(table: str) -> None:
    """The database itself refuses to change or delete a row of ``table``."""
    if op.get_bind().dialect.name == "postgresql":
        op.execute(f"""CREATE FUNCTION {table}_append_only() RETURNS trigger AS $$
            BEGIN RAISE EXCEPTION '{table} is append-only'; END; $$ LANGUAGE plpgsql""")
        op.execute(f"""CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table}
            FOR EACH ROW EXECUTE FUNCTION {table}_append_only()""")
    else:
        for what in ("UPDATE", "DELETE"):
            op.execute(f"""CREATE TRIGGER {table}_no_{what.lower()} BEFORE {what} ON {table}
                BEGIN SELECT RAISE(ABORT, '{table} is append-only'); END""")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER audit_log_append_only ON audit_log")
        op.execute("DROP FUNCTION audit_log_append_only()")
    for table in ("audit_log", "releases", "depot_items", "deliveries", "meldingen", "earmarks", "ivps", "clients"):
        op.drop_table(table)
