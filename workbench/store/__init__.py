"""The local store: ORM models, engine set-up, migrations, full-text search and blob storage."""
