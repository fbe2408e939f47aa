"""Where the time goes when a document renders: pyinstrument on the six-team flagship report
and on one handout, in-process (the same calls the worker makes).

Run: .venv/bin/python benchmarks/profile_documents.py [--quick] [--html DIR]
Needs pyinstrument (`.venv/bin/pip install -e '.[bench]'`).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).parent))
from profiling import cumulative, hot_spots, tree
from sessions import FLAGSHIP, isolated_home, play, six_team_flagship
from stats import table

from ttx.api import open_journal


def phases(label: str, build: Callable[[], str]) -> list[Any]:
    """Seconds to build the HTML, then to lay it out and write the PDF (fonts already loaded)."""
    from ttx.report.render import render_pdf

    t0 = time.perf_counter()
    html = build()
    t1 = time.perf_counter()
    render_pdf(html)
    t2 = time.perf_counter()
    return [label, f"{len(html) / 1024:.0f} KB", t1 - t0, t2 - t1]


WARM_UP = (
    '<html lang="en"><head><title>warm-up</title><link rel="stylesheet" href="base/base.css">'
    "</head><body><h1>Á</h1><p>ñ <em>¿</em> <strong>x</strong> <code>x</code></p></body></html>"
)
# The decision matrices and the timeline are fixed-layout tables now; what is left
# inline-block is the improvement plan's columns.
NO_INLINE_BLOCK = ".ip-row > span { display: block !important; }"
NO_RUNNING_HEADERS = "@page { @top-left { content: none } @top-right { content: none } }"


def with_css(html: str, css: str) -> str:
    """The document with one more style sheet at the end of its head."""
    return html.replace("</head>", f"<style>{css}</style></head>", 1)


def ablation(html: str, repeat: int) -> list[list[Any]]:
    """Where the overhead over plain WeasyPrint comes from: the same report rendered with
    one ingredient of our pipeline removed at a time (in-process, median of `repeat`)."""
    import re
    import statistics

    import weasyprint
    from documents import plain_page

    from ttx.report import render as ttx_render
    from ttx.report.render import TEMPLATES, render_pdf

    base = TEMPLATES.as_uri() + "/"
    unstyled = re.sub(r"<link[^>]*stylesheet[^>]*>|<style.*?</style>", "", html, flags=re.S)
    variants: list[tuple[str, Callable[[], object]]] = [
        ("ttx render_pdf (our CSS and fonts, tagged PDF/UA)", lambda: render_pdf(html)),
        (
            "same HTML and CSS, untagged PDF",
            lambda: weasyprint.HTML(string=html, base_url=base).write_pdf(
                font_config=ttx_render._font_config
            ),
        ),
        (
            "our CSS, but no inline-block boxes (plan rows as blocks), tagged",
            lambda: render_pdf(with_css(html, NO_INLINE_BLOCK)),
        ),
        (
            "our CSS, but no running page headers, tagged",
            lambda: render_pdf(with_css(html, NO_RUNNING_HEADERS)),
        ),
        (
            "same HTML, no stylesheet, untagged",
            lambda: weasyprint.HTML(string=unstyled, base_url=base).write_pdf(),
        ),
        (
            "its text as plain paragraphs",
            lambda: weasyprint.HTML(string=plain_page(html)).write_pdf(),
        ),
    ]
    rows = []
    first = None
    for label, work in variants:
        times = []
        for _ in range(repeat):
            t0 = time.perf_counter()
            work()
            times.append(time.perf_counter() - t0)
        median = statistics.median(times)
        first = first or median
        rows.append([label, median, f"{median / first:.2f}"])
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="the four-team report only")
    parser.add_argument("--html", type=Path, help="also write pyinstrument's HTML pages here")
    args = parser.parse_args()
    from pyinstrument import Profiler

    from ttx.model.validate import load_exercise
    from ttx.report.aar import report_html
    from ttx.report.handouts import handout_set
    from ttx.report.render import render_pdf

    isolated_home()
    render_pdf(WARM_UP)  # import WeasyPrint and load the fonts before timing anything
    with tempfile.TemporaryDirectory() as tmp:
        path = FLAGSHIP if args.quick else six_team_flagship(Path(tmp) / "six.yaml")
        with open_journal() as journal:
            session = play(journal, path, rationale_words=60, notes_per_move=3)
            state = session.state
            session.close()
    docs = handout_set(load_exercise(FLAGSHIP))
    rows = [phases(f"report, {len(state.teams)} teams", lambda: report_html(state, "letter"))]
    rows += [phases(doc.title, lambda doc=doc: doc.html("letter")) for doc in docs]
    print("### Phases (in-process, WeasyPrint and fonts already loaded)\n")
    print(table(["document", "HTML", "build HTML s", "layout + PDF s"], rows))
    print("\n### Overhead by ingredient: the report\n")
    print(
        table(
            ["variant", "median s", "× of ours"],
            ablation(report_html(state, "letter"), 1 if args.quick else 3),
        )
    )
    targets: list[tuple[str, Callable[[], object]]] = [
        ("report", lambda: render_pdf(report_html(state, "letter"))),
    ]
    if not args.quick:
        longest = max(docs, key=lambda d: len(d.html("letter")))
        targets.append((longest.title, lambda: render_pdf(longest.html("letter"))))
    for label, work in targets:
        profiler = Profiler(interval=0.001)
        profiler.start()
        work()
        profiler.stop()
        print(f"\n### Hot spots: {label} (self time)\n")
        print(table(["where", "function", "s", "share"], hot_spots(profiler)))
        print(f"\n### Call tree: {label} (frames over 3 %)\n")
        print(table(["function", "where", "s", "share"], tree(profiler)))
        print(f"\n### Inclusive time in ttx and WeasyPrint entry points: {label}\n")
        print(
            table(
                ["where", "function", "s", "share"],
                cumulative(profiler, ("ttx/", "weasyprint/layout", "weasyprint/css")),
            )
        )
        if args.html:
            args.html.mkdir(parents=True, exist_ok=True)
            (args.html / f"{label.replace(' ', '-')}.html").write_text(profiler.output_html())


if __name__ == "__main__":
    main()
