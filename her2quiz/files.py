"""Writing output files so that a failure never leaves a partial one, or a mixed set.

Every output of one run is written to a temporary file beside its target first; only when
all are written are they renamed into place, one after another. A failure before the
renames leaves every old file as it was; the message names the target that failed, never
a temporary. A rewritten file keeps its permission bits. Temporaries of our own naming that
a killed run left behind are removed when the next run writes beside them.
"""

from __future__ import annotations

import os
import re
import stat
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

_TEMP = re.compile(r"^\.(?P<name>.+)\.(?P<pid>[0-9]+)\.[0-9a-f]{8}\.h2q-tmp$")
STALE_SECONDS = 3600  # a temporary of ours older than this belongs to no running build


class WriteError(Exception):
    """An output could not be written; ``path`` is the target, ``reason`` the system's word."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"cannot write {path}: {reason}")
        self.path = path
        self.reason = reason


class Refused(Exception):
    """A file the tool will not read: outside its folder, not a regular file, too large."""


def read_bounded(path: Path, limit: int, *, inside: Path | None = None) -> bytes:
    """The bytes of a regular file of at most ``limit`` bytes; Refused otherwise, before
    reading anything (a FIFO, a device or a huge file never blocks or fills memory).

    With ``inside``, the path (symbolic links followed) must lie within that folder.
    OSError when the file cannot be opened (missing, unreadable).
    """
    if inside is not None:
        real, root = os.path.realpath(path), os.path.realpath(inside)
        if os.path.commonpath([real, root]) != root:
            raise Refused("resolves outside the sources folder")
    info = os.stat(path)
    if not stat.S_ISREG(info.st_mode):
        raise Refused("is not a regular file")
    if info.st_size > limit:
        raise Refused(f"is {info.st_size:,} bytes; the limit is {limit:,} bytes")
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    with os.fdopen(fd, "rb") as f:
        data = f.read(limit + 1)
    if len(data) > limit:
        raise Refused(f"grew past {limit:,} bytes while being read; the limit is {limit:,} bytes")
    return data


@dataclass(frozen=True)
class Output:
    """One file to write: its target and its bytes."""

    path: Path
    data: bytes


def write_atomically(path: Path, data: bytes) -> None:
    """Write one file atomically (see :func:`write_together`)."""
    write_together([Output(Path(path), data)])


def write_together(outputs: Iterable[Output]) -> None:
    """Write every output to a temporary beside it, then rename them all into place.

    Raises WriteError naming the first target that could not be written; then no target
    has changed (the renames happen only once every temporary is whole).
    """
    staged: list[tuple[Path, Path]] = []
    try:
        for output in outputs:
            staged.append((output.path, _stage(output)))
        for target, tmp in staged:
            try:
                os.replace(tmp, target)
            except OSError as e:
                raise WriteError(target, e.strerror or str(e)) from None
    finally:
        for _, tmp in staged:
            if os.path.lexists(tmp):
                tmp.unlink(missing_ok=True)


def _stage(output: Output) -> Path:
    path = output.path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise WriteError(path, e.strerror or str(e)) from None
    if path.is_dir():
        raise WriteError(path, "it is a folder")
    _clean_stale(path.parent)
    tmp = path.parent / f".{path.name}.{os.getpid()}.{os.urandom(4).hex()}.h2q-tmp"
    try:
        mode = stat.S_IMODE(os.stat(path).st_mode)
    except OSError:
        mode = None  # a new file: the umask decides, as for any new file
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as f:
            f.write(output.data)
        if mode is not None:
            os.chmod(tmp, mode)
    except OSError as e:
        tmp.unlink(missing_ok=True)
        raise WriteError(path, e.strerror or str(e)) from None
    return tmp


def _clean_stale(folder: Path) -> None:
    """Remove our own temporaries that a killed run left (an hour old, or of a dead process)."""
    try:
        names = [n for n in os.listdir(folder) if n.endswith(".h2q-tmp")]
    except OSError:
        return
    now = time.time()
    for name in names:
        m = _TEMP.match(name)
        if m is None:
            continue
        path = folder / name
        try:
            old = now - path.lstat().st_mtime > STALE_SECONDS
            if old or not _alive(int(m["pid"])):
                path.unlink()
        except OSError:
            continue


def _alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True
    return True
