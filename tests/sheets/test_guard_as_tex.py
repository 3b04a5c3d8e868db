r"""The guard reads a shared sheet's text as TeX reads it, twice.

TeX joins lines, drops comments with the line break and the indent they eat,
and writes what ``\label``, ``\caption`` or ``\tag`` hold to the ``.aux``,
where two ``^`` apart in the source may end up side by side (``^^5c`` is a
backslash on the next pass). A template filter's output is sheet text, and
only the engine's own results are opaque to the guard.
"""

import re
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from symbrnn.errors import InputError
from symbrnn.sheets import parts, render
from symbrnn.sheets.guard import (
    OPAQUE,
    Derived,
    allowlist,
    as_tex_joins,
    check_sheet_latex,
    refused_command,
    refused_title,
)
from symbrnn.sheets.render import render_sheet
from tests.processes import symbrnn

DATA = Path(__file__).parents[1] / "data"
MINI = (DATA / "mini_sheet.toml").read_text(encoding="utf-8")
ANSWER = 'answer.en = "\\\\[ ((( r.bptt.step ))) \\\\]"'
ROOT = Path(__file__).parents[2]


def _tex_reads(text: str) -> str:
    """A model of TeX's reading written apart from the guard's: line by line, leading
    spaces skipped (TeX's state N), a comment drops the rest of its line and its end of
    line, trailing spaces stripped, the end of line one space; then every space gone, as
    a space token may vanish when the text is written to the .aux and read back."""
    out = []
    for line in re.split(r"\r\n|\r|\n", text):
        line = line.lstrip(" \t")
        comment = re.search(r"(?<!\\)(?:\\\\)*%", line)
        if comment:
            out.append(line[: comment.end() - 1])
        else:
            out.append(line.rstrip(" \t") + " ")
    return re.sub(r"\s", "", "".join(out))


# How two characters a text keeps apart may come together in TeX's eyes.
SEPARATORS = [
    "%\n",
    "% a comment\n",
    "%\n   ",
    "%%\n\t ",
    "\n",
    "\n   ",
    " ",
    "\t",
    " %x\n  ",
    "\n%\n",
    "%\n%\n ",
    "%\r",
    "%x\r\n  ",
    "\r",
]
FORBIDDEN = ["^^5c", "^^5cinput{/etc/passwd}", "^^25", "^^M", "\\^^5c", "^^5cpdfobj"]
CONTEXTS = [
    "{}",
    "$x{}$",
    "\\textbf{{{}}}",
    "\\caption{{{}}}",
    "\\tag{{{}}}",
    "\\label{{{}}}",
    "\\cite{{{}}}",
    "\\begin{{tikzpicture}}[{}]\\end{{tikzpicture}}",
    "\\footnote{{{}}}",
]


@st.composite
def split_sequences(draw):
    """A forbidden sequence cut once or more, each cut filled with a separator."""
    word = draw(st.sampled_from(FORBIDDEN))
    first = word.index("^^") + 1  # at least the cut between the two ^
    cuts = sorted({first} | set(draw(st.lists(st.integers(1, len(word) - 1), max_size=3))))
    pieces, last = [], 0
    for cut in cuts:
        pieces.append(word[last:cut])
        pieces.append(draw(st.sampled_from(SEPARATORS)))
        last = cut
    pieces.append(word[last:])
    return draw(st.sampled_from(CONTEXTS)).format("".join(pieces))


@settings(max_examples=400, deadline=None)
@given(split_sequences())
def test_a_caret_pair_cut_by_comments_or_line_breaks_is_refused(text):
    assert "^^" in _tex_reads(text)  # the model sees the pair the text hides
    assert refused_command(text) is not None, text
    assert refused_title(text) is not None, text


@settings(max_examples=600, deadline=None)
@given(st.text(alphabet="^%\n\r \ta5c\\{}$", max_size=24))
def test_whatever_the_guard_admits_holds_no_caret_pair_once_joined(text):
    """Against the model: no text the guard admits reads as ^^ once TeX has joined it."""
    if refused_command(text) is None:
        assert "^^" not in _tex_reads(text)
        assert "^^" not in as_tex_joins(text)
        assert not _tex_reads(text).endswith("^")


