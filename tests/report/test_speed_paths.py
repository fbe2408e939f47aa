"""The faster paths give the same documents: warm workers, low priority, cached lookups."""

from __future__ import annotations

import ctypes.util
import os
import sys
import time
from pathlib import Path

import pytest

from tests.report.sessions import demo_session
from ttx.report import jobs
from ttx.report.jobs import WarmWorker, discard_worker, prepare_worker, start_report
from ttx.report.worker import NICENESS


@pytest.fixture(autouse=True)
def _no_spare_left() -> object:
    yield
    discard_worker()


def _wait_for(predicate: object, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():  # type: ignore[operator]
            return True
        time.sleep(0.05)
    return False


def test_page_references_are_recomputed_when_a_page_is_added() -> None:
    from ttx.report.render import _weasyprint

    _weasyprint()  # installs the cache
    import pydyf  # type: ignore[import-untyped]

    assert type(pydyf.PDF.__dict__["page_references"]).__name__ == "_PageReferences", (
        "pydyf changed: check that WeasyPrint's tagging still reads page_references per element"
    )
    pdf = pydyf.PDF()
    first = pydyf.Dictionary({"Type": "/Page"})
    pdf.add_page(first)
    one = pdf.page_references
    assert one == (f"{first.number} 0 R".encode(),)
    assert pdf.page_references is one  # the same tuple while no page is added
    second = pydyf.Dictionary({"Type": "/Page"})
    pdf.add_page(second)
    assert pdf.page_references == (f"{first.number} 0 R".encode(), f"{second.number} 0 R".encode())
    other = pydyf.PDF()  # each document has its own pages
    assert other.page_references == ()


@pytest.mark.skipif(
    sys.platform != "linux" or os.uname().machine != "x86_64", reason="loader cache: x86-64 Linux"
)
def test_library_lookup_from_the_loader_cache_agrees_with_ctypes() -> None:
    from ttx.report.libraries import find_in_loader_cache

    for name in ("c", "m", "harfbuzz", "fontconfig", "pango-1.0"):
        assert find_in_loader_cache(name) == ctypes.util.find_library(name), name
    assert find_in_loader_cache("libgobject-2.0-0") is None
    assert find_in_loader_cache("no-such-library-anywhere") is None


def test_worker_lowers_its_own_priority() -> None:
    prepare_worker()
    spare = jobs._spare
    assert spare is not None
    mine = os.getpriority(os.PRIO_PROCESS, 0)
    assert _wait_for(lambda: os.getpriority(os.PRIO_PROCESS, spare.proc.pid) >= mine + NICENESS)
    discard_worker()
    assert spare.proc.poll() is not None, "a discarded worker is stopped"


def test_prepared_worker_takes_the_report_and_writes_the_same_bytes(
    demo_path: Path, tmp_path: Path
) -> None:
    session_id = demo_session(demo_path)
    cold = start_report(session_id, tmp_path / "cold.pdf")
    assert cold.wait(), cold.error
    prepare_worker()
    prepare_worker()  # once is enough: the same worker stays
    spare = jobs._spare
    assert spare is not None
    warm = start_report(session_id, tmp_path / "warm.pdf")
    assert jobs._spare is None, "the job took the prepared worker"
    assert warm._proc is spare.proc
    assert warm.wait(), warm.error
    assert warm.path is not None
    assert warm.path.read_bytes() == (tmp_path / "cold.pdf").read_bytes()


def test_prepared_worker_is_not_used_after_the_data_folder_changed(
    demo_path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    prepare_worker()
    spare = jobs._spare
    assert spare is not None
    monkeypatch.setenv("TTX_HOME", str(tmp_path / "elsewhere"))
    session_id = demo_session(demo_path)  # recorded in the new data folder
    job = start_report(session_id, tmp_path / "r.pdf")
    assert job._proc is not spare.proc
    assert spare.proc.poll() is not None, "the stale worker was stopped"
    assert job.wait(), job.error


def test_prepared_worker_leaves_when_its_parent_closes_the_pipe() -> None:
    spare = WarmWorker()
    assert spare.proc.stdin is not None
    spare.proc.stdin.close()
    spare.proc.stdin = None
    assert _wait_for(lambda: spare.proc.poll() is not None, 60)
    assert spare.proc.returncode == 0
    spare.discard()


def test_prepared_worker_that_died_is_replaced(demo_path: Path, tmp_path: Path) -> None:
    session_id = demo_session(demo_path)
    prepare_worker()
    spare = jobs._spare
    assert spare is not None
    spare.proc.kill()
    spare.proc.wait()
    job = start_report(session_id, tmp_path / "r.pdf")
    assert job.wait(), job.error
    assert (tmp_path / "r.pdf").is_file()


def test_objects_serialized_once_give_the_same_file(demo_path: Path) -> None:
    import io

    import pydyf  # type: ignore[import-untyped]

    from ttx.model.validate import load_exercise
    from ttx.report import render
    from ttx.report.handouts import handout_set

    html = handout_set(load_exercise(demo_path))[0].html("letter")
    once, _ = render.render_pdf(html)
    patched = pydyf.PDF.write
    assert getattr(patched, "_ttx_once", False), "render installs the write-once path"
    pydyf.PDF.write = patched.__wrapped__  # pydyf's own write: every object serialized twice
    try:
        twice, _ = render.render_pdf(html)
    finally:
        pydyf.PDF.write = patched
    assert once == twice
    assert render._WRITE_CACHE is None, "nothing is kept once the file is written"

    # An object changed between two writes of a document is serialized again, never
    # served from the first write: the same steps with pydyf's own write give the same bytes.
    def two_writes(write: object) -> tuple[bytes, bytes]:
        pdf = pydyf.PDF()
        note = pydyf.Dictionary({"Title": pydyf.String("first")})
        pdf.add_object(note)
        first, second = io.BytesIO(), io.BytesIO()
        write(pdf, first, identifier=b"x", compress=True)  # type: ignore[operator]
        note["Title"] = pydyf.String("second")
        write(pdf, second, identifier=b"x", compress=True)  # type: ignore[operator]
        return first.getvalue(), second.getvalue()

    ours, theirs = two_writes(patched), two_writes(patched.__wrapped__)
    assert ours == theirs
    assert ours[1] != ours[0]
