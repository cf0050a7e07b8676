"""`python -m tipkg` runs the command line."""

import sys

from tipkg.cli import main

sys.exit(main())