@settings(max_examples=100, deadline=None)
@given(st.sampled_from(SEPARATORS), st.sampled_from(["{5}", "{2}c"]))
def test_a_text_may_not_end_where_the_next_text_begins(separator, rest):
    """Two texts the template puts side by side: the first may not end with ^ (nor with
    a comment or spaces after it), so no ^ of the next text can pair with it."""
    assert refused_command("x^") is not None
    assert refused_command("x^" + separator) is not None
    assert refused_command("x\\") is not None
    assert refused_command("x^{2}" + separator + "^" + rest) is None  # ^ apart stays apart


@pytest.mark.parametrize(
    "latex",
    [
        "a comment %\r\\input{/etc/passwd}\n",
        "%\r\\immediate\\pdfobj stream file {/etc/passwd}\n",
        "x^%\r^5cinput{/etc/passwd}\n",
    ],
)
def test_a_carriage_return_ends_a_line_as_for_tex(latex):
    """TeX Live ends a line at a carriage return: what follows one is no comment."""
    assert refused_command(latex) is not None


def test_a_caret_pair_across_an_engine_part_is_refused():
    """The sheet's ^ next to an engine part that starts with ^: read together once the
    part is put back."""
    env = render._env()
    with pytest.raises(InputError, match=r"\^\^ \(two \^"):
        render._text(env, "$x^((( p )))$", "en", "q", check_sheet_latex, {"p": Derived("^5c")})
    assert render._text(env, "$x^{((( p )))}$", "en", "q", check_sheet_latex, {"p": Derived("2")})


def _with_answer(tmp_path, answer: str) -> str:
    assert ANSWER in MINI
    path = tmp_path / "hostile.toml"
    path.write_text(MINI.replace(ANSWER, f"answer.en = '''{answer}'''"), encoding="utf-8")
    return str(path)


def _sheet(tmp_path, text) -> str:
    path = tmp_path / "hostile.toml"
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.mark.parametrize(
    "latex",
    [
        "\\label{a^%\n^5cinput}",
        "\\label{a^\n^5cinput}",
        "\\label{a^ ^5c}",
        "\\label{\\^^5c}",
        "\\cite{x^%\n^5c}",
        "\\ref{a\\relax b}",
        "\\label{a}b\\label {x y}",
        "\\caption{a^%\n^5cpdfobj stream file {/etc/passwd}}",
        "\\caption{a^\n^5c}",
        "\\caption[a^%\n^5c]{b}",
        "\\caption{a % comment\n}",
        "\\caption{x^}",
        "\\caption{x^ y}",
        "\\caption{#1}",
        "\\tag{^%\n^5cpdfobj}\\label{x}",
        "\\tag*{a^}",
        "$x^%\n^5c$",
        "$x^%\n   ^5c$",
        "$x^\n^5c$",
        "$x^{}^5c$",
        "$\\textbf{x^}^5c$",
    ],
)
def test_what_reaches_the_aux_is_a_plain_alphabet(tmp_path, latex):
    with pytest.raises(InputError, match=r"question 1\.1: .* is not allowed in a shared sheet"):
        render_sheet(_with_answer(tmp_path, latex), lang="en")


@pytest.mark.parametrize(
    "latex",
    [
        "\\label{fig:stacked}\\ref{fig:stacked} \\eqref{eq.1_a-b} \\cite{hochreiter1997,bengio}",
        "\\caption{The norm $\\|\\partial h_T/\\partial h_1\\|_2$ of $W^\\top$ and $h^{(2)}$}",
        "\\begin{align*} a &= b \\tag*{(III.1)} \\end{align*}",
        "\\caption[short]{long: \\emph{é} \\^e}",
    ],
)
def test_a_teachers_labels_and_captions_still_pass(tmp_path, latex):
    assert "\\label" in latex or "\\caption" in latex or "\\tag" in latex
    render_sheet(_with_answer(tmp_path, latex), lang="en")


