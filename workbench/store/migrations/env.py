"""Alembic environment: runs against the engine handed over by workbench.store.database."""

from alembic import context

from workbench.store.models import Base


def include_object(obj, name, type_, reflected, compare_to):
    # The full-text index tables are made by hand in migration 0001, not by the models.
    return not (type_ == "table" and reflected and name and name.startswith("message_fts"))


engine = context.config.attributes["engine"]
with engine.begin() as connection:
    context.configure(
        connection=connection,
        target_metadata=Base.metadata,
        render_as_batch=connection.dialect.name == "sqlite",
        include_object=include_object,
    )
    context.run_migrations()
