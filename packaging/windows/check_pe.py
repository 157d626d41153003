"""Check a built Windows executable: machine, subsystem, version resource and icon.

Usage: ``python check_pe.py --version 0.1.0 [--machine x64] [--gui] FILE.exe``

Run by the Windows build's Python (pefile comes with PyInstaller there). Prints what it found
and exits 1 if the file is not what Explorer and "Apps & features" should show.
"""

from __future__ import annotations

import argparse
import sys

import pefile

MACHINES = {"x64": 0x8664, "x86": 0x14C}
RT_ICON_GROUP = pefile.RESOURCE_TYPE["RT_GROUP_ICON"]


def version_strings(pe: pefile.PE) -> dict[str, str]:
    found: dict[str, str] = {}
    for info in getattr(pe, "FileInfo", None) or []:
        for entry in info:
            for table in getattr(entry, "StringTable", []):
                for key, value in table.entries.items():
                    found[key.decode()] = value.decode()
    return found


def icon_groups(pe: pefile.PE) -> int:
    root = getattr(pe, "DIRECTORY_ENTRY_RESOURCE", None)
    if root is None:
        return 0
    return sum(len(e.directory.entries) for e in root.entries if e.id == RT_ICON_GROUP)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("file")
    parser.add_argument("--version", required=True, help="expected ProductVersion")
    parser.add_argument("--machine", choices=sorted(MACHINES))
    parser.add_argument("--gui", action="store_true", help="expect the GUI (windowed) subsystem")
    args = parser.parse_args(argv)

    pe = pefile.PE(args.file)
    problems: list[str] = []
    pe32plus = pe.OPTIONAL_HEADER.Magic == pefile.OPTIONAL_HEADER_MAGIC_PE_PLUS
    machine = pe.FILE_HEADER.Machine
    subsystem = pefile.SUBSYSTEM_TYPE.get(pe.OPTIONAL_HEADER.Subsystem, "?")
    strings = version_strings(pe)
    fixed = pe.VS_FIXEDFILEINFO[0] if getattr(pe, "VS_FIXEDFILEINFO", None) else None
    icons = icon_groups(pe)
    print(f"{args.file}:")
    print(f"  format: {'PE32+' if pe32plus else 'PE32'}, machine {machine:#06x}, {subsystem}")
    if fixed is not None:
        ms, ls = fixed.FileVersionMS, fixed.FileVersionLS
        print(f"  FileVersion (fixed): {ms >> 16}.{ms & 0xFFFF}.{ls >> 16}.{ls & 0xFFFF}")
    for key in ("ProductName", "ProductVersion", "FileDescription", "CompanyName"):
        print(f"  {key}: {strings.get(key, '(missing)')}")
    print(f"  icon groups: {icons}")

    if args.machine:
        if machine != MACHINES[args.machine]:
            problems.append(f"machine {machine:#06x}, expected {args.machine}")
        if args.machine == "x64" and not pe32plus:
            problems.append("not PE32+")
    if args.gui and subsystem != "IMAGE_SUBSYSTEM_WINDOWS_GUI":
        problems.append(f"subsystem {subsystem}, expected the GUI one")
    if fixed is None:
        problems.append("no VS_FIXEDFILEINFO")
    if not strings.get("ProductVersion", "").startswith(args.version):
        problems.append(f"ProductVersion {strings.get('ProductVersion')!r} != {args.version!r}")
    if not strings.get("ProductName"):
        problems.append("no ProductName")
    if icons == 0:
        problems.append("no icon")
    for problem in problems:
        print(f"  PROBLEM: {problem}")
    print("  PE check:", "FAILED" if problems else "OK")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
