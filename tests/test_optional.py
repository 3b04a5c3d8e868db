"""Without its optional package, a test module skips and says how to install it."""

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).parents[1]


def test_a_module_whose_package_is_missing_skips_with_the_install_command(tmp_path):
    (tmp_path / "conftest.py").write_text(
        (ROOT / "conftest.py")
        .read_text()
        .replace(
            '"torch": "pip install torch",',
            '"torch": "pip install torch",\n    "nopkg": "pip install nopkg",',
        )
    )
    (tmp_path / "test_x.py").write_text("import nopkg\n\n\ndef test_x():\n    assert nopkg\n")
    run = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-rs", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "SYMBRNN_REQUIRE": ""},
    )
    assert run.returncode == 0 or "skipped" in run.stdout, run.stdout
    assert "needs nopkg: pip install nopkg" in run.stdout, run.stdout
    required = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(tmp_path)],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "SYMBRNN_REQUIRE": "nopkg"},
    )
    assert required.returncode != 0 and "ModuleNotFoundError" in required.stdout
