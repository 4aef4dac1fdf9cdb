"""``python -m bot.sandbox serve ...``: see serve.py and README.md."""

import sys

from .serve import main

sys.exit(main())
