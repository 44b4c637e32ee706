"""The key slot file beside a SQLite store (`weibao.sqlite3.keys`, JSON, 0600).

The store is encrypted by SQLCipher with a random 32-byte store key, given to SQLCipher raw (x'…'), so opening
costs no key derivation. The store key is written nowhere in the clear: each slot opens it with a key derived
from one user's password (argon2id, see Slot), and one slot with the recovery key printed at init. The slot's
kind, name, public key and the store's id are the AES-GCM associated data, so a slot copied under another
user's name opens nothing. `previous_keys` holds the keys the store had before a rekey, wrapped by the
current key, so backups made before a user was removed can still be checked and restored by whoever can open
the store today (a removed user gains nothing from them: they could open those backups with their old password).
"""
from __future__ import annotations

import base64
import contextlib
import hashlib
import hmac
import json
import os
import secrets
import uuid
from dataclasses import dataclass, field
from pathlib import Path

from ..domain.errors import WeibaoError

KEYS_SUFFIX = ".keys"
FORMAT = 1
RECOVERY = "recovery"
USER = "user"
# Moderate argon2id cost: about a quarter of a second on a township PC per login or password change.
KDF_DEFAULT = {"name": "argon2id", "time": 3, "memory_kib": 65536, "lanes": 1}
# Only for the test suite (WEIBAO_TEST_CHEAP_KDF=1, set by tests/conftest.py): slots made then are cheap to
# guess. The cost is stored in each slot, so a store keeps whatever its slots were made with.
KDF_CHEAP = {"name": "argon2id", "time": 1, "memory_kib": 64, "lanes": 1}
CHEAP_KDF_ENV = "WEIBAO_TEST_CHEAP_KDF"
RECOVERY_DIGITS = 40  # about 133 bits, in groups of five


def keys_path(db_path: Path) -> Path:
    """The key slot file of a store or of a backup: the same name with .keys added."""
    db_path = Path(db_path)
    return db_path.with_name(db_path.name + KEYS_SUFFIX)


def kdf_params() -> dict:
    return dict(KDF_CHEAP if os.environ.get(CHEAP_KDF_ENV) == "1" else KDF_DEFAULT)


def derive(secret: str, salt: bytes, params: dict) -> bytes:
    if params.get("name") != "argon2id":
        raise WeibaoError("密钥文件使用了本程序不认识的密钥派生方法", "keys")
    from argon2.low_level import Type, hash_secret_raw

    return hash_secret_raw(secret.encode("utf-8"), salt, int(params["time"]), int(params["memory_kib"]),
                           int(params["lanes"]), 32, Type.ID)


def key_id(key: bytes) -> str:
    """A public name for a store key (which backup needs which key), from which the key cannot be found."""
    return hmac.new(key, b"weibao key id", hashlib.sha256).hexdigest()[:16]


def subkey(key: bytes, purpose: str) -> bytes:
    return hmac.new(key, f"weibao {purpose}".encode(), hashlib.sha256).digest()


def new_store_key() -> bytes:
    return secrets.token_bytes(32)


def new_recovery_key() -> str:
    digits = "".join(str(secrets.randbelow(10)) for _ in range(RECOVERY_DIGITS))
    return "-".join(digits[i:i + 5] for i in range(0, RECOVERY_DIGITS, 5))


def normalise_recovery_key(text: str) -> str | None:
    """The recovery key as typed (spaces, dashes, full-width digits) in its printed form, or None if it is not one."""
    digits = "".join(str(int(ch)) for ch in text if ch.isdigit())
    if len(digits) != RECOVERY_DIGITS:
        return None
    return "-".join(digits[i:i + 5] for i in range(0, RECOVERY_DIGITS, 5))


def _b64(data: bytes) -> str:
    return base64.b64encode(data).decode("ascii")


def _unb64(text: str) -> bytes:
    return base64.b64decode(text.encode("ascii"))


def _aead(key: bytes):
    from cryptography.hazmat.primitives.ciphers.aead import AESGCM

    return AESGCM(key)


