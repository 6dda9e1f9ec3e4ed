"""Follow-up visits: the ALSFRS-R items and FVC of each visit (issue 16's visits), kept with
the client so that a plan can be brought up to date from the register.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "visits",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("client_id", sa.Integer, sa.ForeignKey("clients.id"), nullable=False),
        sa.Column("visit_on", sa.Date, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.UniqueConstraint("client_id", "visit_on"),
    )


def downgrade() -> None:
    op.drop_table("visits")
