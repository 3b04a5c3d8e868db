"""Every class of bad input seen in the hostile sweeps: one line on stderr, exit 2, nothing
written, nothing left running (README, exit codes)."""

import json
import os
import stat
import subprocess
import sys

import pytest

from symbrnn.engine import cells as cells_module
from symbrnn.errors import InputError
from tests.processes import symbrnn

BIG = "9" * 5000


def run(*args, stdin="", cwd=None, timeout=120):
    return subprocess.run(
        [sys.executable, "-m", "symbrnn", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=timeout,
    )


def inproc(*args, stdin="", cwd=None):
    """The same command run in this process (tests/processes.py): for input that the CLI
    refuses or reads, where no user code runs and no bound on time or memory is tested."""
    return symbrnn(*args, stdin=stdin, cwd=cwd)


def assert_one_line(result, code=2):
    assert result.returncode == code, (result.returncode, result.stdout[-300:], result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("symbrnn: error: "), result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    "target",
    [".", "missing-folder/out.txt", "file.txt/out.txt", ""],
)
def test_output_paths_that_cannot_be_written(tmp_path, target):
    (tmp_path / "file.txt").write_text("x")
    before = sorted(p.name for p in tmp_path.iterdir())
    assert_one_line(inproc("expand", "-o", target, cwd=tmp_path))
    assert sorted(p.name for p in tmp_path.iterdir()) == before


def test_an_unwritable_folder(tmp_path, monkeypatch):
    """(As root every folder is writable: the permission check is driven directly.)"""
    from symbrnn import io

    monkeypatch.setattr(io.os, "access", lambda path, mode: False)
    with pytest.raises(InputError, match=r"is not writable"):
        io.write_atomic(tmp_path / "x.txt", "data")
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    "args",
    [
        ["spectral", "--W", f"[[{BIG}]]"],
        ["spectral", "--W", "[[1]]", "--h0", "[NaN]"],
        ["spectral", "--W", "[[1]]", "--h0", "[Infinity]"],
        ["spectral", "--W", "[[1]]", "--h0", '["x"]'],
        ["spectral", "--W", "[[1]]", "--h0", '{"a": 1}'],
        ["spectral", "--W", "[[1]]", "--seed", "-1"],
        ["spectral", "--W", "[[1]]", "--T", "1000000"],
        ["spectral", "--W", "[[1]]", "--plot", "nowhere/x.png"],
        ["spectral", "--W", json.dumps([[1] * 20] * 20)],
        ["verify", "--T", "1000"],
        ["verify", "--n", "200"],
        ["verify", "--d", "1000"],
        ["draw", "unrolled", "--T", "1000000000"],
        ["params", "--units", BIG],
        ["params", "--timesteps", BIG],
        ["check", "-q", "dL/dW", "--T", "500", "-a", "W"],
        ["check", "-q", "dh_100000/dh_1", "-a", "W"],
        ["grade", "x.csv", "--T", "0"],
        ["expand", "--cell", "gru", "--activation", "tanh"],
        ["expand", "--cell", "evil.py:cell"],
        ["sheet", "td5", "--variant-seed", "-1"],
    ],
    ids=lambda args: " ".join(args)[:40],
)
def test_bad_options(tmp_path, args):
    assert_one_line(inproc(*args, cwd=tmp_path))
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize(
    "spec",
    [
        "[" * 100000 + "]" * 100000,
        f'{{"cell": "rnn", "n": {BIG}}}',
        '{"cell": "rnn", "n": 1, "d": 1, "T": 1, "W": [[NaN]]}',
        '{"cell": "rnn", "n": 1, "d": 1, "T": 1, "W": [[1]], "U": [[1]], "x": [[1]], "y": [[0]], "typo": 1}',
        '{"cell": "rnn", "activation": "phi", "n": 1, "d": 1, "T": 1, "W": [[1]], "U": [[1]], "x": [[1]], "y": [[0]]}',
        '{"cell": "rnn", "n": 1, "d": 1, "T": 500}',
        '{"cell": "lstm", "n": 1, "d": 1, "T": 200}',
        '"just a string"',
    ],
    ids=lambda spec: spec[:40],
)
def test_bad_specs(spec):
    assert_one_line(inproc("evaluate", "-", stdin=spec))


