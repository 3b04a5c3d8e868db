"""A sheet file is shared between teachers: nothing in it may run code, read files or hang."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from symbrnn.errors import InputError
from symbrnn.sheets import compile as sheet_compile
from symbrnn.sheets.compile import LatexError, compile_tex
from symbrnn.sheets.render import render_sheet
from tests.conftest import need_program
from tests.processes import pids_under, processes_below, processes_under, still_alive

DATA = Path(__file__).parents[1] / "data"
MINI = (DATA / "mini_sheet.toml").read_text(encoding="utf-8")
ANSWER = 'answer.en = "\\\\[ ((( r.bptt.step ))) \\\\]"'


def _sheet(tmp_path, text, name="hostile.toml"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def _with_answer(tmp_path, answer: str):
    assert ANSWER in MINI
    return _sheet(tmp_path, MINI.replace(ANSWER, f"answer.en = '''{answer}'''"))


def _tagged_processes(tag: str) -> list[str]:
    """The live processes this test started (their environment carries ``tag``), and
    their descendants: the sandboxed pdflatex, whose environment is cleared."""
    return processes_under(f"SYMBRNN_TEST_TAG={tag}")


def _needs_latex():
    need_program(
        "latexmk",
        "texlive-latex-base texlive-latex-recommended texlive-pictures texlive-lang-french latexmk",
    )


@pytest.mark.parametrize(
    "template",
    [
        "((( cycler.__init__.__globals__.os.popen('id').read() )))",
        "((( r.__class__.__mro__ )))",
        "((( sizes.__class__ )))",
        "((( r.bptt.__init__.__globals__ )))",
        "((( lipsum() )))",
        "((* for i in range(10**9) *))x((* endfor *))",
        "((( 'x' * 10**9 )))",
        "((( 9 ** 9 ** 9 )))",
        "((( r.nosuchresult )))",
        "((( sizes.nosuchsize )))",
        "((( 1 / 0 )))",
        "((( r.bptt.step ",
        "((* macro f() *))((( f() )))((* endmacro *))((( f() )))",
        "((* set x = sizes.update({'T': 1}) *))",
    ],
)
def test_a_template_that_reaches_for_internals_is_one_line(tmp_path, template):
    path = _with_answer(tmp_path, template)
    with pytest.raises(InputError, match=r"^sheet .*hostile\.toml, question 1\.1: ") as err:
        render_sheet(path)
    assert "\n" not in str(err.value)
    assert "uid=" not in str(err.value)


@pytest.mark.parametrize(
    "latex",
    [
        r"\input{/etc/hostname}",
        r"\immediate\pdfobj stream file {/etc/hostname}",
        r"\pdfximage{/etc/hostname}",
        r"\newread\r \openin\r=/etc/hostname",
        r"\immediate\write18{id}",
        r"\csname pdfobj\endcsname",
        r"^^5cpdfobj",
        r"\makeatletter\@@input /etc/hostname",
        r"\includegraphics{/etc/hostname}",
        r"\scantokens{x}",
    ],
)
def test_latex_that_reads_files_or_builds_names_is_refused(tmp_path, latex):
    path = _with_answer(tmp_path, latex)
    with pytest.raises(InputError, match=r"question 1\.1: .* is not allowed in a shared sheet"):
        render_sheet(path)


def test_labels_and_titles_are_guarded_too(tmp_path):
    text = MINI.replace('question = "Question"', 'question = "\\\\input{/etc/hostname}"', 1)
    with pytest.raises(
        InputError, match=r"\[labels\.fr\] question: \\input is not allowed in a shared sheet"
    ):
        render_sheet(_sheet(tmp_path, text), lang="fr")


def test_the_compiler_itself_reads_no_file_outside_its_folder():
    """Defence in depth below the guard: TeX's own file access is paranoid."""
    _needs_latex()
    secret = Path("/etc/hostname").read_text().strip().encode()
    for doc in (
        r"\documentclass{article}\begin{document}\input{/etc/hostname}\end{document}",
        r"\documentclass{article}\begin{document}\newread\r\openin\r=/etc/hostname "
        r"\read\r to\x \x\end{document}",
        r"\documentclass{article}\begin{document}\input{../../../../../etc/hostname}\end{document}",
    ):
        try:
            pdf = compile_tex("\\pdfcompresslevel=0 " + doc)
        except LatexError:
            continue
        assert secret not in pdf


def test_no_file_is_written_outside_the_build_folder(tmp_path):
    _needs_latex()
    target = tmp_path / "pwned.txt"
    doc = (
        r"\documentclass{article}\begin{document}\newwrite\w\immediate\openout\w="
        + str(target)
        + r" \immediate\write\w{x}\closeout\w hi\end{document}"
    )
    with pytest.raises(LatexError):
        compile_tex(doc)
    assert not target.exists()


