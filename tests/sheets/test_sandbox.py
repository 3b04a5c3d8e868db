"""A shared sheet's LaTeX compiles in an OS sandbox that shows TeX Live and its build folder,
nothing else: hostile LaTeX, past the guard, reads no file and no environment."""

import contextlib
import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from symbrnn.sheets import compile as sheet_compile
from symbrnn.sheets import sandbox
from symbrnn.sheets.compile import LatexError, compile_tex
from tests.conftest import need_program

ROOT = Path(__file__).parents[2]
DATA = ROOT / "tests" / "data"
TEX_LIVE = (
    "texlive-latex-base texlive-latex-recommended texlive-pictures texlive-lang-french latexmk"
)
CONTROL = "CONTROLTEXTSHOWN"
BROKEN = sandbox.Probe(False, "why.failed", "bwrap: No permissions to create new namespace")


def _needs_latex():
    need_program("latexmk", TEX_LIVE)
    need_program("pdftotext", "poppler-utils")


def _needs_sandbox():
    """The sandbox must start here; where it cannot, skip, or fail when CI requires bwrap."""
    _needs_latex()
    need_program("bwrap", "bubblewrap")
    found = sandbox.probe()
    if not found.active:
        required = {m.strip() for m in os.environ.get("SYMBRNN_REQUIRE", "").split(",")}
        message = f"the LaTeX sandbox cannot start here: {found.reason()}"
        if "bwrap" in required:
            pytest.fail(message + " (SYMBRNN_REQUIRE)")
        pytest.skip(message)


def _reads(method: str, path: str) -> str:
    """LaTeX that reads ``path`` by ``method`` and typesets or embeds what it got. The first
    three say MISSING when they find nothing; ``\\pdfobj`` (which ignores openin_any) stops."""
    if method == "input":
        return rf"\IfFileExists{{{path}}}{{\input{{{path}}}}}{{MISSING}}"
    if method == "openin":
        return (
            rf"\openin\reader={path} \ifeof\reader MISSING\else"
            r"\read\reader to\x \detokenize\expandafter{\x}\closein\reader\fi"
        )
    if method == "pdffiledump":
        return rf"\texttt{{\pdffiledump offset 0 length 200 {{{path}}}}}"
    assert method == "pdfobj"
    return rf"\immediate\pdfobj stream file{{{path}}}\pdfrefobj\pdflastobj FOUND"


def _document(method: str, paths: list[str]) -> str:
    reads = "\n\n".join(_reads(method, p) for p in paths)
    return (
        "\\pdfcompresslevel=0 \\pdfobjcompresslevel=0\n"
        "\\documentclass{article}\\newread\\reader\\sloppy\n"
        f"\\begin{{document}}\n{CONTROL}\n\n{reads}\n\\end{{document}}\n"
    )


def _text(pdf: bytes, tmp_path: Path) -> str:
    path = tmp_path / "read.pdf"
    path.write_bytes(pdf)
    return subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def _leaks(pdf: bytes, text: str, secrets: dict[str, bytes]) -> list[str]:
    """The secrets found in the PDF: in its text, its raw (uncompressed) streams, or as hex."""
    flat = "".join(text.split())
    return [
        name
        for name, secret in secrets.items()
        if secret in pdf
        or secret.decode() in flat
        or secret.hex().upper() in flat.upper()
        or secret.hex().upper().encode() in pdf.upper()
    ]


@pytest.fixture
def secrets(tmp_path, monkeypatch):
    """Files and an environment variable outside the build folder, each holding a secret."""
    token = f"SECRETENVTOKEN{os.getpid()}X"
    monkeypatch.setenv("SYMBRNN_SECRET_PROBE", token)
    dot = tmp_path / ".symbrnnrc"
    dot.write_text("DOTFILESECRETLINE\n")
    plain = tmp_path / "notes.txt"
    plain.write_text("TMPFILESECRETLINE\n")
    passwd = Path("/etc/passwd").read_bytes().splitlines()[0][:10]  # root:x:0:0
    paths = {
        "/etc/passwd": passwd,
        str(dot): b"DOTFILESECRETLINE",
        str(plain): b"TMPFILESECRETLINE",
        "/proc/self/environ": token.encode(),
        "/proc/1/environ": token.encode(),
        f"/proc/{os.getpid()}/environ": token.encode(),
    }
    return paths


