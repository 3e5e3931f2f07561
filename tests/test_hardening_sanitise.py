

# --- whole builds: the offline bundle (no policy) refuses an inline script too ---------------------

@pytest.mark.parametrize("offline", [False, True])
def test_an_inline_script_in_a_page_fails_the_web_and_the_offline_build(tmp_path, offline):
    from project import build, make_project

    project = make_project(tmp_path / "p", {"page.md": "Intro.\n\n<script>alert(1)</script>\n"})
    if offline:
        config = project / "mkdocs.yml"
        config.write_text(config.read_text().replace("  - redirects\n", "  - redirects\n  - offline\n"))
    proc = build(project)
    out = proc.stdout + proc.stderr
    assert proc.returncode != 0 and "Traceback" not in out, out
    assert "docs/page.md:3: an inline script that is not the theme's own" in out, out


def test_attr_list_event_handlers_are_found():
    """attr_list (on in mkdocs.yml) lets Markdown write any attribute: {onclick=…} is found."""
    import markdown

    html = markdown.markdown('[x](../a.md){onclick="alert(1)"} and ![p](p.png){onerror="alert(1)"}',
                             extensions=["attr_list"])
    assert len(sanitise.findings(html)) == 2
