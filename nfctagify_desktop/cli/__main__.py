"""``python -m nfctagify_desktop.cli``: the same as the ``nfctagify`` command."""

from nfctagify_desktop.cli import main

raise SystemExit(main())
