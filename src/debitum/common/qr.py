"""QR codes for letters and the debtor portal: the EPC payment QR rendered with segno.

The payload comes from `debitum.domain.epc_qr.epc_qr_payload`; here it only becomes an image.
EPC069-12 asks for error correction level M and at most QR version 13 (331 bytes at level M),
so segno may neither raise the level (`boost_error=False`) nor go past version 13.
"""

from __future__ import annotations

import io

import segno

EPC_ERROR_LEVEL = "M"
EPC_MAX_VERSION = 13


def epc_qr_code(payload: str) -> segno.QRCode:
    """The QR code of an EPC payload: byte mode, UTF-8 as line 3 of the payload says, level M."""
    qr = segno.make_qr(
        payload.encode("utf-8"), error=EPC_ERROR_LEVEL, boost_error=False, mode="byte"
    )
    if qr.version > EPC_MAX_VERSION:
        # epc_qr_payload keeps to 331 bytes, which always fits; this guards other callers.
        raise ValueError(f"an EPC QR code is at most version {EPC_MAX_VERSION}, not {qr.version}")
    return qr


def epc_qr_svg(payload: str, *, scale: int = 4) -> bytes:
    """The EPC QR code as an SVG document (with the quiet zone of four modules)."""
    out = io.BytesIO()
    epc_qr_code(payload).save(out, kind="svg", scale=scale, xmldecl=False)
    return out.getvalue()


def epc_qr_png(payload: str, *, scale: int = 4) -> bytes:
    """The EPC QR code as a PNG image (with the quiet zone of four modules)."""
    out = io.BytesIO()
    epc_qr_code(payload).save(out, kind="png", scale=scale)
    return out.getvalue()
