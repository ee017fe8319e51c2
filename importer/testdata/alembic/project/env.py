# Offline-only environment: the importer tests need the --sql output.
from alembic import context

config = context.config

context.configure(
    url=config.get_main_option("sqlalchemy.url"),
    literal_binds=True,
    dialect_opts={"paramstyle": "named"},
)

with context.begin_transaction():
    context.run_migrations()