@dataclass
class Slot:
    """One user's (or the recovery key's) way to the store key. The slot has an X25519 key pair: its private
    key is wrapped by the key derived from the password, and the store key is sealed to its public key. So an
    admin who holds the store key can seal a new one to every remaining user at a rekey without knowing their
    passwords, and a removed user's private key opens only the old store key."""

    kind: str  # USER or RECOVERY
    name: str  # the account's name; "" for the recovery slot
    kdf: dict
    salt: str
    nonce: str
    private: str  # the X25519 private key, AES-GCM under the password-derived key
    public: str
    sealed: dict  # the store key sealed to `public`: ephemeral public key, nonce, ciphertext

    def associated(self, store_id: str, what: str) -> bytes:
        return f"weibao {what}|{store_id}|{self.kind}|{self.name}|{self.public}".encode()

    def to_json(self) -> dict:
        return {"kind": self.kind, "name": self.name, "kdf": self.kdf, "salt": self.salt, "nonce": self.nonce,
                "private": self.private, "public": self.public, "sealed": self.sealed}


def _x25519():
    from cryptography.hazmat.primitives.asymmetric import x25519

    return x25519


def _raw(key) -> bytes:
    from cryptography.hazmat.primitives import serialization

    if hasattr(key, "private_bytes"):
        return key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw,
                                 serialization.NoEncryption())
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def _shared_key(private, peer_public: bytes, info: bytes) -> bytes:
    shared = private.exchange(_x25519().X25519PublicKey.from_public_bytes(peer_public))
    return hmac.new(shared, b"weibao seal|" + info, hashlib.sha256).digest()


@dataclass
class KeyFile:
    """The parsed slot file; `attempts` is the lockout record (vault.lockout), kept as it is read."""

    store_id: str
    key_id: str
    slots: list[Slot] = field(default_factory=list)
    previous_keys: list[dict] = field(default_factory=list)
    attempts: dict = field(default_factory=dict)

    @classmethod
    def new(cls, store_key: bytes) -> KeyFile:
        return cls(uuid.uuid4().hex, key_id(store_key))

    def slot(self, kind: str, name: str = "") -> Slot | None:
        return next((s for s in self.slots if s.kind == kind and s.name == name), None)

    def user_names(self) -> list[str]:
        return [s.name for s in self.slots if s.kind == USER]

    def set_slot(self, kind: str, name: str, secret: str, store_key: bytes) -> None:
        """A new slot for one user (or the recovery key) with a new key pair, replacing that user's old slot."""
        params = kdf_params()
        salt, nonce = secrets.token_bytes(16), secrets.token_bytes(12)
        private = _x25519().X25519PrivateKey.generate()
        slot = Slot(kind, name, params, _b64(salt), _b64(nonce), "", _b64(_raw(private.public_key())), {})
        slot.private = _b64(_aead(derive(secret, salt, params)).encrypt(nonce, _raw(private),
                                                                         slot.associated(self.store_id, "slot")))
        self._seal(slot, store_key)
        self.slots = [s for s in self.slots if not (s.kind == kind and s.name == name)] + [slot]

    def _seal(self, slot: Slot, store_key: bytes) -> None:
        ephemeral = _x25519().X25519PrivateKey.generate()
        nonce = secrets.token_bytes(12)
        info = slot.associated(self.store_id, "seal")
        wrapped = _aead(_shared_key(ephemeral, _unb64(slot.public), info)).encrypt(nonce, store_key, info)
        slot.sealed = {"ephemeral": _b64(_raw(ephemeral.public_key())), "nonce": _b64(nonce), "wrapped": _b64(wrapped)}

    def reseal_all(self, new_key: bytes) -> None:
        """After a rekey: the new store key sealed to every remaining slot; passwords are not needed."""
        for slot in self.slots:
            self._seal(slot, new_key)

    def remove_slot(self, kind: str, name: str) -> None:
        self.slots = [s for s in self.slots if not (s.kind == kind and s.name == name)]

    def open_slot(self, slot: Slot, secret: str) -> bytes | None:
        """The store key, or None when the secret is not this slot's (AES-GCM refuses it)."""
        from cryptography.exceptions import InvalidTag

        derived = derive(secret, _unb64(slot.salt), slot.kdf)
        try:
            raw = _aead(derived).decrypt(_unb64(slot.nonce), _unb64(slot.private), slot.associated(self.store_id, "slot"))
            private = _x25519().X25519PrivateKey.from_private_bytes(raw)
            info = slot.associated(self.store_id, "seal")
            shared = _shared_key(private, _unb64(slot.sealed["ephemeral"]), info)
            key = _aead(shared).decrypt(_unb64(slot.sealed["nonce"]), _unb64(slot.sealed["wrapped"]), info)
        except (InvalidTag, KeyError, ValueError):
            return None
        return key if key_id(key) == self.key_id else None

    def remember_previous(self, old_key: bytes, new_key: bytes) -> None:
        """After a rekey: keep the old key wrapped by the new one (old backups stay checkable) and rewrap
        the ones kept before."""
        olds = [old_key, *self.unwrap_previous(old_key)]
        self.previous_keys = []
        for key in olds:
            nonce = secrets.token_bytes(12)
            associated = f"weibao previous|{self.store_id}|{key_id(key)}".encode()
            self.previous_keys.append({"key_id": key_id(key), "nonce": _b64(nonce),
                                       "wrapped": _b64(_aead(new_key).encrypt(nonce, key, associated))})
        self.key_id = key_id(new_key)

    def unwrap_previous(self, store_key: bytes) -> list[bytes]:
        from cryptography.exceptions import InvalidTag

        keys = []
        for item in self.previous_keys:
            associated = f"weibao previous|{self.store_id}|{item['key_id']}".encode()
            try:
                keys.append(_aead(store_key).decrypt(_unb64(item["nonce"]), _unb64(item["wrapped"]), associated))
            except InvalidTag:
                continue
        return keys

    def to_json(self) -> dict:
        return {"format": FORMAT, "store_id": self.store_id, "key_id": self.key_id,
                "slots": [s.to_json() for s in self.slots], "previous_keys": self.previous_keys,
                "attempts": self.attempts}


