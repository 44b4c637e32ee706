"""households (家庭档案) and care arrangements (监护与照护安排)

New tables household, household_review and care_arrangement; child.household_id; person.household_id, and
person.child_id may be empty (an adult of a household). Existing siblings are formed into households by
their parents' id numbers or names and phones; unsure matches go to household_review (models/household_match).

Revision ID: 0011
Revises: 0010
"""
import sqlalchemy as sa
from alembic import op

from weibao_desktop.models.household_match import form_households

revision = '0011'
down_revision = '0010'
branch_labels = None
depends_on = None


def _sync_columns() -> list[sa.Column]:
    return [
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('uuid', sa.String(length=36), nullable=False),
        sa.Column('origin', sa.String(length=12), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('created_by', sa.String(length=50), nullable=False),
        sa.Column('updated_at', sa.DateTime(), nullable=False),
        sa.Column('updated_by', sa.String(length=50), nullable=False),
        sa.Column('rev', sa.Integer(), nullable=False),
        sa.Column('deleted_at', sa.DateTime(), nullable=True),
        sa.Column('change_seq', sa.Integer(), nullable=False),
    ]


def upgrade() -> None:
    op.create_table(
        'household',
        *_sync_columns(),
        sa.Column('station_id', sa.Integer(), nullable=False),
        sa.Column('village_id', sa.Integer(), nullable=True),
        sa.Column('name', sa.String(length=50), nullable=False),
        sa.Column('address', sa.String(length=200), nullable=True),
        sa.Column('phone', sa.String(length=30), nullable=True),
        sa.Column('notes', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['station_id'], ['station.id'], name=op.f('fk_household_station_id_station')),
        sa.ForeignKeyConstraint(['village_id'], ['village.id'], name=op.f('fk_household_village_id_village')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_household')),
        sa.UniqueConstraint('uuid', name=op.f('uq_household_uuid')),
    )
    with op.batch_alter_table('household', schema=None) as batch_op:
        batch_op.create_index('ix_household_station', ['station_id', 'name'], unique=False)
        batch_op.create_index(batch_op.f('ix_household_change_seq'), ['change_seq'], unique=False)
    op.create_table(
        'care_arrangement',
        *_sync_columns(),
        sa.Column('child_id', sa.Integer(), nullable=False),
        sa.Column('kind', sa.String(length=30), nullable=False),
        sa.Column('carer_name', sa.String(length=100), nullable=True),
        sa.Column('carer_id_number', sa.String(length=18), nullable=True),
        sa.Column('carer_phone', sa.String(length=30), nullable=True),
        sa.Column('carer_relation', sa.String(length=20), nullable=True),
        sa.Column('carer_address', sa.String(length=200), nullable=True),
        sa.Column('parties', sa.String(length=100), nullable=True),
        sa.Column('decided_by', sa.String(length=100), nullable=True),
        sa.Column('signed_on', sa.Date(), nullable=True),
        sa.Column('start_on', sa.Date(), nullable=True),
        sa.Column('end_on', sa.Date(), nullable=True),
        sa.Column('review_on', sa.Date(), nullable=True),
        sa.Column('note', sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_care_arrangement_child_id_child')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_care_arrangement')),
        sa.UniqueConstraint('uuid', name=op.f('uq_care_arrangement_uuid')),
    )
    with op.batch_alter_table('care_arrangement', schema=None) as batch_op:
        batch_op.create_index('ix_care_child', ['child_id', 'kind'], unique=False)
        batch_op.create_index('ix_care_end', ['end_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_care_arrangement_change_seq'), ['change_seq'], unique=False)
    # ALTER TABLE ADD COLUMN with its reference: the child table is not rebuilt (others refer to it, and
    # SQLite cannot turn foreign keys off inside the upgrade's transaction).
    if op.get_bind().dialect.name == 'sqlite':
        if 'household_id' not in {c['name'] for c in sa.inspect(op.get_bind()).get_columns('child')}:
            op.execute('ALTER TABLE child ADD COLUMN household_id INTEGER '
                       'CONSTRAINT fk_child_household_id_household REFERENCES household (id)')
    else:
        op.add_column('child', sa.Column('household_id', sa.Integer(), sa.ForeignKey(
            'household.id', name='fk_child_household_id_household'), nullable=True))
    op.create_index('ix_child_household_id', 'child', ['household_id'], unique=False)
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.add_column(sa.Column('household_id', sa.Integer(), nullable=True))
        batch_op.alter_column('child_id', existing_type=sa.Integer(), nullable=True)
        batch_op.create_foreign_key(batch_op.f('fk_person_household_id_household'), 'household', ['household_id'],
                                    ['id'])
        batch_op.create_index('ix_person_household', ['household_id'], unique=False)
    op.create_table(
        'household_review',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('household_id', sa.Integer(), nullable=False),
        sa.Column('child_id', sa.Integer(), nullable=False),
        sa.Column('reason', sa.String(length=200), nullable=False),
        sa.Column('state', sa.String(length=10), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('resolved_at', sa.DateTime(), nullable=True),
        sa.Column('resolved_by', sa.String(length=50), nullable=True),
        sa.ForeignKeyConstraint(['household_id'], ['household.id'], name=op.f('fk_household_review_household_id_household')),
        sa.ForeignKeyConstraint(['child_id'], ['child.id'], name=op.f('fk_household_review_child_id_child')),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_household_review')),
    )
    with op.batch_alter_table('household_review', schema=None) as batch_op:
        batch_op.create_index('ix_household_review_state', ['state', 'household_id'], unique=False)
    form_households(op.get_bind())


def downgrade() -> None:
    # Households cannot be undone field by field (adults of a household keep no child): the upgrade backed the
    # store up first, and that copy is the way back.
    op.drop_table('household_review')
    with op.batch_alter_table('person', schema=None) as batch_op:
        batch_op.drop_index('ix_person_household')
        batch_op.drop_constraint(batch_op.f('fk_person_household_id_household'), type_='foreignkey')
        batch_op.drop_column('household_id')
    op.drop_index('ix_child_household_id', table_name='child')
    if op.get_bind().dialect.name == 'sqlite':
        # SQLite cannot drop a column with a reference, nor rebuild the child table others refer to inside the
        # upgrade's transaction: the empty column stays (older versions never read it; upgrade reuses it).
        op.execute('UPDATE child SET household_id = NULL')
    else:
        op.drop_constraint('fk_child_household_id_household', 'child', type_='foreignkey')
        op.drop_column('child', 'household_id')
    op.drop_table('care_arrangement')
    op.drop_table('household')
