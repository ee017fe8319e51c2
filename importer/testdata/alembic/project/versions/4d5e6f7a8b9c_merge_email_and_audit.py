"""merge email and audit

Revision ID: 4d5e6f7a8b9c
Revises: 2a3b4c5d6e7f, 3c4d5e6f7a8b
"""

revision = "4d5e6f7a8b9c"
down_revision = ("2a3b4c5d6e7f", "3c4d5e6f7a8b")
branch_labels = None
depends_on = None


def upgrade():
    pass


def downgrade():
    pass
