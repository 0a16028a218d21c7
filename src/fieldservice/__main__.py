"""``python -m fieldservice``: the same as the ``fieldservice`` command."""

import sys

from fieldservice.cli import main

sys.exit(main())
