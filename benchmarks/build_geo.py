"""Build ``bot/data/geo/departements.json``: the department outlines the ``/progression`` map
draws, simplified from IGN Admin Express (via gregoiredavid/france-geojson, Licence Ouverte).

A build-time tool, not a dependency of the bot: it needs shapely (``pip install shapely``), the bot
reads the JSON it writes with the standard library. Run it again only if the source changes:

    python benchmarks/build_geo.py departements-avec-outre-mer.geojson

Metropolitan France is simplified as one coverage (neighbours keep a shared border, no gaps); each
overseas department on its own, at a finer tolerance since its inset is drawn larger. Islets
smaller than a map pixel are dropped. Coordinates are longitude and latitude in thousandths of a
degree (about 100 m), each department's name and outer rings, each ring a flat list ``[x0, y0, x1, y1, …]``.
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

import shapely
from shapely.geometry import MultiPolygon, Polygon, shape

OUT = Path(__file__).resolve().parents[1] / "bot" / "data" / "geo" / "departements.json"
METRO_TOLERANCE = 0.015  # degrees; the map draws metropolitan France about 0.02° a pixel
OVERSEAS_TOLERANCE = {"973": 0.01}  # Guyane is drawn at about the metropolitan scale
OVERSEAS_DEFAULT = 0.003  # the island insets are drawn at a few times that scale
MIN_AREA_SHARE = 0.002  # a polygon smaller than this share of its department's largest is dropped
SOURCE = "IGN Admin Express, via gregoiredavid/france-geojson (commit 5d34ee6)"
LICENCE = "Licence Ouverte / Open Licence (Etalab)"


def _polygons(geometry: Any) -> list[Polygon]:
    if isinstance(geometry, Polygon):
        return [geometry]
    if isinstance(geometry, MultiPolygon):
        return list(geometry.geoms)
    return [g for part in getattr(geometry, "geoms", []) for g in _polygons(part)]


def _rings(geometry: Any) -> list[list[int]]:
    """Outer rings only (the map fills departments; holes are other departments drawn on top),
    the largest first, without islets."""
    polygons = sorted(_polygons(geometry), key=lambda p: -p.area)
    if not polygons:
        return []
    largest = polygons[0].area
    rings = []
    for polygon in polygons:
        if polygon.area < largest * MIN_AREA_SHARE:
            continue
        flat: list[int] = []
        for x, y in list(polygon.exterior.coords)[:-1]:
            point = [round(x * 1000), round(y * 1000)]
            if flat[-2:] != point:
                flat += point
        if len(flat) >= 6:
            rings.append(flat)
    return rings


def build(source: Path) -> dict[str, Any]:
    features = json.loads(source.read_text("utf-8"))["features"]
    metro = [f for f in features if len(f["properties"]["code"]) == 2]
    overseas = [f for f in features if len(f["properties"]["code"]) == 3]
    simplified = shapely.coverage_simplify([shape(f["geometry"]) for f in metro], METRO_TOLERANCE)
    departments: dict[str, dict[str, Any]] = {}
    for feature, geometry in zip(metro, simplified, strict=True):
        code, name = feature["properties"]["code"], feature["properties"]["nom"]
        departments[code] = {"name": name, "rings": _rings(geometry)}
    for feature in overseas:
        code, name = feature["properties"]["code"], feature["properties"]["nom"]
        tolerance = OVERSEAS_TOLERANCE.get(code, OVERSEAS_DEFAULT)
        geometry = shape(feature["geometry"]).simplify(tolerance, preserve_topology=True)
        departments[code] = {"name": name, "rings": _rings(geometry)}
    return {
        "source": SOURCE,
        "licence": LICENCE,
        "unit": "longitude, latitude in thousandths of a degree",
        "departments": dict(sorted(departments.items())),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="departements-avec-outre-mer.geojson")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args()
    data = build(args.source)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(data, separators=(",", ":")) + "\n", "utf-8")
    points = sum(len(r) // 2 for d in data["departments"].values() for r in d["rings"])
    print(
        f"{len(data['departments'])} departments, {points} points, {args.out.stat().st_size} bytes"
    )


if __name__ == "__main__":
    main()
