"""``python -m sim`` is the same as the ``oasim`` command."""

from .cli import main

raise SystemExit(main())