@pytest.mark.parametrize(
    ("old", "new", "where"),
    [
        ('en = "One step"', 'en = "One^%\\n^5cinput step"', "question"),
        ('en = "Mini sheet: one BPTT step"', 'en = "Mini^ ^5c"', "title"),
        ('en = "A sheet written as data"', 'en = "a\\nb"', "subtitle"),
        ('answer = "Answer"', 'answer = "A^%\\n^5c"', "answer"),
    ],
)
def test_titles_and_labels_are_prose(tmp_path, old, new, where):
    text = MINI.replace(old, new, 1)
    assert text != MINI
    with pytest.raises(InputError, match=r"is not allowed in a shared sheet"):
        render_sheet(_sheet(tmp_path, text), lang="en")


@pytest.mark.parametrize(
    "latex",
    [
        "\\begin{tikzpicture}\\draw plot file {/etc/passwd};\\end{tikzpicture}",
        "\\begin{tikzpicture}\\draw plot[smooth] fi%\nle {/etc/passwd};\\end{tikzpicture}",
        "\\begin{tikzpicture}\\begin{axis}\\addplot table {/etc/passwd};\\end{axis}"
        "\\end{tikzpicture}",
        "\\begin{tikzpicture}\\begin{axis}\\addplot3[mark=*] graphics {/root/x.png};"
        "\\end{axis}\\end{tikzpicture}",
        "\\begin{tikzpicture}\\begin{axis}\\addplot file {/etc/passwd};\\end{axis}"
        "\\end{tikzpicture}",
        "\\begin{tikzpicture}\\begin{axis}[xticklabels from table={/etc/passwd}{0}]"
        "\\end{axis}\\end{tikzpicture}",
        "\\begin{tikzpicture}[/utils/exec={\\relax}]\\end{tikzpicture}",
        "\\begin{tikzpicture}[x/.code={\\relax}]\\end{tikzpicture}",
        "\\begin{tikzpicture}[.co%\nde={\\relax}]\\end{tikzpicture}",
        "\\begin{tikzpicture}[x/.estore in=\\relax]\\end{tikzpicture}",
        "\\begin{tikzpicture}[/ut%\nils/exec={x}]\\end{tikzpicture}",
    ],
)
def test_a_drawing_reads_no_file_and_runs_no_code_of_its_own(tmp_path, latex):
    with pytest.raises(InputError, match=r"question 1\.1: .* is not allowed in a shared sheet"):
        render_sheet(_with_answer(tmp_path, latex), lang="en")


# ---------------------------------------------------------------------------
# A filter's output is sheet text: every filter, in every option list and environment.

HOSTILE = {
    "/utils/exec={\\input{/etc/passwd}}": "/utils/exec",
    "\\pdfobj stream file {/etc/passwd}": "\\pdfobj",
    "^^5cinput{/etc/passwd}": "^^",
    "\\input{/etc/passwd}": "\\input",
    "\\openin1=/etc/passwd": "\\openin",
    "\\read1 to\\x": "\\read",
    "\\immediate\\write18{id}": "\\immediate",
    "\\write18{id}": "\\write",
    "\\catcode`\\|=0 |input x": "\\catcode",
    "\\csname pdfobj\\endcsname": "\\csname",
    "\\directlua{os.execute('id')}": "\\directlua",
    "\\pdffiledump length 99 {/etc/passwd}": "\\pdffiledump",
    "\\includegraphics{/etc/passwd}": "\\includegraphics",
    "\\lstinputlisting{/etc/passwd}": "\\lstinputlisting",
    "\\verbatiminput{/etc/passwd}": "\\verbatiminput",
    "^%\n^5cinput{/etc/passwd}": "^^",
}

OPTION_LISTS = [
    "\\begin{tikzpicture}[@]\\end{tikzpicture}",
    "\\begin{tikzpicture}\\draw[@] (0,0) -- (1,1);\\end{tikzpicture}",
    "\\begin{tikzpicture}\\node[@] at (0,0) {a};\\end{tikzpicture}",
    "\\begin{tikzpicture}\\path[@] (0,0);\\fill[@] (0,0) circle (1pt);\\end{tikzpicture}",
    "\\begin{tikzpicture}\\coordinate[@] (a) at (0,0);\\end{tikzpicture}",
    "\\begin{tikzpicture}\\begin{scope}[@]\\end{scope}\\end{tikzpicture}",
    "\\begin{tikzpicture}\\begin{axis}[@]\\addplot[@] coordinates {(1,1)};"
    "\\addlegendentry[@]{a}\\end{axis}\\end{tikzpicture}",
    "\\begin{tikzpicture}\\begin{semilogyaxis}[@, every axis plot/.append style={@}]"
    "\\addplot+[@] {x};\\legend{@}\\end{semilogyaxis}\\end{tikzpicture}",
    "\\begin{tikzpicture}\\begin{loglogaxis}[legend style={@}]\\end{loglogaxis}\\end{tikzpicture}",
    "\\begin{figure}[@]\\centering x\\caption{@}\\end{figure}",
    "\\begin{minipage}[@]{\\linewidth}x\\end{minipage}",
    "\\begin{tabular}[@]{c}x\\end{tabular}",
    "\\begin{itemize}\\item[@] x\\end{itemize}",
    "\\resizebox{\\linewidth}{!}{@}",
]


