"""account status, with a function

Revision ID: 5e6f7a8b9c0d
Revises: 4d5e6f7a8b9c
"""
import sqlalchemy as sa
from alembic import op

revision = "5e6f7a8b9c0d"
down_revision = "4d5e6f7a8b9c"
branch_labels = None
depends_on = None


def upgrade():
    status = sa.Enum("active", "closed", name="account_status")
    status.create(op.get_bind())
    op.add_column("accounts", sa.Column("status", status, nullable=False, server_default="active"))
    op.execute(
        """
        CREATE FUNCTION account_label(a accounts) RETURNS text
        LANGUAGE plpgsql AS $$
        BEGIN
            RETURN a.name || ' (' || a.status || ')';
        END;
        $$
        """
    )


def downgrade():
    op.execute("DROP FUNCTION account_label(accounts)")
    op.drop_column("accounts", "status")
    sa.Enum(name="account_status").drop(op.get_bind())
