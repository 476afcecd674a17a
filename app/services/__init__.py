"""Domain services: every operation that reads or changes data. No HTTP inside; the CLI, the REST API and
the admin call them. They use `app.extensions.db.session` and flush, never commit: the CLI command, the API request or the admin view owns the one commit or
rollback of a user action (`app.cli.appctx.with_app`, `app.api.transaction`). Each change writes the audit log."""