def _contexts() -> list[str]:
    """Every option list, and every environment the allowlist admits around the text."""
    _, _, environments = allowlist()
    return OPTION_LISTS + [f"\\begin{{{e}}}@\\end{{{e}}}" for e in sorted(environments)]


# How a template may hand the hostile text P to a filter (and print what it returns).
CALLS = [
    "P | {f}",
    "[P] | {f}",
    "[P, P] | {f} | join",
    "{{'k': P}} | {f}",
    "P | {f}(2)",
    "P | {f}('x', 'y')",
    "[P] | {f}('string')",
    "[P] | {f}(start='')",
]


def _reads_as(tex: str, spelled: str) -> bool:
    """Whether TeX reads ``spelled`` in ``tex``: a control word (after an even run of
    backslashes), or characters side by side once comments and spaces are gone."""
    if spelled.startswith("\\"):
        return re.search(r"(?<!\\)(?:\\\\)*" + re.escape(spelled) + "(?![A-Za-z])", tex) is not None
    return spelled in as_tex_joins(tex)


def _filter_outputs(env, name: str, payload: str):
    """(what the filter printed, or the error that refused it) for each call that works."""
    for call in CALLS:
        template = "((( " + call.format(f=name) + " )))"
        first = len(env.derived_parts)
        try:
            out = render._render(env, template, "q", P=payload)
        except InputError as exc:
            yield None, str(exc)
            continue
        yield (out, first), None


@pytest.mark.parametrize("name", sorted(render._env().filters))
def test_every_filter_in_every_option_list_and_environment_is_guarded(name):
    env = render._env()
    contexts = _contexts()
    refused = passed_through = 0
    for payload, spelled in HOSTILE.items():
        for printed, error in _filter_outputs(env, name, payload):
            if printed is None:
                assert "\n" not in error and "Traceback" not in error
                continue
            out, first = printed
            for context in contexts:
                text = context.replace("@", out)
                try:
                    tex = parts.guarded(env, text, "q", check_sheet_latex, first)
                except InputError as exc:
                    assert "\n" not in str(exc)
                    refused += 1
                    continue
                # admitted: only when the filter turned the hostile text into something
                # harmless (a length, an escaped text...)
                assert not _reads_as(tex, spelled), (name, payload, context, tex)
                assert OPAQUE not in tex and "\ue001" not in tex
                passed_through += _reads_as(out, spelled)
    assert passed_through == 0
    if name in {"verbatim", "string", "first", "last", "safe", "join", "default", "trim"}:
        assert refused, name  # these hand the text on as it is: the guard reads it


def test_the_verbatim_filter_escapes_a_sheets_text():
    env = render._env()
    out = render._text(
        env,
        "((( 'exec={\\\\input{x}} ^^5c' | verbatim )))",
        "en",
        "q",
        check_sheet_latex,
        {},
    )
    assert "\\input" not in out and "^^" not in out and "\\textbackslash{}input" in out
    with pytest.raises(InputError, match=r"is not allowed"):
        render._text(
            env,
            "\\begin{tikzpicture}[((( '/utils/exec={\\\\input{x}}' | verbatim )))]"
            "\\end{tikzpicture}",
            "en",
            "q",
            check_sheet_latex,
            {},
        )