def test_a_latex_loop_is_stopped(monkeypatch):
    _needs_latex()
    tag = f"loop-{os.getpid()}"
    monkeypatch.setenv("SYMBRNN_TEST_TAG", tag)
    monkeypatch.setattr(sheet_compile, "COMPILE_SECONDS", 3)
    with pytest.raises(LatexError, match=r"did not finish in 3 s"):
        compile_tex(r"\documentclass{article}\begin{document}\def\x{\x}\x\end{document}")
    assert _tagged_processes(tag) == []
    compilers = {"pdflatex", "latexmk", "bwrap", "setpriv", "prlimit"}  # the sandbox clears
    assert [n for n in processes_below(os.getpid()) if n in compilers] == []  # the tag


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", r"missing \[sheet\] table"),
        ("[sheet]\nid = 'x'\n", r"\[sheet\.title\] needs fr and en"),
        (MINI.replace('id = "mini"', 'id = "mini\\nx"'), r"\[sheet\] id must be a short name"),
        (
            MINI.replace('results = ["bptt", "cells"]', 'results = ["bptt", "nope"]'),
            r"unknown result\(s\) 'nope'",
        ),
        (MINI.replace('id = "1.1"', 'id = ""'), r"every question needs an id"),
        (MINI.replace("[sizes]", "[sizes]\nT = 500"), r"sizes\.T must be 1\.\.12"),
        (MINI.replace("[sizes]", "[sizes]\nspectral_T = 1000000"), r"sizes\.spectral_T must be"),
        (MINI + "\n[variants]\nT = [5, 2]\n", r"variants\.T must be \[low, high\]"),
        ("[sheet\n", r"invalid TOML"),
    ],
)
def test_a_malformed_sheet_is_one_line(tmp_path, text, message):
    with pytest.raises(InputError, match=message):
        render_sheet(_sheet(tmp_path, text))


def test_a_sheet_that_is_not_utf8_is_one_line(tmp_path):
    path = tmp_path / "latin1.toml"
    path.write_bytes(MINI.replace("Réponse", "R\xe9ponse").encode("latin-1"))
    with pytest.raises(InputError, match=r"not UTF-8 text"):
        render_sheet(str(path))


def test_a_result_missing_a_size_names_the_size(tmp_path):
    text = MINI.replace('results = ["bptt", "cells"]', 'results = ["expansion"]')
    text = text.replace("((( r.bptt.step )))", "((( r.expansion.sum )))")
    with pytest.raises(InputError, match=r"result 'expansion' needs sizes\.T in \[sizes\]"):
        render_sheet(_sheet(tmp_path, text))


def _run(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "symbrnn", *args], capture_output=True, text=True, cwd=cwd
    )


def test_cli_refuses_a_hostile_sheet_and_writes_nothing(tmp_path):
    path = _with_answer(tmp_path, "((( cycler.__init__.__globals__.os.popen('id').read() )))")
    result = _run("sheet", path, "-o", "out.tex", cwd=tmp_path)
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "out.tex").exists()


@pytest.mark.parametrize("name", ["a$b.tex", "a%b.tex", "a b.tex", "é#.tex"])
def test_odd_output_names_compile(tmp_path, name):
    _needs_latex()
    result = _run("sheet", str(DATA / "mini_sheet.toml"), "-o", name, "--pdf", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / name).with_suffix(".pdf").read_bytes().startswith(b"%PDF")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [name, name[:-4] + ".pdf", "mini_sheet.toml"][:2]
    )


def test_pdf_is_byte_identical_run_to_run(tmp_path):
    _needs_latex()
    tex = render_sheet(str(DATA / "mini_sheet.toml"))
    assert compile_tex(tex) == compile_tex(tex)


def test_a_latex_error_writes_neither_tex_nor_pdf(tmp_path):
    _needs_latex()
    path = _with_answer(tmp_path, r"\undefinedcommand")
    (tmp_path / "out.tex").write_text("old")
    result = _run("sheet", path, "-o", "out.tex", "--pdf", "--trusted", cwd=tmp_path)
    assert result.returncode == 1
    assert re.match(
        r"symbrnn: error: LaTeX error in out\.tex, line \d+: Undefined control", result.stderr
    )
    assert (tmp_path / "out.tex").read_text() == "old"
    assert not (tmp_path / "out.pdf").exists()


