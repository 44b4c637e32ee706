"""Keys, signatures and the values two paired stations derive from each other's public keys.

Small and explicit, after minisign: Ed25519 signs a package's canonical content; X25519 gives two paired
stations a shared secret from which the package password is derived (it never travels); the safety code
is a hash of both stations' public keys that two people compare by phone.

What is signed is the *values* of `_meta` and `_rows`, written as canonical JSON, never the workbook's
bytes: a package opened and saved again in Excel, WPS or LibreOffice still verifies.
"""
from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import dataclass, field

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

_RAW = (serialization.Encoding.Raw, serialization.PublicFormat.Raw)
_RAW_PRIVATE = (serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
SIGNED_OUT = ("checksum", "signature")  # meta keys outside the signed content (the signature names its signer)


@dataclass(frozen=True)
class KeyPair:
    """A station's keys, base64 of the raw 32-byte values."""

    sign_private: str
    sign_public: str
    dh_private: str
    dh_public: str


@dataclass(frozen=True)
class Signer:
    """Signs with a station's private key; `key_id` names the key in what it signs."""

    key_id: str
    sign_private: str = field(repr=False)

    def sign(self, message: bytes) -> str:
        return sign(self.sign_private, message)


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def _raw(text: str) -> bytes:
    """A base64 key back to 32 bytes; ValueError for anything else (a value from a file is untrusted)."""
    try:
        raw = base64.b64decode(text.encode("ascii"), validate=True)
    except (binascii.Error, UnicodeEncodeError, AttributeError):
        raise ValueError("not base64") from None
    if len(raw) != 32:
        raise ValueError("not a 32-byte key")
    return raw


def valid_public_key(text: object) -> bool:
    try:
        return isinstance(text, str) and len(_raw(text)) == 32
    except ValueError:
        return False


def new_keys() -> KeyPair:
    sign = Ed25519PrivateKey.generate()
    dh = X25519PrivateKey.generate()
    return KeyPair(_b64(sign.private_bytes(*_RAW_PRIVATE)), _b64(sign.public_key().public_bytes(*_RAW)),
                   _b64(dh.private_bytes(*_RAW_PRIVATE)), _b64(dh.public_key().public_bytes(*_RAW)))


def key_id(sign_public: str) -> str:
    """A short fingerprint of a signing key: names the signer in a package."""
    return hashlib.sha256(sign_public.encode("ascii")).hexdigest()[:16]


def sign(sign_private: str, message: bytes) -> str:
    return _b64(Ed25519PrivateKey.from_private_bytes(_raw(sign_private)).sign(message))


def verify(sign_public: str, message: bytes, signature: object) -> bool:
    if not isinstance(signature, str):
        return False
    try:
        raw = base64.b64decode(signature.encode("ascii"), validate=True)
        Ed25519PublicKey.from_public_bytes(_raw(sign_public)).verify(raw, message)
    except (ValueError, binascii.Error, UnicodeEncodeError, InvalidSignature):
        return False
    return True


def safety_code(county_sign: str, county_dh: str, town_sign: str, town_dh: str) -> str:
    """Six digits both sides show: equal only when each holds the other's true public keys."""
    text = "\n".join(("weibao-safety-code-1", county_sign, county_dh, town_sign, town_dh))
    return f"{int.from_bytes(hashlib.sha256(text.encode('ascii')).digest()[:8], 'big') % 1_000_000:06d}"


def package_password(dh_private: str, their_dh_public: str, code_a: str, code_b: str) -> str:
    """The pair's package password: HKDF over the X25519 shared secret and both station codes.

    Both sides derive the same text; it is shown to admins for opening a package by hand in Excel/WPS."""
    shared = X25519PrivateKey.from_private_bytes(_raw(dh_private)).exchange(
        X25519PublicKey.from_public_bytes(_raw(their_dh_public)))
    info = ("weibao-package-password-1|" + "|".join(sorted((code_a, code_b)))).encode("ascii")
    key = HKDF(algorithm=hashes.SHA256(), length=15, salt=None, info=info).derive(shared)
    text = base64.b32encode(key).decode("ascii")  # 24 letters and digits, no padding for 15 bytes
    return "-".join(text[i:i + 4] for i in range(0, len(text), 4))


def canonical(meta: dict, listing: list[list]) -> bytes:
    """The signed content of a package: `_meta` (less checksum and signature) and `_rows`, as values.

    Each `_rows` line's content is parsed and written again canonically, so how a spreadsheet program split
    or stored the text does not matter; the order of the lines does (a reordered copy does not verify)."""
    rows = []
    for sheet, uuid, rev, rowsum, *parts in listing:
        try:
            content = json.loads("".join(parts))
        except (ValueError, RecursionError):
            content = "".join(parts)
        rows.append([sheet, uuid, rev, rowsum, content])
    body = {"meta": {k: v for k, v in meta.items() if k not in SIGNED_OUT}, "rows": rows}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
