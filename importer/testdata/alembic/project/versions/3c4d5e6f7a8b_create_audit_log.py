"""create audit log, on its own branch

Revision ID: 3c4d5e6f7a8b
Revises: 1f2e3d4c5b6a
"""
import sqlalchemy as sa
from alembic import op

revision = "3c4d5e6f7a8b"
down_revision = "1f2e3d4c5b6a"
branch_labels = ("audit",)
depends_on = None


def upgrade():
    op.create_table(
        "audit_log",
        sa.Column("id", sa.BigInteger, primary_key=True),
        sa.Column("account_id", sa.Integer, sa.ForeignKey("accounts.id", ondelete="CASCADE"), nullable=False),
        sa.Column("note", sa.Text, nullable=False, server_default="n/a; none"),
    )


def downgrade():
    op.drop_table("audit_log")
