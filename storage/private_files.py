"""Files and folders only their owner may open: the service's secrets and the fixtures' private keys.

Two modes, :data:`PRIVATE_FILE_MODE` (0600) and :data:`PRIVATE_DIRECTORY_MODE` (0700), and
:func:`write_private`, which writes a file so that its content is never readable by anyone else, even for
a moment and even when the file existed before with a wider mode. On systems without POSIX modes (Windows)
the modes are whatever ``os.chmod`` can express there.
"""

from __future__ import annotations

import os
from pathlib import Path

PRIVATE_FILE_MODE = 0o600
PRIVATE_DIRECTORY_MODE = 0o700


def write_private(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` with mode 0600, replacing any earlier content: a new file is created
    with that mode, an existing one is narrowed to it before a byte is written. Raises OSError as
    ``os.open`` and ``write`` do."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, PRIVATE_FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        os.chmod(path, PRIVATE_FILE_MODE)  # O_CREAT's mode applies to a new file only
        handle.write(data)
