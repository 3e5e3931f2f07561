"""Build the offline bundle: the site for file://, zipped, with index.html at the top.

    python -m lexicon.offline_bundle [--out dist/latent-lexicon-offline.zip]

It builds strictly with OFFLINE=true (Material's offline plugin: no directory
URLs, search inlined as a script, no instant navigation; see mkdocs.yml) into
a temporary folder, then writes the zip beside its final name and renames it,
so a failed build leaves the previous zip in place. Entries are sorted and
dated 1980-01-01 so the same site gives the same bytes.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

FIXED_DATE = (1980, 1, 1, 0, 0, 0)


def zip_site(site: Path, out: Path) -> int:
    """Zip every file of ``site`` (paths relative to it); returns the number of files."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.{os.getpid()}.tmp")
    files = sorted(p for p in site.rglob("*") if p.is_file())
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as z:
        for path in files:
            info = zipfile.ZipInfo(path.relative_to(site).as_posix(), date_time=FIXED_DATE)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            z.writestr(info, path.read_bytes())
    os.replace(tmp, out)
    return len(files)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="dist/latent-lexicon-offline.zip")
    parser.add_argument("--config-file", default="mkdocs.yml")
    args = parser.parse_args(argv)
    out = Path(args.out).resolve()
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
          "unzip it and open index.html")
    return 0


if __name__ == "__main__":
    sys.exit(main())
