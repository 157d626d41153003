"""Start NFC Tagify Desktop from a source tree (and the PyInstaller entry point)."""

from nfctagify_desktop.app import main

if __name__ == "__main__":
    main()
