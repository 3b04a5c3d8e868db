"""The README's set-up commands and CI stay in step."""

import re
from pathlib import Path

ROOT = Path(__file__).parent.parent


def test_ci_runs_the_readme_test_command():
    readme = (ROOT / "README.md").read_text()
    blocks = re.findall(r"```sh\n(.*?)\n```", readme, flags=re.S)
    test_command = next(b for b in blocks if "pytest" in b)
    assert test_command in (ROOT / ".ci" / "run").read_text()


def test_readme_starts_with_the_two_setup_commands():
    readme = (ROOT / "README.md").read_text()
    head = readme[: readme.index("## Usage")]
    assert "symbrnn sheet td5" in head and "pytest" in head
