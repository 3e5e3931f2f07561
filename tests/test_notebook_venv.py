"""A downloaded notebook runs outside the project: in a fresh virtual environment that holds
only a kernel and a notebook runner, its own first cell installs what it imports (from PyPI,
through pip's cache), and every cell runs, without lexicon and without the project's venv.

Needs network access to PyPI (CI has it). Select with ``-m clean_venv``, leave out with
``-m "not clean_venv"``. Each notebook took about 2 minutes on a 2-core machine (venv and runner
about 45 s, the install cell and the notebook about 80 s; pip downloaded the 220 MB in 6 s).
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT

NOTEBOOKS = sorted(p.stem for p in (ROOT / "notebooks").glob("*.ipynb"))
RUNNER = ("ipykernel", "nbclient")  # the kernel and what executes the notebook, nothing else

# Runs inside the fresh venv: execute the notebook with that venv's kernel, then one more cell
# that reports which Python ran it and whether lexicon was importable.
EXECUTE = """\
import sys
import nbformat
from nbclient import NotebookClient

nb = nbformat.read(sys.argv[1], as_version=4)
nb.cells.append(nbformat.v4.new_code_cell(
    "import importlib.util, sys\\nprint(sys.prefix, importlib.util.find_spec('lexicon') is not None)"))
NotebookClient(nb, timeout=1200, startup_timeout=120, kernel_name="python3",
               resources={"metadata": {"path": sys.argv[3]}}).execute()
nbformat.write(nb, sys.argv[2])
"""


def pins() -> dict[str, str]:
    text = (ROOT / "requirements.txt").read_text()
    return {k.lower(): v for k, v in (ln.split("==") for ln in text.splitlines() if "==" in ln)}


def install_pins(nb) -> dict[str, str]:
    """The PINNED dict of a notebook's install cell (its first code cell)."""
    import ast

    from lexicon.notebooks.runner import python_only

    cell = next(c for c in nb.cells if c.cell_type == "code")
    tree = ast.parse(python_only(cell.source))
    node = next(n.value for n in tree.body if isinstance(n, ast.Assign) and n.targets[0].id == "PINNED")
    return {k.lower(): v for k, v in ast.literal_eval(node).items()}


def clean_env(venv: Path, home: Path) -> dict:
    """This machine's environment without the project: no PYTHONPATH (so no lexicon), the
    project's venv off PATH, Jupyter's folders private to the test."""
    project_bin = str(Path(sys.executable).parent)
    path = [p for p in os.environ.get("PATH", "").split(os.pathsep) if p and Path(p) != Path(project_bin)]
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("PYTHON", "VIRTUAL_ENV", "JUPYTER", "LEXICON", "PIP_NO_INDEX"))}
    return {**env, "PATH": os.pathsep.join([str(venv / "bin"), *path]), "JUPYTER_DATA_DIR": str(home / "data"),
            "JUPYTER_CONFIG_DIR": str(home / "config"), "JUPYTER_RUNTIME_DIR": str(home / "runtime"),
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            # Faster installs (the runner's and the install cell's): modules compile when imported.
            "PIP_NO_COMPILE": "1"}


@pytest.mark.clean_venv
@pytest.mark.parametrize("name", NOTEBOOKS)
def test_a_downloaded_notebook_runs_in_a_fresh_venv_with_its_own_install_cell(tmp_path, name):
    venv, work = tmp_path / "venv", tmp_path / "work"
    work.mkdir()
    env = clean_env(venv, tmp_path / "jupyter")
    started = time.perf_counter()
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, env=env, timeout=300)
    python = venv / "bin" / "python"
    runner = [f"{p}=={pins()[p]}" for p in RUNNER]
    # pip's own cache (the default): a rerun installs from it without downloading again.
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--disable-pip-version-check",
                    "-c", str(ROOT / "requirements.txt"), *runner], check=True, env=env, timeout=900)
    ready = time.perf_counter()
    # Only the notebook itself, in a folder of its own: nothing of the project beside it.
    source = work / f"{name}.ipynb"
    source.write_bytes((ROOT / "notebooks" / f"{name}.ipynb").read_bytes())
    out = work / "executed.ipynb"
    script = work / "run.py"
    script.write_text(EXECUTE)
    done = subprocess.run([str(python), str(script), str(source), str(out), str(work)], cwd=work, env=env,
                          capture_output=True, text=True, timeout=2400)
    print(f"{name}: venv and runner {ready - started:.0f} s, notebook {time.perf_counter() - ready:.0f} s")
    assert done.returncode == 0, done.stderr[-4000:]

    nb = nbformat.read(str(out), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(c.execution_count for c in code)
    errors = [o for c in code for o in c.outputs if o.output_type == "error"]
    assert not errors, errors
    # What the install cell installed is what it pins, and those pins are requirements.txt's.
    frozen = subprocess.run([str(python), "-m", "pip", "freeze"], env=env, capture_output=True, text=True,
                            check=True).stdout
    have = {k.lower(): v for k, v in (ln.split("==") for ln in frozen.splitlines() if "==" in ln)}
    wanted = install_pins(nbformat.read(str(source), as_version=4))
    assert wanted and {k: have.get(k) for k in wanted} == wanted == {k: pins()[k] for k in wanted}
    # The last cell (added above): the venv's own Python ran the notebook, and lexicon was not importable.
    report = "".join(o.get("text", "") for o in code[-1].outputs).split()
    assert Path(report[0]).resolve() == venv.resolve() and report[1] == "False", report
