"""memo origin, therapist language, the note timeline index

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa


revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("memo") as batch:
        batch.add_column(sa.Column("origin_ref", sa.String(), nullable=True))
    with op.batch_alter_table("therapist") as batch:
        batch.add_column(sa.Column("language", sa.String(), nullable=True))
    op.create_index("ix_note_client_timeline", "note", ["therapist_id", "client_id", "status", "session_date"])


def downgrade() -> None:
    op.drop_index("ix_note_client_timeline", table_name="note")
    with op.batch_alter_table("therapist") as batch:
        batch.drop_column("language")
    with op.batch_alter_table("memo") as batch:
        batch.drop_column("origin_ref")
