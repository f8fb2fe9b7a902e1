"""``python -m newsevents``: the same command line as ``newsevents`` (``newsevents.cli``)."""

import sys

from newsevents.cli import main

sys.exit(main())
