"""After-action reports and handouts: pages, seconds, peak memory, and our overhead over WeasyPrint.

Each document is rendered the way ttx renders it — `python -m ttx.report.worker`, a child
process — and timed from spawn to exit. Its text is also rendered as one plain HTML page
by WeasyPrint alone (`plain_render.py`, also a child process, at the same CPU priority and
with the same library lookup as the worker), in the same paper, margins and body font, so
the ratio between the two is what our pipeline (data, templates, styles, charts, tagged
PDF) costs on top of WeasyPrint laying out the same text.

Sessions are played through the public API (`sessions.play`): generated exercises of
N teams x M decision points (five moves; every team answers every decision with a
150-word rationale), the flagship, and the flagship with two more student tables.

`--before REV` also renders the flagship's handouts and its six-team report with the code
of another commit (its `src/`, exported with `git archive`, first on PYTHONPATH) in the same
run, interleaved with this tree's, and prints both; the handouts are also printed twice
through `tabletop handouts` to time the re-print that the content-addressed cache serves.

Run: .venv/bin/python benchmarks/documents.py [--quick] [--repeat N] [--before REV]
"""

from __future__ import annotations

import argparse
import html
import itertools
import os
import statistics
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
import yaml
from childproc import PYTHON, pdf_pages, run_child
from gen import exercise
from sessions import FLAGSHIP, isolated_home, play, six_team_flagship
from stats import summary, table

from ttx.api import open_journal
from ttx.report.aar import report_html

HERE = Path(__file__).resolve().parent
BLOCKS = {"p", "div", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "br", "section"}
CELLS = {"td", "th"}  # a table row is one paragraph: its cells joined by spaces
SKIP = {"style", "script", "head", "title"}


class _Text(HTMLParser):
    """The visible text of an HTML document, one paragraph per block element or table row."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag in SKIP:
            self.skipping += 1
        elif tag in BLOCKS:
            self.parts.append("\n")
        elif tag in CELLS:
            self.parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in SKIP:
            self.skipping = max(0, self.skipping - 1)
        elif tag in BLOCKS:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self.skipping:
            self.parts.append(data)


PLAIN_STYLE = (
    "@font-face {{ font-family: Caladea; src: url({fonts}/Caladea-Regular.ttf); }}"
    "@page {{ size: {paper}; margin: 20mm 17mm 18mm 17mm; }}"
    "html {{ font-family: Caladea; font-size: 10.5pt; line-height: 1.38; }}"
    "p {{ margin: 0 0 2mm; }}"
)
"""The plain page's only styling: our paper, page margins and body type (`base/base.css`),
so that the plain text is laid out in the same lines and pages as ours and the ratio is
our pipeline's cost, not a different font, size or paper. Untagged, no other CSS."""


def plain_page(document_html: str, paper: str = "letter") -> str:
    """The same text as a plain HTML page: one <p> per paragraph, in our paper and body type."""
    from ttx.report.templates import TEMPLATES

    parser = _Text()
    parser.feed(document_html)
    lines = [" ".join(line.split()) for line in "".join(parser.parts).split("\n")]
    body = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines if line)
    style = PLAIN_STYLE.format(fonts=(TEMPLATES.parent / "fonts").as_uri(), paper=paper)
    return (
        '<!doctype html><html lang="en"><head><meta charset="utf-8"><title>plain</title>'
        f"<style>{style}</style></head><body>\n{body}\n</body></html>"
    )


def measure(
    argv: list[str], output: Path, repeat: int, budget: float, env: dict[str, str] | None = None
) -> dict[str, Any]:
    """Render `repeat` times (fewer when one run exceeds `budget` seconds): times, RSS, pages."""
    times, peaks = [], []
    for _ in range(repeat):
        run = run_child(argv, env=env)
        times.append(run.seconds)
        peaks.append(run.peak_mb)
        if run.seconds > budget:
            break
    pages = pdf_pages(output) if output.suffix == ".pdf" else 0
    return {"times": times, "peak": max(peaks), "pages": pages, **summary(times)}