def read(path: Path) -> KeyFile | None:
    """The slot file at `path` (a store's or a backup's), None when there is none."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        return None
    try:
        data = json.loads(raw.decode("utf-8"))
        if data.get("format") != FORMAT:
            raise ValueError("format")
        slots = [Slot(s["kind"], s["name"], dict(s["kdf"]), s["salt"], s["nonce"], s["private"], s["public"],
                      dict(s["sealed"])) for s in data["slots"]]
        return KeyFile(str(data["store_id"]), str(data["key_id"]), slots, list(data.get("previous_keys", [])),
                       dict(data.get("attempts", {})))
    except (ValueError, KeyError, TypeError, UnicodeDecodeError):
        raise WeibaoError(f"密钥文件 {path.name} 已损坏或不是本程序的文件。请用备份中的同名 .keys 文件恢复，"
                          "数据库本身没有被改动。", "keys") from None


def write(path: Path, keyfile: KeyFile) -> None:
    """Whole or not at all: written 0600 beside its final name, flushed, renamed in one step."""
    path = Path(path)
    partial = path.with_name(f"{path.name}.writing-{os.getpid()}")
    data = json.dumps(keyfile.to_json(), ensure_ascii=False, indent=1).encode("utf-8")
    partial.unlink(missing_ok=True)
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        restrict(partial)
        os.replace(partial, path)
    finally:
        partial.unlink(missing_ok=True)


def create_private(path: Path) -> None:
    """An empty file only this user can read (0600 on Linux; Windows keeps the per-user folder's ACL), made
    before SQLite opens it: SQLite gives the -wal and -shm it makes the main file's mode. An explicit mode,
    not os.umask, which is process-wide and would race with other threads."""
    path = Path(path)
    path.unlink(missing_ok=True)
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def restrict(path: Path, folder: bool = False) -> None:
    if os.name == "posix":
        with contextlib.suppress(OSError):
            os.chmod(path, 0o700 if folder else 0o600)
