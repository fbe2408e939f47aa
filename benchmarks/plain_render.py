"""The baseline renderer: plain WeasyPrint on one HTML file, nothing of ours in the layout.

Run as a child process by documents.py: `python plain_render.py IN.html OUT.pdf [BASE_URL]`
(BASE_URL: where the page's relative links point; ttx's own HTML needs the templates folder).
It starts as the ttx worker starts, so that only the documents differ: the same lowered
CPU priority (`ttx.report.processes.NICENESS`) and the same lookup of WeasyPrint's libraries
(`ttx.report.libraries.import_weasyprint`, ~0.3 s less than WeasyPrint's own at start-up).
The PDF is untagged, with WeasyPrint's defaults: no fetcher, no identifier, no fonts of ours
but the body font the page names.
"""

import os
import sys

from ttx.report.libraries import import_weasyprint
from ttx.report.processes import NICENESS

if __name__ == "__main__":
    os.nice(NICENESS)
    weasyprint = import_weasyprint()
    base_url = sys.argv[3] if len(sys.argv) > 3 else None
    weasyprint.HTML(filename=sys.argv[1], base_url=base_url).write_pdf(sys.argv[2])
