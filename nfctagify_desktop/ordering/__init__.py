"""Placing orders safely: validation, the SQLite outbox, idempotent submission, CSV import.

Nothing here imports Qt; the UI calls these APIs (PITFALLS: pure models apart from Qt).
"""