def test_a_formatted_engine_result_is_sheet_text():
    """Jinja keeps a format string's type: ``r.x.format(…)`` must not come out trusted."""
    env = render._env()
    context = {"p": Derived("{a} and {b}")}
    with pytest.raises(InputError, match=r"\\input is not allowed"):
        render._text(
            env, "((( p.format(a='\\\\input{x}', b=1) )))", "en", "q", check_sheet_latex, context
        )
    with pytest.raises(InputError, match=r"\\input is not allowed"):
        render._text(
            env,
            "((( p.format_map({'a': '\\\\input{x}', 'b': 1}) )))",
            "en",
            "q",
            check_sheet_latex,
            context,
        )


@pytest.mark.parametrize(
    "template",
    [
        "((( '\\ue000' )))",
        "((( '\\ue0000\\ue001' )))",
        "((( '\\ue000' ~ '0' * 32 ~ ':0\\ue001' )))",
        "((* set x *))((( r.bptt.step )))((* endset *))\\[ ((( x ))) ((( x ))) \\]",
        "((* set x *))((( r.bptt.step )))((* endset *))((( x[:34] ~ '0\\ue001' )))",
    ],
)
def test_a_marker_cannot_be_forged_or_copied_from_sheet_text(tmp_path, template):
    with pytest.raises(InputError, match=r"question 1\.1: "):
        render_sheet(_with_answer(tmp_path, template), lang="en")


def test_an_engine_part_moved_once_is_still_the_engines(tmp_path):
    template = "((* set x *))((( r.bptt.step )))((* endset *))\\[ ((( x ))) \\]"
    tex = render_sheet(_with_answer(tmp_path, template), lang="en")
    assert "\\operatorname{Diag}" in tex and "\ue000" not in tex


@pytest.mark.parametrize(
    "answer",
    [
        "\\begin{tikzpicture}[((( '/utils/exec={\\\\input{/etc/passwd}}' | verbatim )))]"
        "\\end{tikzpicture}",
        "\\label{a^%\n^5cinput}",
        "\\begin{tikzpicture}\\draw[((( '^^5cpdfobj' | string )))] (0,0);\\end{tikzpicture}",
        "\\begin{tikzpicture}\\begin{axis}\\addplot table {/etc/passwd};\\end{axis}"
        "\\end{tikzpicture}",
    ],
)
def test_the_cli_refuses_before_any_compile(tmp_path, answer, monkeypatch):
    """Exit 2, one line, no traceback, nothing written and no build folder made."""
    import tempfile

    path = _with_answer(tmp_path, answer)
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp))  # read once per process: set here
    result = symbrnn(
        "sheet", path, "--pdf", "-o", "out.tex", cwd=tmp_path, env={"TMPDIR": str(temp)}
    )
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and "Traceback" not in result.stderr
    assert "is not allowed in a shared sheet" in result.stderr
    assert not (tmp_path / "out.tex").exists() and not (tmp_path / "out.pdf").exists()
    assert list(temp.iterdir()) == []


@pytest.mark.parametrize("lang", ["fr", "en"])
@pytest.mark.parametrize("answers", [True, False])
def test_the_built_in_sheet_passes_the_guard(lang, answers):
    tex = render_sheet("td5", lang=lang, answers=answers, teacher_notes=answers)
    assert "\ue000" not in tex and "\\label{fig:unrolled}" in tex


def test_the_example_sheet_passes_the_guard_but_for_its_macro(tmp_path):
    """examples/my-sheet.toml defines a macro in its preamble (trusted only); with the
    macro spelled out, its texts, titles and labels pass the guard."""
    path = ROOT / "examples" / "my-sheet.toml"
    assert render_sheet(str(path), lang="en", trusted=True)
    text = path.read_text(encoding="utf-8")
    with pytest.raises(InputError, match=r"preamble"):
        render_sheet(_sheet(tmp_path, text), lang="en")
    lines = [line for line in text.splitlines() if not line.startswith("preamble = ")]
    spelled = "\n".join(lines).replace(
        r"\Jac{h_t}{h_{t-1}}", r"\frac{\partial h_t}{\partial h_{t-1}}"
    )
    assert "Jac" not in spelled.split("\n", 2)[2]
    for lang in ("fr", "en"):
        assert r"\partial h_{t-1}" in render_sheet(_sheet(tmp_path, spelled), lang=lang)