def test_a_saturated_tanh_cell_evaluates_like_pytorch():
    spec = {"cell": "rnn", "activation": "tanh", "n": 1, "d": 1, "T": 1, "W": [[0.5]]}
    spec |= {"U": [[400]], "x": [[1]], "y": [[0]], "h0": [0]}
    result = inproc("evaluate", "-", stdin=json.dumps(spec))
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout)
    assert out["L"] == pytest.approx(0.5) and out["grad"]["U"] == [[0.0]]


def test_spectral_json_is_strict_json_and_quiet():
    result = inproc(
        "spectral", "--W", "[[400]]", "--activation", "tanh", "--h0", "[1]", "--format", "json"
    )
    assert result.returncode == 0 and result.stderr == ""
    json.loads(result.stdout, parse_constant=lambda c: pytest.fail(f"{c} in JSON"))


def test_a_class_csv_may_not_run_a_file(tmp_path):
    (tmp_path / "evil.py").write_text("open('PWNED', 'w').write('x')\n")
    (tmp_path / "answers.csv").write_text(
        "student,quantity,answer,cell\n"
        "=cmd|' /C calc'!A0,dh_2/dh_1,W,evil.py:cell\n"
        "bob,dh_2/dh_1,W,this:x\n"
        ",dh_2/dh_1,W,rnn\n"
        "carl,,W,rnn\n"
    )
    result = run("grade", "answers.csv", "-o", "report.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert not (tmp_path / "PWNED").exists()
    report = (tmp_path / "report.csv").read_text()
    assert "\n'=cmd" in report and "\n=cmd" not in report
    assert report.count("malformed") == 4


@pytest.mark.parametrize(
    "content",
    [
        "\ufeffstudent;quantity;answer\nana;dh_2/dh_1;Diag(sigma'(a_2)) W\n",
        "student\tquantity\tanswer\nana\tdh_2/dh_1\tDiag(sigma'(a_2)) W\n",
        'student,quantity,answer\nana,dh_2/dh_1,"' + "W " * 90000 + '"\n',
    ],
    ids=["bom-semicolon", "tabs", "huge-field"],
)
def test_spreadsheet_exports_are_read(tmp_path, content):
    (tmp_path / "a.csv").write_text(content, encoding="utf-8")
    result = run("grade", "a.csv", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "1 answer:" in result.stderr


def test_a_csv_that_is_not_utf8(tmp_path):
    (tmp_path / "a.csv").write_bytes("student,quantity,answer\nzoé,dh_2/dh_1,W\n".encode("latin-1"))
    assert_one_line(inproc("grade", "a.csv", cwd=tmp_path))


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("import sys\nsys.exit(0)\n", "exits while it is imported"),
        ("import os\nos._exit(0)\n", "exits while it is imported"),
        ("raise ValueError('boom')\n", "ValueError: boom"),
        ("def cell(h_prev, x, W):\n    return 3\n", "must return 1 traced vector"),
    ],
)
def test_user_cell_files_that_misbehave(tmp_path, source, message):
    (tmp_path / "c.py").write_text(source)
    result = run("expand", "--cell", "c.py:cell", "--format", "json", cwd=tmp_path)
    assert_one_line(result)
    assert message in result.stderr and result.stdout == ""


def test_a_user_cell_that_prints_keeps_json_clean(tmp_path):
    (tmp_path / "c.py").write_text(
        "print('hello')\nfrom symbrnn import sigmoid\n"
        "def cell(h_prev, x, W, U):\n    return sigmoid(W @ h_prev + U @ x)\n"
    )
    result = run("expand", "--cell", "c.py:cell", "--format", "json", cwd=tmp_path)
    assert result.returncode == 0 and json.loads(result.stdout)["cell"] == "cell"


def test_a_user_cell_that_loops_at_import_is_stopped(tmp_path, monkeypatch):
    monkeypatch.setattr(cells_module, "IMPORT_SECONDS", 2)
    path = tmp_path / "loop.py"
    path.write_text("while True:\n    pass\n")
    with pytest.raises(InputError, match=r"takes more than 2 s"):
        cells_module.make_cell(f"{path}:cell")


def test_the_help_says_a_cell_file_runs_code():
    assert "runs the file's code" in " ".join(inproc("expand", "--help").stdout.split())


