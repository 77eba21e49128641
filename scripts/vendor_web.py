#!/usr/bin/env python3
"""Fetch the dashboard's pinned npm packages and copy just the files it loads (minified builds,
one map, one font in two weights) with their licences into src/ghatna/web/static/vendor/.

The copied files are committed, so `pip install` alone gives a working dashboard and nothing is
fetched at run time; this script is only run to change a pinned version. It needs Node's `npm`
(`npm pack` downloads each package's tarball from the registry and checks its integrity hash).

    python scripts/vendor_web.py
"""
from __future__ import annotations

import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VENDOR = Path(__file__).resolve().parents[1] / "src" / "ghatna" / "web" / "static" / "vendor"

# package, pinned version, licence, {file in the package: file under vendor/}
PACKAGES: list[tuple[str, str, str, dict[str, str]]] = [
    ("vis-timeline", "8.5.4", "Apache-2.0 OR MIT", {
        "standalone/umd/vis-timeline-graph2d.min.js": "vis-timeline/vis-timeline-graph2d.min.js",
        "styles/vis-timeline-graph2d.min.css": "vis-timeline/vis-timeline-graph2d.min.css",
        "LICENSE.md": "vis-timeline/LICENSE.md",
        "LICENSE.MIT.txt": "vis-timeline/LICENSE.MIT.txt",
        "LICENSE.Apache-2.0.txt": "vis-timeline/LICENSE.Apache-2.0.txt",
    }),
    ("leaflet", "1.9.4", "BSD-2-Clause", {
        "dist/leaflet.js": "leaflet/leaflet.js",
        "dist/leaflet.css": "leaflet/leaflet.css",
        "dist/images/layers.png": "leaflet/images/layers.png",
        "dist/images/layers-2x.png": "leaflet/images/layers-2x.png",
        "dist/images/marker-icon.png": "leaflet/images/marker-icon.png",
        "dist/images/marker-icon-2x.png": "leaflet/images/marker-icon-2x.png",
        "dist/images/marker-shadow.png": "leaflet/images/marker-shadow.png",
        "LICENSE": "leaflet/LICENSE",
    }),
    ("topojson-client", "3.1.0", "ISC", {
        "dist/topojson-client.min.js": "topojson-client/topojson-client.min.js",
        "LICENSE": "topojson-client/LICENSE",
    }),
    # Natural Earth country borders (public domain) as TopoJSON, 1:110m (about 100 kB)
    ("world-atlas", "2.0.2", "ISC", {
        "countries-110m.json": "world-atlas/countries-110m.json",
        "LICENSE": "world-atlas/LICENSE",
    }),
    ("@fontsource/noto-sans-devanagari", "5.3.0", "OFL-1.1", {
        f"files/noto-sans-devanagari-{subset}-{weight}-normal.woff2":
            f"noto-sans-devanagari/noto-sans-devanagari-{subset}-{weight}-normal.woff2"
        for subset in ("devanagari", "latin") for weight in (400, 700)
    } | {"LICENSE": "noto-sans-devanagari/LICENSE", "unicode.json": None}),
    ("swagger-ui-dist", "5.35.0", "Apache-2.0", {
        "swagger-ui-bundle.js": "swagger-ui/swagger-ui-bundle.js",
        "swagger-ui.css": "swagger-ui/swagger-ui.css",
        "favicon-32x32.png": "swagger-ui/favicon-32x32.png",
        "LICENSE": "swagger-ui/LICENSE",
        "NOTICE": "swagger-ui/NOTICE",
    }),
]


def _font_css(unicode_ranges: dict[str, str]) -> str:
    """@font-face rules for the vendored weights and subsets, paths relative to vendor/."""
    rules = []
    for subset in ("devanagari", "latin"):
        for weight in (400, 700):
            rules.append(
                "@font-face {\n  font-family: 'Noto Sans Devanagari';\n  font-style: normal;\n"
                f"  font-display: swap;\n  font-weight: {weight};\n"
                f"  src: url(./noto-sans-devanagari-{subset}-{weight}-normal.woff2) format('woff2');\n"
                f"  unicode-range: {unicode_ranges[subset]};\n}}\n")
    return "/* Noto Sans Devanagari (OFL-1.1), from @fontsource/noto-sans-devanagari */\n" + "".join(rules)


def main() -> int:
    if shutil.which("npm") is None:
        print("vendor_web: npm is needed (Node.js)", file=sys.stderr)
        return 2
    if VENDOR.exists():
        shutil.rmtree(VENDOR)
    VENDOR.mkdir(parents=True)
    manifest = []
    with tempfile.TemporaryDirectory() as tmp:
        for name, version, licence, files in PACKAGES:
            out = subprocess.run(["npm", "pack", "--json", f"{name}@{version}"], cwd=tmp, check=True,
                                 capture_output=True, text=True).stdout
            info = json.loads(out)[0]
            root = Path(tmp) / name.replace("/", "_").lstrip("@")
            with tarfile.open(Path(tmp) / info["filename"]) as tar:
                tar.extractall(root, filter="data")
            package = root / "package"
            for src, dest in files.items():
                if dest is None:
                    continue
                target = VENDOR / dest
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(package / src, target)
            if name == "@fontsource/noto-sans-devanagari":
                ranges = json.loads((package / "unicode.json").read_text())
                (VENDOR / "noto-sans-devanagari" / "font.css").write_text(_font_css(ranges))
            manifest.append({"package": name, "version": version, "licence": licence,
                             "integrity": info["integrity"],
                             "files": sorted(d for d in files.values() if d)})
    (VENDOR / "MANIFEST.json").write_text(json.dumps(manifest, indent=1) + "\n")
    total = sum(p.stat().st_size for p in VENDOR.rglob("*") if p.is_file())
    print(f"vendored {len(manifest)} packages into {VENDOR} ({total / 1e6:.1f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
