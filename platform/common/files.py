"""The one way Veracast writes a file that holds a key or personal data: owner-only from its first byte.

Uploaded and stored files (the vault, segments, exports) go through Django's FileSystemStorage, which applies
`FILE_UPLOAD_PERMISSIONS` (0600) and `FILE_UPLOAD_DIRECTORY_PERMISSIONS` (0700) from the settings; everything
the app writes by itself (keys, certificates, the demo's summary and stream) goes through `write_private`. The
process umask is left alone: these two cover every writer, and a umask would also change files of libraries.
"""

from __future__ import annotations

import os
from pathlib import Path

FILE_MODE = 0o600
DIRECTORY_MODE = 0o700


def make_private_dir(path: Path) -> None:
    """Create `path` (and missing parents) as 0700; an existing directory keeps its mode."""
    path.mkdir(mode=DIRECTORY_MODE, parents=True, exist_ok=True)


def write_private(path: Path, data: bytes) -> None:
    """Write `data` to `path` atomically, readable and writable by the owner only, never more for an instant."""
    path = Path(path)
    make_private_dir(path.parent)
    tmp = path.with_name(path.name + ".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, FILE_MODE)
    with os.fdopen(fd, "wb") as handle:
        os.fchmod(handle.fileno(), FILE_MODE)  # O_CREAT's mode does not apply to a leftover .tmp from a crash
        handle.write(data)
    os.replace(tmp, path)


def ensure_private_file(path: Path) -> None:
    """Create `path` empty as 0600 if missing, or take group and other access away if it exists.

    For files another library creates, such as the demo's SQLite database (SQLite gives its journal files the
    database file's mode, so they follow).
    """
    path = Path(path)
    make_private_dir(path.parent)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT, FILE_MODE)
    try:
        os.fchmod(fd, FILE_MODE)
    finally:
        os.close(fd)
