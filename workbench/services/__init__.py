"""Plain-Python services (no Qt): portal client, sync, configuration, secrets."""
