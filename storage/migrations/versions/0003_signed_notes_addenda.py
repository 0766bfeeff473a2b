"""signed notes and their addenda

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-03
"""
from alembic import op
import sqlalchemy as sa
import sqlmodel


revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("note") as batch:
        batch.add_column(sa.Column("signed_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=True))
        batch.add_column(sa.Column("signed_by", sqlmodel.sql.sqltypes.AutoString(), nullable=True))
    op.create_table(
        "noteaddendum",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("therapist_id", sa.Integer(), nullable=False),
        sa.Column("note_id", sa.Integer(), nullable=False),
        sa.Column("actor", sqlmodel.sql.sqltypes.AutoString(), nullable=False),
        sa.Column("content_enc", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", sqlmodel.sql.sqltypes.UTCDateTime(), nullable=False),
        sa.ForeignKeyConstraint(["note_id"], ["note.id"]),
        sa.ForeignKeyConstraint(["therapist_id"], ["therapist.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_noteaddendum_note_id", "noteaddendum", ["note_id"])
    op.create_index("ix_noteaddendum_therapist_id", "noteaddendum", ["therapist_id"])


def downgrade() -> None:
    op.drop_index("ix_noteaddendum_therapist_id", table_name="noteaddendum")
    op.drop_index("ix_noteaddendum_note_id", table_name="noteaddendum")
    op.drop_table("noteaddendum")
    with op.batch_alter_table("note") as batch:
        batch.drop_column("signed_by")
        batch.drop_column("signed_at")
