"""Build the site without ever destroying the last good one.

``mkdocs build`` cleans ``site/`` first, so a failed build would leave it
half-written. This builds into a fresh folder beside it and swaps the two
only when the build succeeded.

    python -m lexicon.safe_build [--site-dir site] [--config-file mkdocs.yml] [extra mkdocs args]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from pathlib import Path


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site-dir", default="site")
    parser.add_argument("--config-file", default="mkdocs.yml")
    args, extra = parser.parse_known_args(argv)
    site = Path(args.site_dir).resolve()
    staging = site.with_name(f".site-new-{os.getpid()}")
    old = site.with_name(f".site-old-{os.getpid()}")
    cmd = [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", args.config_file,
           "--site-dir", str(staging), *extra]
    try:
        result = subprocess.run(cmd)
        if result.returncode != 0:
            print(f"safe_build: the build failed; {site} is unchanged.", file=sys.stderr)
            return result.returncode
        if site.exists():
            site.rename(old)
        staging.rename(site)
        return 0
    finally:
        shutil.rmtree(staging, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
