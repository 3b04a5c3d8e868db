import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[2]


def test_the_fuzz_script_finds_no_crash_and_no_hang():
    result = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "fuzz.py"), "--scale", "0.02", "--seed", "5"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "crashes: 0" in result.stdout and "hangs over 3 s: 0" in result.stdout
    assert "LaTeX attacks admitted: 0" in result.stdout
