"""An error no handler catches stops the console with one message naming a crash report."""

from __future__ import annotations

from pathlib import Path

import pytest

from ttx.tui.app import make_app


async def test_unhandled_error_writes_a_crash_report(
    ttx_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    app = make_app(blink=False, animate=False)

    def boom() -> None:
        raise ZeroDivisionError("deliberate")

    with pytest.raises(ZeroDivisionError):  # run_test hands the error to the test, too
        async with app.run_test(size=(120, 40)) as pilot:
            app.call_later(boom)
            await pilot.pause()
    assert app.return_code == 3
    reports = list((ttx_home / "crashes").glob("crash-*.log"))
    assert len(reports) == 1
    text = reports[0].read_text(encoding="utf-8")
    assert "Traceback" in text and "ZeroDivisionError: deliberate" in text
    shown = "".join(capsys.readouterr().err.split("\n"))  # the terminal may wrap the path
    assert "ZeroDivisionError: deliberate" in shown and "Traceback" not in shown
    assert str(reports[0]) in shown and "tabletop resume" in shown
