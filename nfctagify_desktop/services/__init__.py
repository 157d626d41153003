"""Widget-free services: what the views ask for (accounts, ordering, order watching, export,
the task runner). QtCore signals are allowed here; QtWidgets is not. ``build_services`` in
``container`` creates each of them exactly once (app.py is the only caller in the app)."""
