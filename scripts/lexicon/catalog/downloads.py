"""The instructors page's link to the offline zip: ``<!-- lexicon:offline-download -->``.

The web build links the copy of the zip that the publishing step (``make publish``, see
``lexicon.offline_bundle``) puts into the site, by a URL relative to the page, so the
download never leaves the site's host. The zip is not a documentation file, so MkDocs
cannot check this link: the tests check it on a site published as the Pages workflow
publishes it. Inside the offline bundle there is no zip to link; the page says so instead.
"""

from __future__ import annotations

import html

from ..offline_bundle import FOLDER, ZIP_NAME


def offline_download(offline: bool, href: str) -> str:
    """HTML for the marker; ``href``: ``SITE_PATH`` relative to the page."""
    if offline:
        return ('<p class="ll-download"><strong>You are reading the offline copy.</strong> '
                f'These pages are the zip, unzipped (the folder <code>{FOLDER}</code>); the '
                'published site offers the newest one here.</p>\n')
    return (f'<p class="ll-download"><a class="md-button" href="{html.escape(href)}" download>'
            f'Download the offline copy</a> <code>{ZIP_NAME}</code>, from this site</p>\n')
