"""``symbrnn doctor``: what this machine offers symbrnn — the LaTeX sandbox (and what it
shows the compiler), TeX Live, Chromium, auto-multiple-choice and PyTorch."""

from __future__ import annotations

import click

from symbrnn.errors import LANGS, flag, spell
from symbrnn.words import say

TEX_LIVE = (
    "apt-get install texlive-latex-base texlive-latex-recommended texlive-pictures "
    "texlive-lang-french latexmk"
)
# (name, the programs, what symbrnn uses it for, how to install it)
PROGRAMS = (
    ("latexmk, pdflatex", ("latexmk", "pdflatex"), "use.latex", TEX_LIVE),
    ("chromium", ("chromium",), "use.chromium", "apt-get install chromium"),
    (
        "auto-multiple-choice",
        ("auto-multiple-choice",),
        "use.amc",
        "apt-get install --no-install-recommends auto-multiple-choice",
    ),
)


def _say(key: str, lang: str, **params) -> str:
    return say("doctor." + key, lang, **params)


def _programs(name: str, programs: tuple[str, ...], use: str, install: str, lang: str) -> str:
    import shutil

    found = [shutil.which(p) for p in programs]
    if all(found):
        return _say("present", lang, name=name, where=", ".join(found), use=_say(use, lang))
    return _say("missing", lang, name=name, use=_say(use, lang), install=install)


def _torch(lang: str) -> str:
    import importlib.metadata
    import importlib.util

    use = _say("use.torch", lang)
    if importlib.util.find_spec("torch") is None:  # found, never imported: it is heavy
        return _say("missing", lang, name="torch", use=use, install="pip install torch")
    version = importlib.metadata.version("torch")
    return _say("present", lang, name="torch", where=version, use=use)


def sandbox_lines(lang: str) -> list[str]:
    """Whether the LaTeX sandbox is active, and what it shows the compiler (listed from inside)."""
    from symbrnn.sheets import sandbox
    from symbrnn.sheets.compile import TEX_SETTINGS

    found = sandbox.probe()
    if not found.active:
        return [spell(sandbox.word("inactive", lang, why=found.reason(lang)), flag)]
    active = sandbox.word(
        "active",
        lang,
        read_only=", ".join(sandbox.read_only()),
        build=sandbox.BUILD,
        names=" ".join(sandbox.environment(TEX_SETTINGS)),
    )
    return [active, "  " + sandbox.shown(lang)]


@click.command(short_help="Say what this machine offers symbrnn: LaTeX, its sandbox, tools.")
@click.option("--lang", type=click.Choice(list(LANGS)), default="en", help="Language.")
def doctor(lang):
    """Say what this machine offers symbrnn: whether LaTeX compiles in its sandbox (and
    what the sandbox shows the compiler: TeX Live read-only, the build folder, nothing
    else), and whether TeX Live, Chromium, auto-multiple-choice and PyTorch are here.

    A shared sheet's LaTeX compiles only in the sandbox (bubblewrap); where it cannot
    start, such a sheet is refused unless --trusted. Exit code 0.

    \b
    Examples:
      symbrnn doctor
      symbrnn doctor --lang fr
    """
    lines = [*sandbox_lines(lang), *(_programs(*row, lang) for row in PROGRAMS), _torch(lang)]
    click.echo("\n".join(lines))
    return 0
