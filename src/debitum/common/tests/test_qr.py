"""The EPC QR code as an image: level M, at most version 13, and it scans back to the payload."""

import struct
import zlib
from decimal import Decimal

import pytest

from debitum.common.qr import epc_qr_code, epc_qr_png, epc_qr_svg
from debitum.domain.epc_qr import epc_qr_payload

PAYLOAD = epc_qr_payload(
    name="Société Générale Belge",
    iban="BE68539007547034",
    amount=Decimal("1234.56"),
    reference="+++010/8068/17183+++",
)


def _png_pixels(png: bytes) -> tuple[int, int, bytes]:
    """Width, height and 8-bit grey pixels of segno's PNG (grey, 1 bit, filters None or Up)."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    position, data = 8, b""
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind, body = png[position + 4 : position + 8], png[position + 8 : position + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour = struct.unpack(">2I2B", body[:10])
            assert (depth, colour) == (1, 0)
        elif kind == b"IDAT":
            data += body
        position += 12 + length
    raw, stride = zlib.decompress(data), (width + 7) // 8
    pixels, previous = bytearray(), bytes(stride)
    for row in range(height):
        start = row * (stride + 1)
        filter_type, line = raw[start], raw[start + 1 : start + 1 + stride]
        if filter_type == 2:  # Up: add the byte above
            line = bytes((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
        assert filter_type in (0, 2)
        previous = line
        bits = "".join(f"{byte:08b}" for byte in line)[:width]
        pixels += bytes(255 if bit == "1" else 0 for bit in bits)
    return width, height, bytes(pixels)


def test_the_code_is_level_m_byte_mode_within_version_13():
    qr = epc_qr_code(PAYLOAD)
    assert (qr.error, qr.mode) == ("M", "byte")
    assert qr.version <= 13


def test_the_png_scans_back_to_the_payload():
    zxingcpp = pytest.importorskip("zxingcpp")
    width, height, pixels = _png_pixels(epc_qr_png(PAYLOAD))
    image = memoryview(pixels).cast("B", (height, width))
    result = zxingcpp.read_barcode(image)
    assert result is not None
    assert result.format == zxingcpp.BarcodeFormat.QRCode
    assert result.bytes.decode("utf-8") == PAYLOAD
    assert result.ec_level == "M"


def test_the_svg_is_an_svg_document():
    svg = epc_qr_svg(PAYLOAD)
    assert svg.startswith(b"<svg") and svg.rstrip().endswith(b"</svg>")


def test_the_largest_payload_still_fits_version_13():
    # 274 bytes of elements and line feeds + 57 of information = the 331 bytes EPC069-12 allows.
    payload = epc_qr_payload(
        name="N" * 70,
        iban="BE68539007547034",
        bic="GEBABEBB",
        amount=Decimal("999999999.99"),
        purpose="GDDS",
        text="T" * 140,
        information="I" * 57,
    )
    assert len(payload.encode()) == 331
    assert epc_qr_code(payload).version <= 13
