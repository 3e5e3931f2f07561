"""The GitHub Pages workflow does what the README says: test, build, offline zip, deploy."""

import yaml

from conftest import ROOT

WORKFLOW = ROOT / ".github" / "workflows" / "pages.yml"


def load():
    # PyYAML reads the key `on` as True (YAML 1.1); keep the text's meaning.
    data = yaml.safe_load(WORKFLOW.read_text())
    data["on"] = data.pop(True, data.get("on"))
    return data


def uses(steps, action):
    return [s for s in steps if s.get("uses", "").startswith(action)]


def test_triggers_and_permissions():
    wf = load()
    assert wf["on"]["push"]["branches"] == ["main"] and wf["on"]["push"]["tags"] == ["v*"]
    assert wf["permissions"] == {"contents": "write", "pages": "write", "id-token": "write"}


def test_build_job_tests_builds_zips_and_uploads():
    build = load()["jobs"]["build"]
    steps = build["steps"]
    runs = [s.get("run", "") for s in steps]
    order = [runs.index("make test"), runs.index("make build"), runs.index("make offline"),
             runs.index("make publish"), steps.index(uses(steps, "actions/upload-pages-artifact")[0])]
    assert order == sorted(order), "tests pass, then the site and the zip are built, the zip put on the site, uploaded"
    assert uses(steps, "actions/setup-python")[0]["with"]["cache"] == "pip"
    assert uses(steps, "actions/setup-node")[0]["with"]["cache"] == "npm"
    assert uses(steps, "actions/cache")[0]["with"]["path"] == ".cache/lexicon"
    assert uses(steps, "actions/upload-pages-artifact")[0]["with"]["path"] == "site"
    assert uses(steps, "actions/upload-artifact")[0]["with"]["path"] == "dist/latent-lexicon-offline.zip"
    release = [s for s in steps if "gh release create" in s.get("run", "")]
    assert release and release[0]["if"].startswith("startsWith(github.ref, 'refs/tags/v')")
    assert "SITE_URL" in build["env"] and "vars.SITE_URL" in build["env"]["SITE_URL"]


def test_deploy_job_uses_the_official_action_after_build():
    deploy = load()["jobs"]["deploy"]
    assert deploy["needs"] == "build" and deploy["environment"]["name"] == "github-pages"
    assert uses(deploy["steps"], "actions/deploy-pages")


def test_make_targets_named_in_the_workflow_exist():
    makefile = (ROOT / "Makefile").read_text()
    for target in ("test", "build", "offline", "publish"):
        assert f"\n{target}: " in makefile


def test_make_publish_puts_the_zip_where_the_instructors_page_links_it():
    from lexicon.offline_bundle import SITE_PATH

    makefile = (ROOT / "Makefile").read_text()
    recipe = makefile.split("\npublish: ", 1)[1].split("\n\n", 1)[0]
    assert "lexicon.offline_bundle --out dist/latent-lexicon-offline.zip --publish site" in recipe
    assert SITE_PATH == "downloads/latent-lexicon-offline.zip"


def test_the_repository_tracks_no_symlink_and_nothing_the_set_up_makes():
    """A fresh clone must set itself up: a committed `.venv` (a symlink to a developer's venv, which
    `git add -A` once took in) made `make setup` fail with 'File exists' on any other machine."""
    import shutil
    import subprocess

    import pytest

    if shutil.which("git") is None or not (ROOT / ".git").exists():
        pytest.skip("not a git checkout")
    listed = subprocess.run(["git", "ls-files", "-s"], cwd=ROOT, capture_output=True, text=True, check=True).stdout
    links = [line.split("\t", 1)[1] for line in listed.splitlines() if line.startswith("120000")]
    assert not links, f"symlinks in the repository: {links}"
    made = {".venv", "node_modules", ".cache", "site", "dist"}
    tracked = {line.split("\t", 1)[1].split("/", 1)[0] for line in listed.splitlines()}
    assert not tracked & made, tracked & made
