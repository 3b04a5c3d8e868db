"""The processes a test started, found by a marker in their environment: never the other
processes of the machine (another LaTeX compile, another test run)."""

import os
from pathlib import Path


def processes_with(marker: str) -> list[str]:
    """The command names of the live processes (not zombies, not this one) whose
    environment holds ``marker`` (a variable's name, or ``NAME=value``)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit() or int(proc.name) == os.getpid():
            continue
        try:
            if marker.encode() not in (proc / "environ").read_bytes():
                continue
            state = (proc / "stat").read_text().rsplit(")", 1)[1].split()[0]
            name = (proc / "comm").read_text().strip()
        except OSError:
            continue
        if state != "Z":
            found.append(name)
    return found
