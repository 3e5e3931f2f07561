"""The static servers: a quiet one (the explorer's timings) and GzipServer (Lighthouse).

GzipServer serves the warm build as GitHub Pages does: text types gzip-compressed (level 9,
as the page weight counts) when the request accepts gzip, Cache-Control: max-age=600,
HTTP/1.1 keep-alive. It is bound before the builds, so that they get its address as SITE_URL.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import io
import os
import threading
from pathlib import Path
from urllib.parse import urlsplit


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


# Served gzip-compressed when the request accepts it, as GitHub Pages does (with a charset for text).
GZIP_TYPES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
              ".js": "text/javascript; charset=utf-8", ".json": "application/json",
              ".svg": "image/svg+xml", ".xml": "application/xml"}


def _accepts_gzip(header: str) -> bool:
    """Whether an Accept-Encoding header accepts gzip (listed, or by '*', and not with q=0)."""
    codings = {}
    for part in header.split(","):
        name, _, params = part.strip().partition(";")
        q = 1.0
        for param in params.split(";"):
            key, _, value = param.strip().partition("=")
            if key.strip().lower() == "q":
                try:
                    q = float(value)
                except ValueError:
                    q = 0.0
        codings[name.strip().lower()] = q
    return codings.get("gzip", codings.get("*", 0.0)) > 0


class _GzipHandler(QuietHandler):
    """Files of the site; text types (GZIP_TYPES) gzip-compressed if the request accepts gzip.

    Every response says Cache-Control: max-age=600, as GitHub Pages does, and connections are
    kept alive (HTTP/1.1): a new connection for every request would cost Lighthouse's simulated
    mobile network a round trip each.
    """

    protocol_version = "HTTP/1.1"

    def end_headers(self):
        self.send_header("Cache-Control", "max-age=600")
        super().end_headers()

    def guess_type(self, path):
        return GZIP_TYPES.get(os.path.splitext(str(path))[1].lower()) or super().guess_type(path)

    def send_head(self):
        path = self.translate_path(self.path)
        if os.path.isdir(path) and urlsplit(self.path).path.endswith("/"):
            path = os.path.join(path, "index.html")
        if (os.path.splitext(path)[1].lower() not in GZIP_TYPES or not os.path.isfile(path)
                or not _accepts_gzip(self.headers.get("Accept-Encoding", ""))):
            return super().send_head()   # redirects, 404s, other types, and no gzip: as usual
        body = self.server.gzipped(path)
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(path))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept-Encoding")
        self.send_header("Last-Modified", self.date_time_string(int(os.stat(path).st_mtime)))
        self.end_headers()
        return io.BytesIO(body)


class GzipServer(http.server.ThreadingHTTPServer):
    """A static server for `site` on 127.0.0.1 (a free port, bound at once) that gzips text files.

    Bound before the site exists, so that the builds can be given its address as SITE_URL;
    start() serves it from a thread. Each file is compressed once (gzip -9, the level the
    page weight uses) and kept in memory; prewarm() compresses them all before a measurement,
    so that no response waits for compression.
    """

    daemon_threads = True

    def __init__(self, site: Path):
        self.site = site
        self._gz: dict[tuple, bytes] = {}
        self._lock = threading.Lock()
        self._thread = None
        super().__init__(("127.0.0.1", 0), functools.partial(_GzipHandler, directory=str(site)))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_port}/"

    def gzipped(self, path) -> bytes:
        st = os.stat(path)
        key = (str(path), st.st_mtime_ns, st.st_size)
        with self._lock:
            body = self._gz.get(key)
        if body is None:
            body = gzip.compress(Path(path).read_bytes(), compresslevel=9, mtime=0)
            with self._lock:
                self._gz[key] = body
        return body

    def prewarm(self) -> None:
        for f in sorted(self.site.rglob("*")):
            if f.suffix.lower() in GZIP_TYPES and f.is_file():
                self.gzipped(f)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self.serve_forever, daemon=True)
            self._thread.start()

    def close(self) -> None:
        if self._thread is not None:
            self.shutdown()
        self.server_close()
