"""``python -m api``: the ``kzpki`` command line without an installed console script."""

from api.cli import main

main()
