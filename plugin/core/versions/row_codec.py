"""How one frozen row is written into the shared row store: the compact *packed* encoding (row format 2).

A frozen row is its fid, its 2D WKB and its other columns as a canonical JSON object
(:class:`.snapshot.FrozenRow`). Row format 1 (the row store's first rows, and every row of
``pack_version_rows``) keeps the WKB in ``geom_wkb`` and the JSON in ``attributes``. Format 2 packs
both into one blob kept in ``geom_wkb`` with ``attributes`` NULL, which is how a reader tells the two
apart; the blob's first byte names its encoding (``0x02``), so a later encoding can be added beside it.

The packed blob is ``0x02`` then a raw DEFLATE stream (preset dictionary :data:`_ZDICT`, fixed with the
format) of: the JSON's length as a varint, the JSON (UTF-8), and the geometry: ``0`` none, ``1`` the WKB
as it is (a WKB the splitter does not know), or ``2`` the WKB split into its structure (byte orders,
types, counts) and its coordinates, the coordinates' bytes transposed into eight planes (every first
byte, then every second byte ...), which DEFLATE compresses far better than interleaved doubles. Every
step is lossless: :func:`unpack_row` gives back the exact bytes and string :func:`pack_row` was given
(each packed row is checked on the way in, so a row that would not come back whole is stored as format 1).
"""

from __future__ import annotations

import struct
import zlib

import numpy as np

from ..errors import PackError
from .snapshot import FrozenRow

PACKED = 2
_PACKED_BYTE = bytes([PACKED])
_NONE, _RAW, _SPLIT = 0, 1, 2
_MAX_DEPTH = 32
_U32 = struct.Struct("<I")
#: Preset dictionary of format 2 (never change it: rows already written need it; a new one needs a new format).
_ZDICT = (b'{"additional_habitats":null,"code":"","confidence":null,"crown_radius_m":null,"designation":"SSSI",'
          b'"habitat_codes":"","habitat_theme":"","habitat_type":"ancient_woodland","habitats":"","inventory":'
          b'"revised","key":"","main_habitat":"","measure":"","priority":"","stem_diameter_m":null,"status":"ASNW",'
          b'"value":"","name":null,"ref":null,"source_layer":"","measures":"WD001;GL001",'
          b"\x01\x06\x00\x00\x00\x01\x00\x00\x00\x01\x03\x00\x00\x00\x01\x00\x00\x00")


class _UnsupportedError(Exception):
    """A WKB the splitter does not handle (not little-endian 2D, damaged, too deep): kept as it is."""


def _split(wkb: bytes, pos: int, shape: bytearray, coords: bytearray, depth: int) -> int:
    if depth > _MAX_DEPTH or pos + 5 > len(wkb) or wkb[pos] != 1:
        raise _UnsupportedError
    kind = _U32.unpack_from(wkb, pos + 1)[0]
    shape += wkb[pos:pos + 5]
    pos += 5
    if kind == 1:
        return _take(wkb, pos, 16, coords)
    if kind not in (2, 3, 4, 5, 6, 7) or pos + 4 > len(wkb):
        raise _UnsupportedError
    count = _U32.unpack_from(wkb, pos)[0]
    shape += wkb[pos:pos + 4]
    pos += 4
    if kind == 2:
        return _take(wkb, pos, 16 * count, coords)
    if kind == 3:
        for _ in range(count):
            if pos + 4 > len(wkb):
                raise _UnsupportedError
            n = _U32.unpack_from(wkb, pos)[0]
            shape += wkb[pos:pos + 4]
            pos = _take(wkb, pos + 4, 16 * n, coords)
        return pos
    for _ in range(count):
        pos = _split(wkb, pos, shape, coords, depth + 1)
    return pos


def _take(wkb: bytes, pos: int, size: int, coords: bytearray) -> int:
    if pos + size > len(wkb):
        raise _UnsupportedError
    coords += wkb[pos:pos + size]
    return pos + size