def report_and_plain(
    session_id: str, workdir: Path, repeat: int, budget: float
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    """Measure a session's report (ttx worker), the plain page of its text (WeasyPrint), and
    WeasyPrint alone on the report's own HTML (same layout; none of our pipeline around it:
    no worker protocol, journal replay, fetcher, tags or post-processing)."""
    from ttx.report.templates import TEMPLATES

    with open_journal(read_only=True) as journal:
        session = journal.read_session(session_id)
        state = session.state
        session.close()
    document = report_html(state, "letter")
    plain = workdir / f"{session_id}-plain.html"
    plain.write_text(plain_page(document), encoding="utf-8")
    same = workdir / f"{session_id}-same.html"
    same.write_text(document, encoding="utf-8")
    same_pdf = workdir / f"{session_id}-same.pdf"
    ours_pdf = workdir / f"{session_id}.pdf"
    plain_pdf = workdir / f"{session_id}-plain.pdf"
    ours = measure(
        [PYTHON, "-m", "ttx.report.worker", "report", session_id, str(ours_pdf), "letter"],
        ours_pdf,
        repeat,
        budget,
    )
    base = measure(
        [PYTHON, str(HERE / "plain_render.py"), str(plain), str(plain_pdf)],
        plain_pdf,
        repeat,
        budget,
    )
    alone = measure(
        [PYTHON, str(HERE / "plain_render.py"), str(same), str(same_pdf), TEMPLATES.as_uri() + "/"],
        same_pdf,
        repeat,
        budget,
    )
    return ours, base, alone


def grid(cells: list[tuple[int, int]], repeat: int, workdir: Path) -> list[list[Any]]:
    """Generated sessions of N teams x M decision points: report vs plain WeasyPrint."""
    rows = []
    with open_journal() as journal:
        for n, m in cells:
            path = workdir / f"gen-{n}x{m}.yaml"
            data = exercise(teams=n, moves=5, injects=3, decisions=max(1, m // 5), words=60)
            data["id"] = f"gen-{n}x{m}"
            path.write_text(yaml.safe_dump(data, sort_keys=False), encoding="utf-8")
            session = play(journal, path, rationale_words=150, notes_per_move=3)
            sid = session.id
            session.close()
            ours, base, alone = report_and_plain(sid, workdir, repeat, budget=20)
            rows.append(row(f"{n} teams x {m} decisions", ours, base, alone))
            print(f"  measured {rows[-1][0]}: {ours['median']:.2f} s", file=sys.stderr)
    return rows


def row(name: str, ours: dict[str, Any], base: dict[str, Any], alone: dict[str, Any]) -> list[Any]:
    """One table row: pages, seconds (median, IQR, n), peak MB, plain seconds, ratio, and
    WeasyPrint alone on the same HTML with our ratio to it."""
    return [
        name,
        ours["pages"],
        ours["median"],
        ours["iqr"],
        ours["n"],
        ours["median"] / max(ours["pages"], 1),
        f"{ours['peak']:.0f}",
        base["pages"],
        base["median"],
        ours["median"] / base["median"],
        alone["median"],
        ours["median"] / alone["median"],
    ]


HEADERS = [
    "session",
    "pages",
    "report s (median)",
    "IQR s",
    "runs",
    "s/page",
    "peak MB",
    "plain pages",
    "plain WeasyPrint s",
    "overhead ×",
    "WeasyPrint alone, same HTML s",
    "× same HTML",
]


def flagship_rows(repeat: int, workdir: Path) -> list[list[Any]]:
    """The four-team flagship and its six-team variant, played through the API."""
    six = six_team_flagship(workdir / "across-the-line-six.yaml")
    rows = []
    with open_journal() as journal:
        for label, path in (("flagship, 4 teams", FLAGSHIP), ("flagship, 6 teams", six)):
            session = play(journal, path, rationale_words=60, notes_per_move=3)
            sid = session.id
            session.close()
            ours, base, alone = report_and_plain(sid, workdir, repeat, budget=60)
            rows.append(row(label, ours, base, alone))
    return rows


def handouts(repeat: int, workdir: Path) -> list[list[Any]]:
    """The flagship's handouts (every document, as `tabletop handouts` writes them)."""
    out = workdir / "handouts"
    argv = [PYTHON, "-m", "ttx.report.worker", "handouts", str(FLAGSHIP), str(out), "letter"]
    result = measure(argv, out, repeat, budget=60)
    files = sorted(out.glob("*.pdf"))
    pages = sum(pdf_pages(f) for f in files)
    # The same text as one plain page, for scale (WeasyPrint alone, one process).
    from ttx.model.validate import load_exercise
    from ttx.report.handouts import handout_set

    docs = handout_set(load_exercise(FLAGSHIP))
    texts = [plain_page(doc.html("letter")) for doc in docs]
    joined = (
        texts[0].split("<body>")[0]
        + "<body>"
        + "".join(t.split("<body>", 1)[1].rsplit("</body>", 1)[0] for t in texts)
        + "</body></html>"
    )
    plain = workdir / "handouts-plain.html"
    plain.write_text(joined, encoding="utf-8")
    plain_pdf = workdir / "handouts-plain.pdf"
    base = measure(
        [PYTHON, str(HERE / "plain_render.py"), str(plain), str(plain_pdf)], plain_pdf, repeat, 60
    )
    return [
        [
            f"flagship handouts ({len(files)} PDFs)",
            pages,
            result["median"],
            result["iqr"],
            result["n"],
            result["median"] / max(pages, 1),
            f"{result['peak']:.0f}",
            base["pages"],
            base["median"],
            result["median"] / base["median"],
            "—",  # eleven documents over two processes: no one-file WeasyPrint run compares
            "—",
        ]
    ]


def growth(rows: list[list[Any]], fixed_points: int, fixed_teams: int) -> str:
    """Ratios between consecutive sizes of each sweep: work, pages, time, time per page."""
    cells = {}
    for r in rows:
        n, m = r[0].removesuffix(" decisions").split(" teams x ")
        cells[(int(n), int(m))] = r
    sweeps = [
        ("teams", sorted(k for k in cells if k[1] == fixed_points)),
        ("decisions", sorted(k for k in cells if k[0] == fixed_teams)),
    ]
    out = []
    for what, keys in sweeps:
        for a, b in itertools.pairwise(keys):
            ra, rb = cells[a], cells[b]
            work = (b[0] * b[1]) / (a[0] * a[1])
            out.append(
                [
                    f"{what}: {a[0]}x{a[1]} → {b[0]}x{b[1]}",
                    f"{work:.1f}",
                    f"{rb[1] / max(ra[1], 1):.2f}",
                    f"{rb[2] / ra[2]:.2f}",
                    f"{(rb[2] / max(rb[1], 1)) / (ra[2] / max(ra[1], 1)):.2f}",
                    f"{rb[8] / ra[8]:.2f}",
                ]
            )
    return table(
        [
            "step (teams x decisions)",
            "× answers",
            "× pages",
            "× report time",
            "× time per page",
            "× plain time",
        ],
        out,
    )


def export_source(rev: str, workdir: Path) -> Path:
    """The `src/` folder of commit `rev`, exported into `workdir` (no worktree is touched)."""
    target = workdir / f"src-{rev}"
    target.mkdir()
    archive = subprocess.run(
        ["git", "-C", str(HERE.parent), "archive", rev, "src"], capture_output=True, check=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(target)], input=archive, check=True)
    return target / "src"


def before_after(rev: str, repeat: int, workdir: Path) -> str:
    """Flagship handouts and six-team report with commit `rev`'s code and with this tree's."""
    before = {"PYTHONPATH": str(export_source(rev, workdir))}
    six = six_team_flagship(workdir / "across-the-line-six-ba.yaml")
    with open_journal() as journal:
        session = play(journal, six, rationale_words=60, notes_per_move=3)
        sid = session.id
        session.close()
    cases = [
        ("flagship handouts", ["handouts", str(FLAGSHIP), "{out}", "letter"]),
        ("six-team flagship report", ["report", sid, "{out}.pdf", "letter"]),
    ]
    rows = []
    for label, args in cases:
        results: dict[str, list[float]] = {"before": [], "after": []}
        for _ in range(repeat):  # interleaved, so both see the same load
            for which, env in (("before", before), ("after", None)):
                out = workdir / f"ba-{which}-{len(results[which])}"
                argv = [PYTHON, "-m", "ttx.report.worker", *(a.format(out=out) for a in args)]
                results[which].append(run_child(argv, env=env).seconds)
        b, a = statistics.median(results["before"]), statistics.median(results["after"])
        rows.append([label, f"{b:.2f}", f"{a:.2f}", f"{a / b:.2f}", len(results["after"])])
    # Printing the same exercise twice through the command: the second is served by the cache.
    prints = []
    for n in range(2):
        command = [PYTHON, "-m", "ttx", "handouts", str(FLAGSHIP), "-o", str(workdir / f"re{n}")]
        prints.append(run_child(command).seconds)
    rows.append(
        [
            "tabletop handouts, first print / unchanged re-print",
            f"{prints[0]:.2f}",
            f"{prints[1]:.2f}",
            f"{prints[1] / prints[0]:.2f}",
            1,
        ]
    )
    return table(
        [f"document (before = {rev})", "before s", "after s", "after/before", "runs"], rows
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a fast smoke run")
    parser.add_argument("--repeat", type=int, default=None, help="renders per document")
    parser.add_argument("--before", metavar="REV", help="also time this commit's code, interleaved")
    args = parser.parse_args()
    repeat = args.repeat or (1 if args.quick else 3)
    isolated_home()
    load = os.getloadavg()
    print(
        f"Load average at start: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} CPUs\n"
    )
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        if args.before:
            print("### Before and after\n")
            print(before_after(args.before, repeat, workdir))
            print()
        print("### Flagship documents\n")
        rows = flagship_rows(repeat, workdir) + handouts(repeat, workdir)
        print(table(HEADERS, rows))
        print()
        # Two sweeps: teams double at ten decision points, decision points double at six teams.
        teams, points = ([2, 4], [5]) if args.quick else ([2, 6, 12, 24], [5, 10, 20])
        fixed_points, fixed_teams = points[len(points) // 2], teams[1]
        cells = [(n, fixed_points) for n in teams]
        cells += [(fixed_teams, m) for m in points if m != fixed_points]
        print("### After-action reports of generated sessions\n")
        print(
            "Five moves, three injects each; every team answers every decision with a "
            "150-word rationale; three notes per move.\n"
        )
        rows = grid(cells, repeat, workdir)
        print(table(HEADERS, rows))
        print()
        print("### Growth: report time as the work doubles\n")
        print(growth(rows, fixed_points, fixed_teams))
        medians = [r[9] for r in rows]
        print(f"\nOverhead over plain WeasyPrint: median {statistics.median(medians):.2f}×")
        alone = statistics.median(r[11] for r in rows)
        print(f"Over WeasyPrint alone on the same HTML: median {alone:.2f}×")
        load = os.getloadavg()
        print(f"Load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f}")


if __name__ == "__main__":
    main()
