"""``python -m assistant COMMANDE``: every command but ``serve`` (``python -m bilan serve``)."""

import sys

from assistant.cli import main

sys.exit(main())
