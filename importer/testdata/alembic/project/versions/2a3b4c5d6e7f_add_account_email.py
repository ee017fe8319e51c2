"""add account email

Revision ID: 2a3b4c5d6e7f
Revises: 1f2e3d4c5b6a
"""
import sqlalchemy as sa
from alembic import op

revision = "2a3b4c5d6e7f"
down_revision = "1f2e3d4c5b6a"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("accounts", sa.Column("email", sa.Text))
    op.create_index("accounts_email_idx", "accounts", ["email"], unique=True)


def downgrade():
    op.drop_index("accounts_email_idx", table_name="accounts")
    op.drop_column("accounts", "email")
