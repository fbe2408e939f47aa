"""`python -m ttx`: the same as the `tabletop` command."""

import sys

from ttx.cli import main

sys.exit(main())
