"""`python -m assistant.cli …`, the same as the `assistant` command."""

import sys

from .main import main

sys.exit(main())