def test_verify_json_is_deterministic():
    a = run("verify", "--T", "2", "--format", "json").stdout  # two processes: no state shared
    assert a == inproc("verify", "--T", "2", "--format", "json").stdout
    assert json.loads(a) and all(r["equal"] for r in json.loads(a))


# -- the hostile input classes of issue 20 -------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [
        r"\prod_{j=1}^{100000} W",
        r"\prod_{i=1}^{100}\prod_{j=1}^{100}\prod_{l=1}^{100} W",
        "+".join(["W^{64}"] * 1400),
    ],
    ids=["prod-100000", "three-nested-prods", "W^64-1400-times"],
)
@pytest.mark.slow
def test_a_short_answer_that_describes_huge_work_is_refused(answer):
    assert_one_line(run("check", "-q", "dh_3/dh_1", "-a", answer))


def test_five_nested_sums_are_refused_before_they_are_written_out():
    nested = "".join(rf"\sum_{{{v}=1}}^{{100}}" for v in "abcde") + " W"
    result = run("check", "-q", "dL/dW", "--T", "3", "-a", nested, timeout=60)
    assert_one_line(result)
    assert "too much to check" in result.stderr


def test_every_check_has_a_time_bound(monkeypatch):
    from symbrnn.engine.cells import make_cell
    from symbrnn.judge import check

    monkeypatch.setattr(check, "CHECK_SECONDS", 0)
    verdict = check.check_answer(make_cell("lstm"), "dc_9/dc_1", "W_f")
    assert verdict.outcome == "cannot_judge"  # exit 3
    assert "takes more than 0 s to check" in verdict.note


@pytest.mark.parametrize(
    "args",
    [
        ("params", "--explain", "/dev/zero"),
        ("check", "-q", "dh_3/dh_1", "--answer-file", "/dev/zero"),
        ("evaluate", "/dev/zero"),
        ("grade", "/dev/zero"),
    ],
)
def test_an_endless_input_is_read_with_a_bound(args):
    result = run(*args, timeout=60)
    assert_one_line(result)
    assert "larger than" in result.stderr or "CSV" in result.stderr


def test_an_endless_marking_scheme(tmp_path):
    csv = tmp_path / "a.csv"
    csv.write_text("student,quantity,answer\nana,dh_2/dh_1,W\n")
    result = run("grade", str(csv), "--scheme", "/dev/zero", "-o", str(tmp_path / "r.csv"))
    assert_one_line(result)
    assert not (tmp_path / "r.csv").exists()


def test_a_huge_quantity_in_a_class_costs_nothing_and_is_not_echoed(tmp_path):
    csv = tmp_path / "a.csv"
    csv.write_text("student,quantity,answer\nana," + "d" * 200_000 + ",W\nbob,dh_2/dh_1,W\n")
    result = run("grade", str(csv), "-o", str(tmp_path / "r.json"), timeout=60)
    assert result.returncode in (0, 1), result.stderr
    assert len(result.stderr) < 2000
    rows = json.loads((tmp_path / "r.json").read_text())["answers"]
    assert rows[0]["status"] == "malformed"


def test_a_cr_only_csv_is_read(tmp_path):
    csv = tmp_path / "mac.csv"
    csv.write_bytes(b"student,quantity,answer\rana,dh_2/dh_1,W\rbob,dh_2/dh_1,W\r")
    result = run("grade", str(csv), "-o", str(tmp_path / "r.json"))
    assert result.returncode in (0, 1), result.stderr
    assert len(json.loads((tmp_path / "r.json").read_text())["answers"]) == 2


@pytest.mark.parametrize(
    "command",
    [
        ("params",),
        ("expand", "--T", "2"),
        ("draw", "cell"),
        ("evaluate", "-"),
    ],
)
@pytest.mark.parametrize("target", ["a" * 300 + ".txt", "/proc/x.txt", "/dev/full", "/dev/null"])
def test_output_names_that_no_file_system_takes(tmp_path, command, target):
    spec = json.dumps({"cell": "rnn", "n": 1, "d": 1, "T": 1, "W": [[0.5]], "U": [[1]]})
    result = inproc(*command, "-o", target, stdin=spec, cwd=tmp_path)
    assert_one_line(result)
    assert list(tmp_path.iterdir()) == []
    if target.startswith("/dev/"):  # a device node stays one, even for root
        assert "it is a device" in result.stderr and stat.S_ISCHR(os.stat(target).st_mode)


