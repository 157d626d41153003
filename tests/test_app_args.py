"""The app's command line, as a user or a script reads it (stdout, exit codes)."""

from __future__ import annotations

import pytest

from nfctagify_desktop import APP_NAME
from nfctagify_desktop.app_args import parse_args


def test_version_goes_to_stdout_and_exits_0(capsys: pytest.CaptureFixture[str]) -> None:
    from nfctagify_desktop import __version__

    with pytest.raises(SystemExit) as ended:
        parse_args(["--version"])
    assert ended.value.code == 0
    out, err = capsys.readouterr()
    assert out == f"{APP_NAME} {__version__}\n" and err == ""


def test_help_documents_the_benchmark_hooks(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        parse_args(["--help"])
    assert ended.value.code == 0
    out = " ".join(capsys.readouterr().out.split())
    for option in ("--exit-after-paint", "--exit-after-live", "--theme", "--self-test"):
        assert option in out


def test_an_unknown_option_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as ended:
        parse_args(["--no-such-option"])
    assert ended.value.code == 2
    assert "unrecognized arguments: --no-such-option" in capsys.readouterr().err