def _leaked(method: str, secrets: dict[str, bytes], tmp_path: Path, shared: bool) -> list[str]:
    """The secrets a document per file shows when it reads that file by ``method``."""
    leaked = []
    for path, secret in secrets.items():
        try:
            pdf = compile_tex(_document(method, [path]), shared=shared)
        except LatexError as exc:  # \pdfobj of a file it cannot see: no PDF at all
            assert method == "pdfobj" and "not found" in str(exc), exc
            continue
        text = _text(pdf, tmp_path)
        assert CONTROL in text  # the compile ran, and what it typesets is read back
        leaked += _leaks(pdf, text, {path: secret})
    return leaked


@pytest.mark.parametrize("method", ["input", "openin", "pdfobj", "pdffiledump"])
def test_hostile_latex_reads_nothing_outside_the_build_folder(tmp_path, secrets, method):
    _needs_sandbox()
    assert _leaked(method, secrets, tmp_path, shared=True) == []


def test_without_the_sandbox_the_same_reads_leak(tmp_path, secrets, monkeypatch):
    """The measure can fail: outside the sandbox \\pdfobj reads what openin_any forbids."""
    _needs_latex()
    monkeypatch.setattr(sandbox, "probe", lambda: BROKEN)
    targets = {p: s for p, s in secrets.items() if p.startswith((str(tmp_path), "/proc/self"))}
    assert sorted(_leaked("pdfobj", targets, tmp_path, shared=False)) == sorted(targets)


def test_a_harmless_document_compiles_in_the_sandbox_as_outside(tmp_path, monkeypatch):
    _needs_sandbox()
    doc = _document("input", ["nosuchfile.tex"])
    inside = compile_tex(doc, shared=True)
    assert CONTROL in _text(inside, tmp_path) and "MISSING" in _text(inside, tmp_path)
    monkeypatch.setattr(sandbox, "probe", lambda: BROKEN)
    assert compile_tex(doc) == inside  # byte-identical, sandbox or not


def test_the_compiler_sees_only_tex_live_and_its_folder(tmp_path):
    _needs_sandbox()
    listing = sandbox.shown()
    top = listing.split("/ holds ", 1)[1].split(";")[0].split()
    assert {"usr", "tmp", "proc", "dev"} <= set(top)
    assert not {"root", "home", "work", "opt", "srv", "mnt", "run"} & set(top)
    assert listing.split("/etc holds ", 1)[1].split() == sorted(
        Path(p).name for p in sandbox.read_only() if p.startswith("/etc/")
    )


def test_a_loop_in_the_sandbox_leaves_no_process(monkeypatch):
    _needs_sandbox()
    builds = []
    real = sheet_compile.build_folder

    @contextlib.contextmanager
    def recorded():
        with real() as build:
            builds.append(str(build))
            yield build

    monkeypatch.setattr(sheet_compile, "build_folder", recorded)
    monkeypatch.setattr(sheet_compile, "COMPILE_SECONDS", 3)
    with pytest.raises(LatexError, match=r"did not finish in 3 s"):
        compile_tex(
            r"\documentclass{article}\begin{document}\def\x{\x}\x\end{document}", shared=True
        )
    # the sandbox's first processes name the build folder; the others share their PID namespace
    first = [p for p in _processes() if builds[0].encode() in _read(p / "cmdline")]
    spaces = {_namespace(p) for p in first} - {_namespace(Path("/proc/self")), ""}
    sandboxed = [p for p in _processes() if _namespace(p) in spaces]
    assert [p.name for p in first + sandboxed if _can_run(p)] == []


def _processes() -> list[Path]:
    return [p for p in Path("/proc").iterdir() if p.name.isdigit()]


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError:  # gone
        return b""


def _namespace(proc: Path) -> str:
    try:
        return os.readlink(proc / "ns" / "pid")
    except OSError:
        return ""


def _can_run(proc: Path) -> bool:
    """Whether a process may still run code: not a zombie, not exiting, no SIGKILL pending
    (one the kernel has killed is gone a moment later, whatever the clock says)."""
    status = _read(proc / "status").decode()
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    if not fields or fields["State"].strip().startswith(("Z", "X")):
        return False
    pending = int(fields["ShdPnd"], 16) | int(fields["SigPnd"], 16)
    flags = int(_read(proc / "stat").decode().rsplit(")", 1)[1].split()[6] or 0)
    return not (pending & 1 << (signal.SIGKILL - 1) or flags & 0x4)  # 0x4: PF_EXITING


