"""Placing orders safely: validation, the SQLite outbox, idempotent submission, CSV import.

Nothing here imports Qt; the services and the command line call these APIs.
"""