class _Joiner:
    """Rebuilds a WKB from its structure and its coordinates (the inverse of :func:`_split`)."""

    def __init__(self, shape: bytes, coords: bytes) -> None:
        self.shape, self.coords, self.s, self.c = shape, coords, 0, 0
        self.out = bytearray()

    def _shape(self, size: int) -> bytes:
        if self.s + size > len(self.shape):
            raise ValueError("geometry structure truncated")
        part = self.shape[self.s:self.s + size]
        self.s += size
        self.out += part
        return part

    def _coords(self, size: int) -> None:
        if self.c + size > len(self.coords):
            raise ValueError("coordinates truncated")
        self.out += self.coords[self.c:self.c + size]
        self.c += size

    def geometry(self, depth: int = 0) -> None:
        head = self._shape(5)
        kind = _U32.unpack_from(head, 1)[0]
        if depth > _MAX_DEPTH or head[0] != 1 or kind not in range(1, 8):
            raise ValueError("unknown geometry structure")
        if kind == 1:
            self._coords(16)
            return
        count = _U32.unpack(self._shape(4))[0]
        if kind == 2:
            self._coords(16 * count)
        elif kind == 3:
            for _ in range(count):
                self._coords(16 * _U32.unpack(self._shape(4))[0])
        else:
            for _ in range(count):
                self.geometry(depth + 1)

    def whole(self) -> bytes:
        self.geometry()
        if self.s != len(self.shape) or self.c != len(self.coords):
            raise ValueError("geometry has trailing bytes")
        return bytes(self.out)


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _read_varint(data: bytes, pos: int) -> tuple[int, int]:
    value = shift = 0
    while True:
        if pos >= len(data) or shift > 63:
            raise ValueError("length truncated")
        byte = data[pos]
        value |= (byte & 0x7F) << shift
        pos, shift = pos + 1, shift + 7
        if not byte & 0x80:
            return value, pos


def _geometry_part(wkb: bytes | None) -> bytes:
    if wkb is None:
        return bytes([_NONE])
    shape, coords = bytearray(), bytearray()
    try:
        if _split(wkb, 0, shape, coords, 0) != len(wkb):
            raise _UnsupportedError
    except (_UnsupportedError, struct.error):
        return bytes([_RAW]) + wkb
    planes = np.frombuffer(bytes(coords), dtype=np.uint8).reshape(-1, 8).T.tobytes()
    return bytes([_SPLIT]) + _varint(len(shape)) + bytes(shape) + planes


def _geometry(data: bytes, pos: int) -> bytes | None:
    if pos >= len(data):
        raise ValueError("geometry missing")
    kind, pos = data[pos], pos + 1
    if kind == _NONE and pos == len(data):
        return None
    if kind == _RAW:
        return data[pos:]
    if kind != _SPLIT:
        raise ValueError("unknown geometry encoding")
    size, pos = _read_varint(data, pos)
    shape, planes = data[pos:pos + size], data[pos + size:]
    if len(shape) != size or len(planes) % 8:
        raise ValueError("geometry truncated")
    coords = np.frombuffer(planes, dtype=np.uint8).reshape(8, -1).T.tobytes()
    return _Joiner(shape, coords).whole()


def _deflate(data: bytes) -> bytes:
    packer = zlib.compressobj(6, zlib.DEFLATED, -15, 8, zlib.Z_DEFAULT_STRATEGY, _ZDICT)
    return packer.compress(data) + packer.flush()


def _inflate(data: bytes) -> bytes:
    unpacker = zlib.decompressobj(-15, _ZDICT)
    out = unpacker.decompress(data) + unpacker.flush()
    if not unpacker.eof or unpacker.unused_data:
        raise ValueError("compressed row truncated")
    return out


def _decode(fid: int, blob: bytes) -> FrozenRow:
    if blob[:1] != _PACKED_BYTE:
        raise ValueError("unknown row format")
    data = _inflate(blob[1:])
    size, pos = _read_varint(data, 0)
    attributes = data[pos:pos + size].decode("utf-8")
    if len(attributes.encode("utf-8")) != size:
        raise ValueError("attributes truncated")
    return FrozenRow(fid, _geometry(data, pos + size), attributes)


def pack_row(row: FrozenRow) -> bytes | None:
    """Format 2 of ``row`` (what goes into ``geom_wkb``, ``attributes`` NULL), or None when it would not come back
    whole (the row is then stored as format 1)."""
    text = row.attributes.encode("utf-8")
    blob = _PACKED_BYTE + _deflate(_varint(len(text)) + text + _geometry_part(row.wkb))
    try:
        back = _decode(row.fid, blob)
    except (ValueError, UnicodeDecodeError, zlib.error):
        return None
    return blob if back == row else None


def stored_row(fid: int, geom_wkb: bytes | None, attributes: str | None, table: str) -> FrozenRow:
    """The frozen row of one row-store (or ``pack_version_rows``) row, whichever format it was written in."""
    if attributes is not None:  # format 1: the WKB and the JSON as they are
        return FrozenRow(fid, None if geom_wkb is None else bytes(geom_wkb), str(attributes))
    try:
        return _decode(fid, b"" if geom_wkb is None else bytes(geom_wkb))
    except (ValueError, UnicodeDecodeError, zlib.error) as exc:
        raise PackError(f"a frozen row of '{table}' (fid {fid}) in the pack's version history is damaged ({exc}); "
                        "the version cannot be read.") from exc