def test_a_full_disk_a_closed_stdout_and_a_closed_pipe():
    exe = [sys.executable, "-m", "symbrnn", "params"]
    with open("/dev/full", "w") as full:
        result = subprocess.run(exe, stdout=full, stderr=subprocess.PIPE, text=True)
    assert result.returncode == 2 and "No space left" in result.stderr
    result = subprocess.run(" ".join(exe) + " >&-", shell=True, stderr=subprocess.PIPE, text=True)
    assert result.returncode == 2 and "standard output is closed" in result.stderr
    result = subprocess.run(
        " ".join([*exe[:-1], "expand", "--T", "300"]) + " | head -1; exit ${PIPESTATUS[0]}",
        shell=True,
        executable="/bin/bash",
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0 and result.stderr == ""


def test_a_terminal_that_cannot_show_the_formulas_is_one_line():
    result = subprocess.run(
        [sys.executable, "-m", "symbrnn", "expand", "--T", "2"],
        capture_output=True,
        env={**__import__("os").environ, "PYTHONIOENCODING": "cp1252"},
    )
    assert result.returncode == 2
    assert b"PYTHONIOENCODING=utf-8" in result.stderr and b"Traceback" not in result.stderr


def test_sheet_pdf_checks_both_outputs_before_writing_either(tmp_path):
    (tmp_path / "out.pdf").mkdir()
    result = run("sheet", "td5", "-o", "out.tex", "--pdf", cwd=tmp_path)
    assert_one_line(result)
    assert not (tmp_path / "out.tex").exists()


def test_verify_at_its_largest_sizes_finishes():
    result = run("verify", "--n", "4", "--d", "4", "--T", "20", "--no-numeric", timeout=120)
    assert result.returncode == 0, result.stderr[-500:]


def test_verify_refuses_an_expansion_that_would_take_minutes():
    result = inproc("verify", "--cell", "lstm", "--method", "exact", "--T", "3")
    assert_one_line(result)
    assert "--method auto or random" in result.stderr


def test_spectral_says_an_overflow_instead_of_failing():
    result = inproc(
        "spectral", "--W", "[[3,0],[0,3]]", "--activation", "relu", "--T", "1000",
        "--h0", "[1,1]", "--format", "json",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "Warning" not in result.stderr, result.stderr
    norms = json.loads(result.stdout)["norms"]
    assert norms[0] == 1 and norms[-1] is None


def test_a_step_function_that_exits_is_one_line(tmp_path):
    (tmp_path / "c.py").write_text("import os\ndef c(h_prev, x, W):\n    os._exit(0)\n")
    result = run("expand", "--cell", "c.py:c", "--quantity", "dh/dh", "--T", "2", cwd=tmp_path)
    assert_one_line(result)
    assert "exits while it is imported or traced" in result.stderr


def test_an_empty_loss_is_bad_input():
    from pathlib import Path

    spec = json.loads((Path(__file__).parents[2] / "examples" / "spec.json").read_text())
    result = inproc("evaluate", "-", stdin=json.dumps({**spec, "loss_steps": []}))
    assert_one_line(result)
    assert "loss_steps" in result.stderr


@pytest.mark.parametrize("sig", ["SIGTERM", "SIGKILL"])
def test_a_stopped_write_leaves_no_temporary_behind(tmp_path, sig):
    import signal
    import time

    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "symbrnn",
            "expand",
            "--T",
            "500",
            "--format",
            "json",
            "-o",
            "o.json",
        ],
        cwd=tmp_path,
        stderr=subprocess.PIPE,
    )
    deadline = time.time() + 60
    while time.time() < deadline and not list(tmp_path.glob(".symbrnn-*")):
        time.sleep(0.05)  # the temporary exists: the rows are being written
    proc.send_signal(getattr(signal, sig))
    proc.wait(timeout=30)
    if sig == "SIGTERM":
        assert proc.returncode == 130
        assert b"Traceback" not in proc.stderr.read()
    else:  # nothing runs at kill -9: the next write in the folder removes what it left
        assert run("params", "-o", "p.txt", cwd=tmp_path).returncode == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ([] if sig == "SIGTERM" else ["p.txt"])
