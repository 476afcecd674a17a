"""Domain services: every operation that reads or changes data. No HTTP inside; the CLI, the REST API and
the admin call them. They use `app.extensions.db.session` and never commit unless they say so: each
public function that changes data commits its own unit of work (all-or-nothing) and writes the audit log."""
