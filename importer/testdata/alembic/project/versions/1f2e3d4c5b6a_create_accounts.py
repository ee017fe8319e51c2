"""create accounts

Revision ID: 1f2e3d4c5b6a
Revises:
"""
import sqlalchemy as sa
from alembic import op

revision = "1f2e3d4c5b6a"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "accounts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.Text, nullable=False),
    )


def downgrade():
    op.drop_table("accounts")
