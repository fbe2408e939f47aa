"""The baseline renderer: plain WeasyPrint on one HTML file, nothing of ours.

Run as a child process by documents.py: `python plain_render.py IN.html OUT.pdf`.
"""

import sys

import weasyprint

if __name__ == "__main__":
    weasyprint.HTML(filename=sys.argv[1]).write_pdf(sys.argv[2])