def test_the_probe_says_why_the_sandbox_cannot_start(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path))
    assert sandbox.probe.__wrapped__() == sandbox.Probe(False, "why.missing")
    fake = tmp_path / "bwrap"
    fake.write_text("#!/bin/sh\necho 'bwrap: No permissions to create new namespace' >&2\nexit 1\n")
    fake.chmod(0o755)
    found = sandbox.probe.__wrapped__()
    assert found == BROKEN
    assert found.reason("fr") == "bwrap échoue : bwrap: No permissions to create new namespace"


def _cli(*args, probe="BROKEN"):
    """symbrnn's entry point in a process whose sandbox probe says ``probe``."""
    code = (
        "import sys\nfrom symbrnn.sheets import sandbox\n"
        f"sandbox.probe = lambda: sandbox.Probe(False, 'why.failed', {BROKEN.detail!r})\n"
        if probe == "BROKEN"
        else "import sys\n"
    ) + "from symbrnn.cli import main\nmain(sys.argv[1:])\n"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=600
    )


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "cannot start here"), ("fr", "ne peut pas démarrer ici")],
)
def test_a_shared_sheet_is_refused_in_one_line_where_the_sandbox_cannot_start(
    tmp_path, lang, words
):
    _needs_latex()
    sheet = tmp_path / "shared.toml"
    sheet.write_text((DATA / "mini_sheet.toml").read_text(encoding="utf-8"), encoding="utf-8")
    out = tmp_path / "out.tex"
    run = _cli("sheet", str(sheet), "--pdf", "--lang", lang, "-o", str(out))
    assert run.returncode == 2, run.stderr
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in run.stderr
    assert words in lines[0] and "--trusted" in lines[0] and BROKEN.detail in lines[0]
    assert not out.exists() and not out.with_suffix(".pdf").exists()
    shared_td5 = tmp_path / "td5-shared.toml"  # a sheet with [variants], sent as a file
    shared_td5.write_text((ROOT / "derivations" / "td5.toml").read_text(encoding="utf-8"))
    batch = _cli("sheet", str(shared_td5), "--variants", "1-2", "--pdf", "-o", str(tmp_path / "c"))
    assert batch.returncode == 2 and "--trusted" in batch.stderr, batch.stderr
    assert len(batch.stderr.strip().splitlines()) == 1 and not (tmp_path / "c").exists()


def test_the_library_refuses_a_shared_sheet_without_the_sandbox(monkeypatch):
    _needs_latex()
    monkeypatch.setattr(sandbox, "probe", lambda: BROKEN)
    with pytest.raises(sandbox.SandboxUnavailable, match=r"trusted = True") as err:
        compile_tex(r"\documentclass{article}\begin{document}x\end{document}", shared=True)
    assert err.value.exit_code == 2 and "\n" not in str(err.value)


def test_built_in_and_trusted_sheets_compile_where_the_sandbox_cannot_start(tmp_path):
    _needs_latex()
    key = tmp_path / "td5.tex"
    run = _cli("sheet", "td5", "--pdf", "-o", str(key))
    assert run.returncode == 0, run.stderr
    assert key.with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    own = tmp_path / "mine.toml"
    own.write_text((DATA / "mini_sheet.toml").read_text(encoding="utf-8"), encoding="utf-8")
    mine = _cli("sheet", str(own), "--trusted", "--pdf", "-o", str(tmp_path / "mine.tex"))
    assert mine.returncode == 0, mine.stderr
    assert (tmp_path / "mine.pdf").read_bytes().startswith(b"%PDF")


@pytest.mark.parametrize(
    ("lang", "active", "inactive"),
    [("en", "LaTeX sandbox: active", "LaTeX sandbox: inactive"), ("fr", "actif", "inactif")],
)
def test_doctor_says_whether_the_sandbox_is_active(lang, active, inactive):
    _needs_sandbox()
    run = _cli("doctor", "--lang", lang, probe="REAL")
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith(
        "bac à sable de LaTeX : actif" if lang == "fr" else "LaTeX sandbox: active"
    )
    assert "/build" in run.stdout and "/usr" in run.stdout and active in run.stdout
    assert "torch" in run.stdout and "chromium" in run.stdout
    broken = _cli("doctor", "--lang", lang)
    assert broken.returncode == 0, broken.stderr
    assert inactive in broken.stdout and "--trusted" in broken.stdout
    assert BROKEN.detail in broken.stdout