@pytest.mark.parametrize("signal_name", ["SIGTERM", "SIGINT"])
def test_stopping_a_compile_leaves_nothing_running_or_behind(tmp_path, signal_name):
    import signal

    _needs_latex()
    proc, builds, tag = _start_looping_compile(tmp_path)
    started = pids_under(f"SYMBRNN_TEST_TAG={tag}")  # symbrnn, the sandbox, pdflatex
    proc.send_signal(getattr(signal, signal_name))
    _, err = proc.communicate(timeout=30)
    assert proc.returncode == 130 and b"Traceback" not in err, err[-500:]
    assert not list(builds.iterdir()), "the build folder was left behind"
    assert not (tmp_path / "out.tex").exists()
    assert still_alive(started) == []


def _start_looping_compile(tmp_path):
    """symbrnn compiling a sheet that loops, once its build folder exists (LaTeX runs)."""
    import time

    path = _with_answer(tmp_path, r"\def\x{\x}\x")
    tag = f"{tmp_path.name}-{os.getpid()}"
    temp = tmp_path / "tmp"
    temp.mkdir()
    env = {**os.environ, "TMPDIR": str(temp), "SYMBRNN_TEST_TAG": tag}
    proc = subprocess.Popen(
        [sys.executable, "-m", "symbrnn", "sheet", path, "-o", "out.tex", "--pdf", "--trusted"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    builds = temp / f"symbrnn-latex-{os.getuid()}"
    deadline = time.time() + 60
    while time.time() < deadline and "pdflatex" not in _tagged_processes(tag):
        time.sleep(0.1)
    assert "pdflatex" in _tagged_processes(tag), "LaTeX never ran"
    assert list(builds.iterdir()), "no build folder while LaTeX runs"
    return proc, builds, tag


def test_kill_9_of_symbrnn_stops_latex_and_the_next_run_cleans_up(tmp_path):
    """The bounds live in LaTeX's own process: symbrnn killed outright leaves no compiler
    running, and the build folder it left is removed by the next compile."""
    import time

    _needs_latex()
    proc, builds, tag = _start_looping_compile(tmp_path)
    started = pids_under(f"SYMBRNN_TEST_TAG={tag}")  # symbrnn, the sandbox, pdflatex
    proc.kill()
    proc.wait(timeout=30)
    deadline = time.time() + 10
    while time.time() < deadline and still_alive(started):
        time.sleep(0.1)
    assert still_alive(started) == []
    assert len(list(builds.iterdir())) == 1  # left behind by the killed run
    env = {**os.environ, "TMPDIR": str(builds.parent)}
    result = subprocess.run(
        [sys.executable, "-m", "symbrnn", "sheet", str(DATA / "mini_sheet.toml"), "--pdf"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    assert list(builds.iterdir()) == []


def test_the_compiler_has_its_own_limits():
    from symbrnn.sheets.compile import _command

    command = _command()
    if command[0] == "setpriv":
        assert command[1:3] == ["--pdeathsig", "KILL"]
        assert any(part.startswith("--cpu=") for part in command)
        assert any(part.startswith("--as=") for part in command)
    assert "-no-shell-escape" in command


@pytest.mark.parametrize(
    "latex",
    [
        r"\UseName{pdfobj} stream file {/etc/passwd}",
        r"\begin{immediate}\pdfobj stream file {/etc/passwd}\end{immediate}",
        r"\ExplSyntaxOn \tex_pdfobj:D stream file {/etc/passwd} \use:c {pdffiledump}",
        r"\UseName{catcode}124=0 |pdfobj stream file {/etc/passwd}",
        r"\catcode`\|=0 |input{/etc/passwd}",
        r"\expandafter\csname pdfobj\endcsname",
        r"\lowercase{\INPUT}",
        r"\let\x\relax",
        r"\begin {filecontents}{x}\end{filecontents}",
        r"\begin\x",
        r"\@@input /etc/hostname",
        r"\tex_pdfobj:D",
        r"^^5cinput{/etc/hostname}",
        r"\^^5cinput",
        "closing the template's group }\\input{/etc/hostname}{",
        "a comment that eats the template's brace %",
        "a backslash at the end \\",
        "((( '\\\\' ~ 'input{/etc/hostname}' )))",
        "((( '\\x5cpdfobj' )))",
        "((( '^' ~ '^5c' ~ 'input' )))",
        "((( ['\\\\', 'input'] | join )))",
        r"\foreignlanguage{\jobname}{x}",  # babel loads a language by its name
        r"\foreignlanguage{../../etc/hostname}{x}",
        r"\foreignlanguage{klingon}{x}",
        r"\foreignlanguage {english}{x}\foreignlanguage",
    ],
)
def test_the_allowlist_refuses_every_spelling_of_a_command_it_does_not_list(tmp_path, latex):
    path = _with_answer(tmp_path, latex)
    with pytest.raises(InputError, match=r"question 1\.1: .* is not allowed in a shared sheet"):
        render_sheet(path, lang="en")


@pytest.mark.parametrize(
    "latex",
    [
        r"Soit $\sum_{t=1}^{T} \frac{\partial L_t}{\partial h_t}$ et \emph{donc} \og ok \fg{}.",
        r"\begin{itemize}\item $\mathbb{R}^{n}$ \item 50\,\% \end{itemize}",
        r"\begin{align*} a &= b \\ c &\le \lVert W \rVert \end{align*} % a comment" + "\n",
        r"\begin{tabular}{|c|c|}\hline a & b \\ \hline\end{tabular}",
        r"((( r.bptt.step ))) and ((( r.cells.rnn | join(', ') )))",
    ],
)
def test_the_allowlist_admits_what_a_teacher_writes(tmp_path, latex):
    path = _with_answer(tmp_path, latex)
    assert "\ue000" not in render_sheet(path, lang="en")


def test_engine_results_are_not_read_as_the_sheets_text(tmp_path):
    """The derived formula reaches the page unchanged: the guard skips it, not the text
    around it."""
    from symbrnn.sheets.guard import refused_command

    path = _with_answer(tmp_path, r"\[ ((( r.bptt.step ))) \]")
    tex = render_sheet(path, lang="en")
    assert r"\operatorname{Diag}" in tex
    assert refused_command(r"\[ \operatorname{Diag} \]") is None


def test_every_sheet_text_title_label_and_extra_is_guarded(tmp_path):
    cases = {
        "title": MINI.replace('en = "Mini sheet', 'en = "\\\\UseName{pdfobj}', 1),
        "[labels.en] answer": MINI.replace('answer = "Answer"', 'answer = "\\\\UseName{x}"', 1),
    }
    for where, text in cases.items():
        assert text != MINI
        with pytest.raises(InputError, match=re.escape(where) + r": \\UseName is not allowed"):
            render_sheet(_sheet(tmp_path, text), lang="en")


def test_a_preamble_or_a_macro_needs_trusted(tmp_path):
    text = MINI.replace("[sheet]", "[sheet]\npreamble = '\\newcommand{\\W}{\\mathbf{W}}'", 1)
    text = text.replace(ANSWER, "answer.en = '$\\W$'")
    path = _sheet(tmp_path, text)
    with pytest.raises(InputError, match=r"preamble .* trusted = True"):
        render_sheet(path, lang="en")
    tex = render_sheet(path, lang="en", trusted=True)
    assert r"\newcommand{\W}{\mathbf{W}}" in tex and "$\\W$" in tex


@pytest.mark.parametrize(
    "template",
    [
        "((( ('x'*10000)*10000*10000 )))",
        "((( 'x'.center(3000000000) )))",
        "((( 'x'|center(3000000000) )))",
        "((( '%999999999d' % 1 )))",
        "((( '%999999999d'|format(1) )))",
        "((( '{:>999999999}'.format(1) )))",
        "((( '{:>{}}'.format(1, 300000000) )))",
        "((( 'x'|indent(3000000000) )))",
        "((* for i in range(10000) *))((* for j in range(10000) *))xxxxxxxxxx((* endfor *))"
        "((* endfor *))",
    ],
)
def test_a_template_cannot_build_a_huge_text(tmp_path, template):
    path = _with_answer(tmp_path, template)
    with pytest.raises(InputError, match=r"question 1\.1: "):
        render_sheet(path, lang="en")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[sheet]\n" + "a = " + "[" * 5000 + "]" * 5000, r"nested too deeply|invalid TOML"),
        (
            MINI.replace("[sheet]", "[sheet]\nquestions_title = {fr = 'x'}", 1),
            r"questions_title\] needs fr and en",
        ),
        (MINI + "\n[variants]\nunits = ['a', 'b']\n", r"variants\.units must be \[low, high\]"),
        (MINI + "\n[variants]\nactivation = ['nope']\n", r"variants\.activation must list"),
    ],
)
def test_malformed_sheet_values_are_one_line(tmp_path, text, message):
    with pytest.raises(InputError, match=message):
        render_sheet(_sheet(tmp_path, text), lang="en")


def test_control_characters_and_private_use_characters_are_not_text():
    from symbrnn.sheets.guard import OPAQUE, refused_command

    assert refused_command("a\x00b") == "control character U+0000"
    assert refused_command("a\ue001b") == "private-use character U+E001"
    assert refused_command(f"a{OPAQUE}b") is None  # where render shows an engine part


@pytest.mark.parametrize("forged", ["\\ue00099\\ue001", "\\ue000", "\\ue0000\\ue001"])
def test_a_forged_part_is_refused(tmp_path, forged):
    path = _with_answer(tmp_path, f"((( '{forged}' )))")
    with pytest.raises(InputError, match=r"question 1\.1: private-use character"):
        render_sheet(path, lang="en")
