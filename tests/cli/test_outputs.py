"""Outputs: -o and --report write a regular file or a new path (a device, a named pipe, a
socket or a folder is one line, before any work), and a command that writes several files
writes all of them or none (a full disk on the last one leaves no first one behind)."""

import errno
import os
import pickle
import socket
import stat

import pytest
from click.testing import CliRunner

from symbrnn import io as symbrnn_io
from symbrnn.cli import cli
from symbrnn.io import OutputError, check_output_path, write_all
from symbrnn.words import Table
from tests.processes import symbrnn

ANSWERS = "student,quantity,answer\nana,dh_2/dh_1,Diag(sigma'(a_2)) W\nbob,dh_2/dh_1,W\n"


def run(*args, cwd=None):
    return symbrnn(*args, cwd=cwd)


def assert_refused(result, *words):
    assert result.returncode == 2, (result.returncode, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("symbrnn: error: "), result.stderr
    assert "Traceback" not in result.stderr
    for word in words:
        assert word in lines[0], lines[0]


def leftovers(folder):
    """Temporaries a writer left in ``folder``."""
    return [p.name for p in folder.iterdir() if p.name.startswith(".symbrnn-")]


def _fail_on_write(monkeypatch, number):
    """The ``number``-th file written (1-based) meets a full disk."""
    real = symbrnn_io._write_synced
    calls = []

    def write(part, data):
        calls.append(part)
        if len(calls) == number:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        real(part, data)

    monkeypatch.setattr(symbrnn_io, "_write_synced", write)
    return calls


# -- what a path may be ------------------------------------------------------------------


@pytest.mark.parametrize("device", ["/dev/full", "/dev/null"])
def test_a_device_is_refused_and_stays_a_device(device):
    before = os.stat(device)
    with pytest.raises(OutputError, match=r"^cannot write /dev/\w+: it is a device"):
        check_output_path(device)
    with pytest.raises(OutputError):
        write_all({device: "text"})
    after = os.stat(device)
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_a_fifo_a_socket_a_folder_and_a_link_to_a_device_are_refused(tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    server = socket.socket(socket.AF_UNIX)
    sock = tmp_path / "s.csv"
    server.bind(str(sock))
    link = tmp_path / "link.csv"
    link.symlink_to("/dev/null")
    folder = tmp_path / "folder.csv"
    folder.mkdir()
    try:
        for path, kind in ((fifo, "named pipe"), (sock, "socket"), (link, "device")):
            with pytest.raises(OutputError, match=kind):
                write_all({path: "x"})
        with pytest.raises(OutputError, match="folder"):
            write_all({folder: "x"})
    finally:
        server.close()
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode) and stat.S_ISSOCK(os.lstat(sock).st_mode)
    assert link.is_symlink() and folder.is_dir() and leftovers(tmp_path) == []


def test_the_message_is_said_in_french_too(tmp_path):
    error = OutputError("fifo", path="p")
    assert str(error).startswith("cannot write p: it is a named pipe")
    assert error.text("fr").startswith("impossible d'écrire p : c'est un tube nommé")
    with pytest.raises(OutputError, match=r"^impossible d'écrire .* : c'est un dossier"):
        check_output_path(tmp_path, lang="fr")
    assert pickle.loads(pickle.dumps(error)).text("fr") == error.text("fr")
    for words in Table("output.").values():
        assert set(words) == {"en", "fr"}


def test_a_regular_file_and_a_new_path_are_written(tmp_path):
    old = tmp_path / "old.csv"
    old.write_text("old")
    write_all({old: "new", tmp_path / "new.html": b"<p>"})
    assert old.read_text() == "new" and (tmp_path / "new.html").read_bytes() == b"<p>"
    assert leftovers(tmp_path) == []


def test_one_file_named_twice_is_refused(tmp_path):
    with pytest.raises(OutputError, match="twice"):
        write_all({tmp_path / "a.csv": "1", str(tmp_path / "." / "a.csv"): "2"})
    assert list(tmp_path.iterdir()) == []


# -- all or none ---------------------------------------------------------------------------


def test_a_full_disk_on_the_second_file_leaves_neither(tmp_path, monkeypatch):
    kept = tmp_path / "kept.csv"
    kept.write_text("yesterday's report")
    calls = _fail_on_write(monkeypatch, 2)
    with pytest.raises(OutputError, match="No space left"):
        write_all({tmp_path / "r.csv": "a,b\r\n", tmp_path / "r.html": "<p>", kept: "new"})
    assert len(calls) == 2  # the third file is never started
    assert not (tmp_path / "r.csv").exists() and not (tmp_path / "r.html").exists()
    assert kept.read_text() == "yesterday's report"
    assert leftovers(tmp_path) == []


def test_grade_writes_its_report_its_totals_and_its_page_or_none(tmp_path, monkeypatch):
    answers = tmp_path / "a.csv"
    answers.write_text(ANSWERS, encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    for failing in (2, 3):  # the totals, then the page, meet a full disk
        _fail_on_write(monkeypatch, failing)
        result = CliRunner().invoke(
            cli,
            ["grade", str(answers), "-o", str(out / "r.csv"), "--report", str(out / "r.html")],
        )
        assert isinstance(result.exception, OutputError), result.output
        assert "No space left" in str(result.exception)
        assert list(out.iterdir()) == []
    monkeypatch.undo()
    result = CliRunner().invoke(
        cli, ["grade", str(answers), "-o", str(out / "r.csv"), "--report", str(out / "r.html")]
    )
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["r.csv", "r.html", "r.totals.csv"]


def test_sheet_writes_its_tex_and_its_pdf_or_neither(tmp_path, monkeypatch):
    from symbrnn.sheets import compile as compiling

    monkeypatch.setattr(compiling, "require_pdflatex", lambda *args, **kwargs: None)
    monkeypatch.setattr(compiling, "compile_tex", lambda tex, name, **kwargs: b"%PDF-1.5 made up")
    _fail_on_write(monkeypatch, 2)
    result = CliRunner().invoke(cli, ["sheet", "td5", "--pdf", "-o", str(tmp_path / "s.tex")])
    assert isinstance(result.exception, OutputError), result.output
    assert list(tmp_path.iterdir()) == []


def test_sheet_variants_write_each_sheet_whole(tmp_path, monkeypatch):
    from symbrnn.sheets import compile as compiling
    from symbrnn.sheets.batch import write_variants

    made_up = b"%PDF-1.5 made up"
    monkeypatch.setattr(compiling, "compile_seeded", lambda tex, name, **kw: (made_up, "", None))
    _fail_on_write(monkeypatch, 4)  # the second seed's .pdf
    with pytest.raises(OutputError):
        write_variants("td5", [1, 2], tmp_path, lang="en", answers=False, pdf=True, jobs=1)
    names = sorted(p.name for p in tmp_path.iterdir())
    assert names == ["td5-en-questions-0001.pdf", "td5-en-questions-0001.tex"]


def test_exam_writes_its_document_and_its_json_or_neither(tmp_path, monkeypatch):
    _fail_on_write(monkeypatch, 2)
    exam = ["exam", "td5", "--variants", "1", "--question", "III.2", "--format", "amc"]
    result = CliRunner().invoke(cli, [*exam, "-o", str(tmp_path / "e.tex")])
    assert isinstance(result.exception, OutputError), result.output
    assert list(tmp_path.iterdir()) == []


# -- checked before any work -----------------------------------------------------------------


def _no_work(monkeypatch):
    def work(*args, **kwargs):
        raise AssertionError("the work started before the outputs were checked")

    from symbrnn.exam import build
    from symbrnn.judge import grade
    from symbrnn.sheets import render

    monkeypatch.setattr(grade, "grade_rows", work)
    monkeypatch.setattr(build, "build_exam", work)
    monkeypatch.setattr(render, "render_sheet", work)


def test_every_output_is_checked_before_any_work(tmp_path, monkeypatch):
    _no_work(monkeypatch)
    answers = tmp_path / "a.csv"
    answers.write_text(ANSWERS, encoding="utf-8")
    os.mkfifo(tmp_path / "r.totals.csv")
    os.mkfifo(tmp_path / "page.html")
    (tmp_path / "s.pdf").mkdir()
    (tmp_path / "e.json").mkdir()
    commands = [
        ["grade", str(answers), "-o", str(tmp_path / "r.csv")],  # its totals are a FIFO
        [
            "grade",
            str(answers),
            "-o",
            str(tmp_path / "x.csv"),
            "--report",
            str(tmp_path / "page.html"),
        ],
        ["sheet", "td5", "--pdf", "-o", str(tmp_path / "s.tex")],  # its PDF is a folder
        ["exam", "td5", "--variants", "1", "--format", "amc", "-o", str(tmp_path / "e.tex")],
        ["exam", "td5", "--variants", "1", "-o", "/dev/full"],
    ]
    for args in commands:
        result = CliRunner().invoke(cli, args)
        assert isinstance(result.exception, OutputError), (args, result.exception)
    assert not (tmp_path / "r.csv").exists() and not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize(
    "command",
    [("params",), ("expand", "--T", "2"), ("draw", "cell"), ("evaluate", "spec.json")],
)
def test_a_command_writing_onto_a_device_or_a_fifo_says_one_line(tmp_path, command):
    (tmp_path / "spec.json").write_text('{"cell": "rnn", "n": 1, "d": 1, "T": 1}')
    os.mkfifo(tmp_path / "pipe")
    for target in ("/dev/full", "pipe", "."):
        assert_refused(run(*command, "-o", target, cwd=tmp_path), "cannot write")
    assert stat.S_ISCHR(os.stat("/dev/full").st_mode)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe", "spec.json"]


def test_grade_refuses_a_device_in_french(tmp_path):
    answers = tmp_path / "a.csv"
    answers.write_text(ANSWERS, encoding="utf-8")
    os.mkfifo(tmp_path / "r.csv")
    result = run("grade", str(answers), "-o", "r.csv", "--lang", "fr", cwd=tmp_path)
    assert_refused(result, "impossible d'écrire r.csv : c'est un tube nommé")


def test_a_rename_refused_half_way_takes_back_the_new_files(tmp_path, monkeypatch):
    real = os.replace
    calls = []

    def replace(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError(errno.EXDEV, os.strerror(errno.EXDEV))
        real(src, dst)

    monkeypatch.setattr(symbrnn_io.os, "replace", replace)
    with pytest.raises(OutputError):
        write_all({tmp_path / "a.tex": "tex", tmp_path / "a.pdf": b"%PDF"})
    assert list(tmp_path.iterdir()) == []
