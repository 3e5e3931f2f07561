"""Build the offline bundle: the site for file://, zipped under one folder, ``latent-lexicon/``.

    python -m lexicon.offline_bundle [--out dist/latent-lexicon-offline.zip]
    python -m lexicon.offline_bundle --publish site [--out dist/latent-lexicon-offline.zip]

The first builds strictly with OFFLINE=true (Material's offline plugin: no directory
URLs, search inlined as a script, no instant navigation; see mkdocs.yml) into a
temporary folder, then writes the zip beside its final name and renames it, so a
failed build leaves the previous zip in place. Every entry is under ``latent-lexicon/``
(unzipping never spills files into the reader's folder); entries are sorted and dated
1980-01-01, so the same site gives the same bytes.

The second builds nothing: it puts a copy of that zip into a built site, at
``downloads/latent-lexicon-offline.zip`` (``SITE_PATH``), where the instructors page
links it (a relative link: the site never sends a reader to another host). The Pages
workflow runs it (``make publish``) after ``make build`` and ``make offline``.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

FIXED_DATE = (1980, 1, 1, 0, 0, 0)
FOLDER = "latent-lexicon"                     # the zip's one top-level folder
ZIP_NAME = "latent-lexicon-offline.zip"
SITE_PATH = f"downloads/{ZIP_NAME}"           # where the published site serves it (make publish)


def zip_site(site: Path, out: Path, folder: str = FOLDER) -> int:
    """Zip every file of ``site`` as ``folder/<path relative to site>``; returns the number of files."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    files = sorted(p for p in site.rglob("*") if p.is_file())
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for path in files:
            info = zipfile.ZipInfo(f"{folder}/{path.relative_to(site).as_posix()}", date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, path.read_bytes())
    os.replace(tmp, out)
    return len(files)


def publish(zip_path: Path, site: Path) -> Path:
    """Copy the zip into the built ``site`` at ``SITE_PATH`` (atomically); returns the copy's path."""
    if not (site / "index.html").is_file():
        raise FileNotFoundError(f"{site} holds no built site: run `make build` first")
    if not zip_path.is_file():
        raise FileNotFoundError(f"{zip_path} is missing: run `make offline` first")
    dest = site / SITE_PATH
    dest.parent.mkdir(parents=True, exist_ok=True)
    tmp = dest.with_name(f".{dest.name}.{os.getpid()}.tmp")
    shutil.copyfile(zip_path, tmp)
    os.replace(tmp, dest)
    return dest


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=f"dist/{ZIP_NAME}")
    parser.add_argument("--config-file", default="mkdocs.yml")
    parser.add_argument("--publish", metavar="SITE_DIR",
                        help=f"build nothing: copy the zip (--out) into SITE_DIR/{SITE_PATH}")
    args = parser.parse_args(argv)
    out = Path(args.out).resolve()
    if args.publish:
        try:
            dest = publish(out, Path(args.publish))
        except FileNotFoundError as err:
            print(f"offline_bundle: {err}", file=sys.stderr)
            return 1
        print(f"offline_bundle: the site serves the zip as {SITE_PATH} ({dest})")
        return 0
    with tempfile.TemporaryDirectory(prefix="ll-offline-") as tmp:
        site = Path(tmp) / "site"
        env = {**os.environ, "OFFLINE": "true", "NO_MKDOCS_2_WARNING": "1"}
        proc = subprocess.run([sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file",
                               args.config_file, "--site-dir", str(site)], env=env)
        if proc.returncode != 0:
            print(f"offline_bundle: the build failed; {out} is unchanged.", file=sys.stderr)
            return proc.returncode
        count = zip_site(site, out)
    print(f"offline_bundle: wrote {out} ({count} files, {out.stat().st_size / 1e6:.1f} MB); "
          f"unzip it and open {FOLDER}/index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
