"""LaTeX in an OS sandbox: the compiler sees TeX Live read-only, its build folder, a private
``/tmp`` and an empty environment, and nothing else.

bubblewrap (``bwrap``, Debian's ``bubblewrap``) starts pdflatex in new namespaces
(``--unshare-all``): no network, a ``/proc`` of its own (never the parent's), a ``/dev`` of a
few nodes, no capability even as root (``--cap-drop ALL``), only the variables listed here
(``--clearenv``), killed with its parent (``--die-with-parent``), in a session of its own
(``--new-session``: no terminal to write into). Its file system is read-only binds of
``/usr`` (TeX Live and its libraries), ``/etc/texmf`` and ``/var/lib/texmf`` (TeX Live's
configuration and formats) and ``/etc/ld.so.cache``, the build folder read-write as
``/build``, and an empty ``/tmp``: no ``/root``, ``/home``, ``/etc/passwd``, other build or
parent's environment to read, even with ``\\pdfobj stream file``, which ignores
``openin_any``.

Whether the sandbox starts is probed once per process (``bwrap … true``). Where it cannot
(bwrap missing, no namespaces), a sheet that is not built in is refused in one line naming
``--trusted``; built-in sheets compile as before.
"""

from __future__ import annotations

import contextlib
import functools
import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from symbrnn.errors import InputError, Spelling, plain, spell
from symbrnn.words import say

BUILD = "/build"  # where the build folder appears to the compiler
_READ_ONLY = ("/usr", "/etc/texmf", "/var/lib/texmf", "/etc/ld.so.cache")
_TOP = ("bin", "sbin", "lib", "lib32", "lib64", "libx32")  # merged /usr: symlinks into it
_PROBE_SECONDS = 20


def word(key: str, lang: str | None = "en", /, **params) -> str:
    """The sentence ``sandbox.<key>`` of the word book in ``lang`` (fr or en)."""
    return say(f"sandbox.{key}", lang or "en", **params)


@dataclass(frozen=True)
class Probe:
    """Whether the sandbox starts here; if not, why (a key of ``word`` and bwrap's own line)."""

    active: bool
    why: str = ""
    detail: str = ""

    def reason(self, lang: str | None = "en") -> str:
        return word(self.why, lang, detail=self.detail) if self.why else ""


class SandboxUnavailable(InputError):
    """A sheet that is not built in, where the sandbox cannot start (exit 2), in either
    language: ``str()`` is English, :meth:`text` chooses."""

    def __init__(self, probe: Probe, lang: str | None = None):
        self.probe = probe
        super().__init__(self.text(lang or "en"))

    def text(self, lang: str | None = "en", spelling: Spelling = plain) -> str:
        return spell(word("refused", lang, why=self.probe.reason(lang)), spelling)


def is_shared(sheet: str, trusted: bool) -> bool:
    """Whether a sheet's LaTeX must compile in the sandbox: a FILE.toml (a built-in sheet is
    a bare name, as ``spec.load_sheet`` reads it) not marked ``--trusted``."""
    return str(sheet).endswith(".toml") and not trusted


def require(lang: str | None = None) -> None:
    """Refuse a sheet that is not built in, in one line, where the sandbox cannot start."""
    found = probe()
    if not found.active:
        raise SandboxUnavailable(found, lang)


@functools.cache
def probe() -> Probe:
    """Start the sandbox once (``bwrap … true``) and remember whether it worked."""
    if shutil.which("bwrap") is None:
        return Probe(False, "why.missing")
    try:
        run = subprocess.run(
            [*_bwrap(None, {"PATH": "/usr/bin:/bin"}), "true"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=_PROBE_SECONDS,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return Probe(False, "why.failed", str(exc)[:200])
    if run.returncode != 0:
        lines = run.stderr.decode("utf-8", "replace").strip().splitlines() or ["exit code"]
        return Probe(False, "why.failed", lines[-1][:200])
    return Probe(True)


def command(latex: list[str], build: Path, settings: dict[str, str]) -> list[str]:
    """``latex`` run in the sandbox, ``build`` as its working folder, ``settings`` its
    TeX variables (paranoid file access, fixed dates)."""
    return [*_bwrap(build, environment(settings)), *latex]


def environment(settings: dict[str, str]) -> dict[str, str]:
    """The compiler's whole environment: a path, the build folder as home and output folder."""
    tex_bin = _tex_bin()
    path = "/usr/bin:/bin" if tex_bin is None else f"{tex_bin}:/usr/bin:/bin"
    return {"PATH": path, "HOME": BUILD, "TEXMFOUTPUT": BUILD, "TMPDIR": "/tmp", **settings}


def read_only() -> list[str]:
    """The host's paths the compiler sees, read-only (those that exist here)."""
    paths = [p for p in _READ_ONLY if os.path.exists(p)]
    root = _tex_root()
    return paths if root is None else [*paths, root]


def shown(lang: str | None = "en") -> str:
    """What the sandbox shows, listed from inside it: the entries of / and of /etc."""
    try:
        output = subprocess.run(
            [*_bwrap(None, {"PATH": "/usr/bin:/bin"}), "ls", "-A", "/", "/etc"],
            stdin=subprocess.DEVNULL,
            capture_output=True,
            timeout=_PROBE_SECONDS,
            text=True,
        ).stdout
    except (OSError, subprocess.SubprocessError):
        output = ""
    listing = {}
    for block in output.split("\n\n"):  # ls: "FOLDER:", then one entry a line
        folder, _, entries = block.partition(":\n")
        listing[folder] = " ".join(entries.split()) or "-"
    return word("shown", lang, top=listing.get("/", "-"), etc=listing.get("/etc", "-"))


def _bwrap(build: Path | None, env: dict[str, str]) -> list[str]:
    args = ["bwrap", "--unshare-all", "--cap-drop", "ALL", "--clearenv", "--die-with-parent"]
    args += ["--new-session"]
    for path in read_only():
        args += ["--ro-bind", path, path]
    for name in _TOP:
        top = Path("/", name)
        if top.is_symlink():
            args += ["--symlink", os.readlink(top), str(top)]
        elif top.is_dir():
            args += ["--ro-bind", str(top), str(top)]
    args += ["--tmpfs", "/tmp", "--proc", "/proc", "--dev", "/dev"]
    if build is not None:
        args += ["--bind", str(build), BUILD, "--chdir", BUILD]
    else:
        args += ["--chdir", "/"]
    for name, value in env.items():
        args += ["--setenv", name, value]
    return [*args, "--"]


def _tex_bin() -> str | None:
    """pdflatex's folder when TeX Live is installed outside /usr (TUG's installer)."""
    found = shutil.which("pdflatex")
    if found is None:
        return None
    folder = os.path.dirname(os.path.realpath(found))
    return None if folder.startswith("/usr/") else folder


def _tex_root() -> str | None:
    """The TeX Live tree outside /usr (``…/texlive/2024`` above ``bin/x86_64-linux``)."""
    tex_bin = _tex_bin()
    if tex_bin is None:
        return None
    with contextlib.suppress(IndexError):
        return str(Path(tex_bin).parents[1])
    return None


__all__ = ["Probe", "SandboxUnavailable", "command", "is_shared", "probe", "require", "word"]
