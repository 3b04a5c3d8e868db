"""Answer sheets: a sheet's data (``derivations/NAME.toml``) + the engine's results → LaTeX → PDF.

>>> tex = render_sheet("td5", lang="en", answers=False)
>>> tex.count(r"\\subsection*{")
14
"""

from __future__ import annotations

import os
import random
import re
import subprocess
import tempfile
import tomllib
from importlib import resources
from pathlib import Path

from symbrnn.errors import InputError, SymbrnnError
from symbrnn.printing.escape import latex_escape

LANGS = ("fr", "en")
BABEL = {"fr": "french", "en": "english"}


class LatexError(SymbrnnError):
    """A sheet that LaTeX could not compile (exit code 1)."""


def _env():
    import jinja2

    env = jinja2.Environment(
        block_start_string="((*",
        block_end_string="*))",
        variable_start_string="(((",
        variable_end_string=")))",
        comment_start_string="((=",
        comment_end_string="=))",
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        loader=jinja2.PackageLoader("symbrnn.sheets", "templates"),
    )
    env.filters["tex"] = latex_escape  # every name that reaches LaTeX from data goes through it
    return env


def load_sheet(name: str) -> dict:
    """A sheet by name (built-in, from the installed ``derivations`` data) or by path to a TOML file."""
    path = Path(name)
    try:
        if name.endswith(".toml"):
            if not path.is_file():
                raise InputError(f"sheet file not found: {name}")
            text = path.read_text(encoding="utf-8")
        else:
            source = resources.files("derivations") / f"{name}.toml"
            if not source.is_file():
                known = ", ".join(
                    sorted(
                        p.name[:-5]
                        for p in resources.files("derivations").iterdir()
                        if p.name.endswith(".toml")
                    )
                )
                raise InputError(
                    f"unknown sheet {name!r}; built-in sheets: {known} (or give a FILE.toml)"
                )
            text = source.read_text(encoding="utf-8")
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise InputError(f"sheet {name}: invalid TOML: {exc}") from None


def variant_sizes(sheet: dict, seed: int) -> dict:
    """Other sizes drawn from the sheet's [variants] ranges, reproducibly from the seed."""
    sizes = dict(sheet["sizes"])
    rng = random.Random(seed)
    for key, spec in sheet.get("variants", {}).items():
        if spec and isinstance(spec[0], str):
            sizes[key] = rng.choice(spec)
        elif key == "units":
            sizes[key] = [rng.randint(*spec) for _ in sheet["sizes"]["units"]]
        else:
            sizes[key] = rng.randint(*spec)
    return sizes


def render_sheet(
    name: str = "td5",
    *,
    lang: str | None = None,
    answers: bool = True,
    variant_seed: int | None = None,
) -> str:
    """The LaTeX source of a sheet, deterministic for the same inputs."""
    from symbrnn.sheets.results import compute

    sheet = load_sheet(name)
    meta = sheet["sheet"]
    lang = lang or meta.get("default_lang", "fr")
    if lang not in LANGS:
        raise InputError(f"unknown language {lang!r}; choose one of: {', '.join(LANGS)}")
    sizes = sheet["sizes"] if variant_seed is None else variant_sizes(sheet, variant_seed)
    results = compute(meta["results"], sizes)
    env = _env()

    def fill(text):
        return env.from_string(text).render(sizes=sizes, r=results)

    def pick(node, key):
        value = node.get(key, "")
        return fill(value[lang] if isinstance(value, dict) else value)

    sections = []
    for section in sheet["sections"]:
        questions = [
            {"id": q["id"], "text": pick(q, "text"), "answer": pick(q, "answer") if answers else ""}
            for q in section["questions"]
        ]
        sections.append(
            {
                "number": section["number"],
                "title": pick(section, "title"),
                "intro": pick(section, "intro"),
                "questions": questions,
            }
        )
    title = meta["title"][lang] + (
        f" (variante {variant_seed})"
        if variant_seed is not None and lang == "fr"
        else f" (variant {variant_seed})"
        if variant_seed is not None
        else ""
    )
    if not answers:
        title = re.sub(r"\s*(:|--)?\s*(corrigé|answer key)\s*", " ", title).strip()
    return env.get_template("sheet.tex.j2").render(
        sheet=meta,
        babel=BABEL[lang],
        title=title,
        subtitle=meta["subtitle"][lang],
        labels=sheet["labels"][lang],
        sections=sections,
        answers=answers,
        verification=fill(sheet["verification"][lang])
        if answers and "verification" in sheet
        else "",
        appendix=_appendix(lang) if answers else [],
    )


def _appendix(lang):
    from symbrnn.engine.cells import gru, lstm, simple_rnn
    from symbrnn.sheets.appendix import step_latex, step_source

    cells = [simple_rnn(), lstm(), gru(reset_after=False)]
    return [
        {"title": latex_escape(c.description), "source": step_source(c), "latex": step_latex(c)}
        for c in cells
    ]


def compile_pdf(tex_path: Path) -> Path:
    """Compile with latexmk (pdflatex); a failure reports LaTeX's message and the offending line."""
    import shutil

    if shutil.which("latexmk") is None:
        raise InputError(
            "--pdf needs latexmk and pdflatex (Debian: texlive-latex-base "
            "texlive-latex-recommended texlive-pictures texlive-lang-french latexmk)"
        )
    tex_path = Path(tex_path).resolve()
    with tempfile.TemporaryDirectory() as build:
        proc = subprocess.run(
            [
                "latexmk",
                "-pdf",
                "-interaction=nonstopmode",
                "-halt-on-error",
                "-file-line-error",
                f"-outdir={build}",
                str(tex_path),
            ],
            capture_output=True,
            text=True,
            cwd=build,
            env={**os.environ, "max_print_line": "10000"},  # one log line per message
        )
        pdf = Path(build) / (tex_path.stem + ".pdf")
        if proc.returncode != 0 or not pdf.exists():
            log = Path(build) / (tex_path.stem + ".log")
            raise LatexError(
                latex_error(
                    log.read_text(errors="replace") if log.exists() else proc.stdout, tex_path
                )
            )
        target = tex_path.with_suffix(".pdf")
        tmp = target.with_suffix(".pdf.tmp")
        shutil.copyfile(pdf, tmp)
        tmp.replace(target)
        return target


def latex_error(log: str, tex_path: Path) -> str:
    """The first LaTeX error of a log as one line: message, line number and that line of the source."""
    m = re.search(r"^(?:.*?:(\d+): |! )(.+)$", log, flags=re.M)
    if not m:
        return "LaTeX failed; see the log"
    message = m.group(2).strip()
    line = m.group(1)
    if line is None:
        l_match = re.search(r"^l\.(\d+)", log[m.end() :], flags=re.M)
        line = l_match.group(1) if l_match else None
    if line is None:
        return f"LaTeX error: {message}"
    try:
        source = tex_path.read_text(encoding="utf-8").splitlines()[int(line) - 1].strip()
    except (OSError, IndexError):
        source = ""
    return f"LaTeX error in {tex_path.name}, line {line}: {message}: {source[:120]}"
