#!/usr/bin/env python3
"""Makes data/basemap.txt: simplified country outlines of the Balkans and their neighbours,
embedded in spheres for the map of a run (src/report/charts/basemap.rs reads it).

Source: Natural Earth 1:50m Admin 0 countries (public domain, version 4.1.0), as TopoJSON in the
npm package world-atlas 2.0.2 (countries-50m.json). Shared borders are TopoJSON arcs, so each
is simplified once (Douglas-Peucker) and neighbours keep one common border. Rings are clipped
to the box BOX; holes are dropped (none in the box but those of enclaves drawn on top).

    python3 scripts/basemap.py [world-atlas-2.0.2.tgz] > data/basemap.txt

Without an argument the package is fetched with `npm pack world-atlas@2.0.2` into a temporary
folder. Only the Python standard library is used. data/basemap.md records the source, licence
and this command.
"""

import io
import json
import math
import os
import subprocess
import sys
import tarfile
import tempfile

PACKAGE = "world-atlas@2.0.2"
# lon_min, lat_min, lon_max, lat_max: the bundled scenarios' capitals with room around them.
BOX = (9.0, 34.0, 32.0, 51.0)
TOLERANCE = 0.02  # degrees, about 2 km: finer than a pixel on the 1000-pixel map
MIN_AREA = 0.004  # square degrees: smaller islands are dropped
DECIMALS = 2

# Natural Earth's names -> the codes spheres's scenarios use (ISO 3166-1 alpha-3; Kosovo XKX).
CODES = {
    "Albania": "ALB", "Austria": "AUT", "Belarus": "BLR", "Bosnia and Herz.": "BIH",
    "Bulgaria": "BGR", "Croatia": "HRV", "Cyprus": "CYP", "Czechia": "CZE", "Germany": "DEU",
    "Greece": "GRC", "Hungary": "HUN", "Italy": "ITA", "Kosovo": "XKX", "Liechtenstein": "LIE",
    "Macedonia": "MKD", "Malta": "MLT", "Moldova": "MDA", "Montenegro": "MNE", "Poland": "POL",
    "Romania": "ROU", "Russia": "RUS", "San Marino": "SMR", "Serbia": "SRB", "Slovakia": "SVK",
    "Slovenia": "SVN", "Switzerland": "CHE", "Turkey": "TUR", "Ukraine": "UKR", "Vatican": "VAT",
    "N. Cyprus": "CYN", "Libya": "LBY", "Tunisia": "TUN", "Syria": "SYR", "Lebanon": "LBN",
    "Georgia": "GEO", "France": "FRA", "Lithuania": "LTU", "Israel": "ISR", "Egypt": "EGY",
}
# Names written out where Natural Earth abbreviates.
NAMES = {"BIH": "Bosnia and Herzegovina", "MKD": "North Macedonia", "CYN": "Northern Cyprus"}


def topology(argv):
    if len(argv) > 1:
        tgz = open(argv[1], "rb").read()
    else:
        with tempfile.TemporaryDirectory() as tmp:
            subprocess.run(["npm", "pack", PACKAGE, "--silent"], cwd=tmp, check=True,
                           stdout=subprocess.DEVNULL)
            name = [f for f in os.listdir(tmp) if f.endswith(".tgz")][0]
            tgz = open(os.path.join(tmp, name), "rb").read()
    with tarfile.open(fileobj=io.BytesIO(tgz)) as tar:
        return json.load(tar.extractfile("package/countries-50m.json"))


def decode_arcs(topo):
    (sx, sy), (tx, ty) = topo["transform"]["scale"], topo["transform"]["translate"]
    arcs = []
    for arc in topo["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        arcs.append(points)
    return arcs


def simplify(points, tolerance):
    """Douglas-Peucker, keeping both ends."""
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        a, b = stack.pop()
        (x1, y1), (x2, y2) = points[a], points[b]
        dx, dy = x2 - x1, y2 - y1
        norm = math.hypot(dx, dy)
        best, at = -1.0, -1
        for k in range(a + 1, b):
            px, py = points[k]
            if norm == 0:
                d = math.hypot(px - x1, py - y1)
            else:
                d = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm
            if d > best:
                best, at = d, k
        if at >= 0 and best > tolerance:
            keep[at] = True
            stack += [(a, at), (at, b)]
    return [p for p, k in zip(points, keep) if k]


def ring(indices, arcs):
    out = []
    for i in indices:
        arc = arcs[i] if i >= 0 else list(reversed(arcs[~i]))
        out.extend(arc if not out else arc[1:])
    return out


def clip(points, box):
    """Sutherland-Hodgman against an axis-aligned box."""
    x0, y0, x1, y1 = box
    edges = [
        (lambda p: p[0] >= x0, lambda p, q: (x0, p[1] + (q[1] - p[1]) * (x0 - p[0]) / (q[0] - p[0]))),
        (lambda p: p[0] <= x1, lambda p, q: (x1, p[1] + (q[1] - p[1]) * (x1 - p[0]) / (q[0] - p[0]))),
        (lambda p: p[1] >= y0, lambda p, q: (p[0] + (q[0] - p[0]) * (y0 - p[1]) / (q[1] - p[1]), y0)),
        (lambda p: p[1] <= y1, lambda p, q: (p[0] + (q[0] - p[0]) * (y1 - p[1]) / (q[1] - p[1]), y1)),
    ]
    for inside, cross in edges:
        if not points:
            break
        result = []
        prev = points[-1]
        for p in points:
            if inside(p):
                if not inside(prev):
                    result.append(cross(prev, p))
                result.append(p)
            elif inside(prev):
                result.append(cross(prev, p))
            prev = p
        points = result
    return points


def area(points):
    return abs(sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in zip(points, points[1:] + points[:1]))) / 2


def main(argv):
    topo = topology(argv)
    arcs = [simplify(a, TOLERANCE) for a in decode_arcs(topo)]
    out = [
        "# Country outlines for spheres's map: Natural Earth 1:50m Admin 0 countries (public domain,",
        "# v4.1.0) via the npm package world-atlas 2.0.2, simplified (Douglas-Peucker, %.2f degrees)" % TOLERANCE,
        "# and clipped to lon %g..%g, lat %g..%g by scripts/basemap.py; see data/basemap.md." % (BOX[0], BOX[2], BOX[1], BOX[3]),
        "# Format: '> CODE Name' starts a country; each following line is one ring, 'lon,lat' pairs.",
    ]
    countries = 0
    for g in topo["objects"]["countries"]["geometries"]:
        polygons = {"Polygon": [g.get("arcs", [])], "MultiPolygon": g.get("arcs", [])}.get(g["type"], [])
        rings = []
        for polygon in polygons:
            outer = clip(ring(polygon[0], arcs), BOX)  # holes dropped
            if len(outer) >= 3 and area(outer) >= MIN_AREA:
                rings.append(outer)
        if not rings:
            continue
        name = g["properties"]["name"]
        if name not in CODES:
            sys.exit(f"basemap.py: no code for {name!r} (add it to CODES)")
        code = CODES[name]
        out.append(f"> {code} {NAMES.get(code, name)}")
        countries += 1
        for r in rings:
            pairs, last = [], None
            for x, y in r:
                p = f"{x:.{DECIMALS}f},{y:.{DECIMALS}f}"
                if p != last:
                    pairs.append(p)
                last = p
            out.append(" ".join(pairs))
    sys.stdout.write("\n".join(out) + "\n")
    print(f"basemap.py: {countries} countries", file=sys.stderr)


if __name__ == "__main__":
    main(sys.argv)
