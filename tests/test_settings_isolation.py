"""The tests' settings come from the tests alone: an ``ASSISTANT_*`` variable of the shell
that starts pytest, or a ``.env`` file in the folder it is started from, reaches neither
``Settings()`` nor a subprocess, while what a test sets explicitly does.

An autouse fixture runs before the test it guards, so the proof runs pytest itself on a
probe, in a subprocess started with such a variable and from a folder with such a file:
once with the fixtures of ``tests/conftest.py`` (the probe passes) and once without them
(the same probe sees both values: it is not a vacuous check)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

PROBE = """
import os
import subprocess
import sys
from pathlib import Path

from assistant.settings import Settings

READ = "from assistant.settings import Settings; s = Settings(); print(s.top_k, s.store)"


def test_probe():
    settings = Settings()
    assert (settings.top_k, settings.store) == (5, Path("data/store")), (settings.top_k, settings.store)
    child = subprocess.run(
        [sys.executable, "-c", READ], env={**os.environ, "ASSISTANT_TOP_K": "7"},
        capture_output=True, text=True, check=True,
    )
    assert child.stdout.split() == ["7", "data/store"], child.stdout  # its own variable, no .env
"""


def run_probe(folder: Path, *options: str) -> subprocess.CompletedProcess[str]:
    shell = {name: value for name, value in os.environ.items() if not name.startswith("ASSISTANT_")}
    shell |= {"ASSISTANT_TOP_K": "9", "PYTHONPATH": str(ROOT)}  # set by the developer's shell
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", *options,
         "--basetemp", str(folder.parent / f"basetemp{len(options)}"), "test_probe.py"],
        cwd=folder, env=shell, capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip


def test_no_shell_variable_nor_dotenv_reaches_the_settings_of_a_test(tmp_path: Path) -> None:
    folder = tmp_path / "probe"
    folder.mkdir()
    (folder / "pytest.ini").write_text("[pytest]\n", encoding="utf-8")  # the probe's own rootdir
    (folder / "test_probe.py").write_text(PROBE, encoding="utf-8")
    (folder / ".env").write_text("ASSISTANT_STORE=/depuis/le/dotenv\n", encoding="utf-8")
    bare = run_probe(folder)
    assert bare.returncode == 1, bare.stdout + bare.stderr
    assert "(9, PosixPath('/depuis/le/dotenv'))" in bare.stdout, bare.stdout  # both leak without
    isolated = run_probe(folder, "-p", "tests.conftest")
    assert isolated.returncode == 0, isolated.stdout + isolated.stderr
    assert "1 passed" in isolated.stdout
