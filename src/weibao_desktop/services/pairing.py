"""Pairing stations, once per township, and what the pairing is used for: signing and checking packages,
and the pair's package password.

County: `add` writes a 开通文件 with its public keys; township: `accept` reads it and writes a 回执 with its
own; county: `confirm` reads the 回执. Both sides then show the same six-digit safety code, which two people
compare by phone. A station that comes back with a new key (a new computer) is a re-pairing the county
confirms, never silent: until then its packages are refused as signed by an unknown key.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..domain.errors import WeibaoError
from ..models.entities import Station, SyncPeer, utcnow
from ..models.pairing import PairPartner, StationKey
from ..sync import signing
from ..sync.pairing_file import PairingFile, read_pairing, write_pairing
from .base import Actor, Context, home_station, store_mode

ADMIN_ROLES = ("head", "county_admin")
_CODE12 = re.compile(r"^\d{12}$")


def may_see_package_password(actor: Actor) -> bool:
    """Whether `actor` may see the package password (admins only: role head or county_admin)."""
    from ..domain.roles import canonical_role

    return canonical_role(actor.role) in ("head", "county_admin")


@dataclass(frozen=True)
class PartnerInfo:
    code: str
    name: str
    role: str  # the partner's role: county or township
    state: str  # invited, paired
    safety_code: str | None
    key_id: str | None
    password: str | None  # None when the actor may not see it, or before pairing
    paired_at: dt.datetime | None
    invited_at: dt.datetime | None
    rekeyed: int


@dataclass(frozen=True)
class PairingResult:
    partner_code: str
    partner_name: str
    safety_code: str | None
    rekeyed: bool = False
    path: Path | None = None


def own_keys(s: Session) -> StationKey:
    """This station's keys, made the first time they are needed."""
    key = s.scalar(select(StationKey).order_by(StationKey.id.desc()).limit(1))
    if key is None:
        pair = signing.new_keys()
        key = StationKey(sign_private=pair.sign_private, sign_public=pair.sign_public, dh_private=pair.dh_private,
                         dh_public=pair.dh_public)
        s.add(key)
        s.flush()
    return key


def _safety(s: Session, partner: PairPartner) -> str | None:
    if partner.sign_public is None or partner.dh_public is None:
        return None
    key = own_keys(s)
    if partner.role == "township":
        return signing.safety_code(key.sign_public, key.dh_public, partner.sign_public, partner.dh_public)
    return signing.safety_code(partner.sign_public, partner.dh_public, key.sign_public, key.dh_public)


def _password(s: Session, home: Station, partner: PairPartner) -> str | None:
    if partner.state != "paired" or partner.dh_public is None:
        return None
    return signing.package_password(own_keys(s).dh_private, partner.dh_public, home.code, partner.code)


def paired_partner(s: Session, code: str) -> PairPartner | None:
    partner = s.scalar(select(PairPartner).where(PairPartner.code == code))
    return partner if partner is not None and partner.state == "paired" else None


def package_password(s: Session, code: str) -> str:
    """The password of packages between this station and a paired partner."""
    partner = paired_partner(s, code)
    if partner is None:
        raise WeibaoError(f"本机还没有与“{code}”配对，不能交换数据包。请先在 设置 → 配对 中完成配对。", "peer")
    return str(_password(s, home_station(s), partner))


def package_passwords(s: Session) -> list[tuple[str, str, str]]:
    """(code, name, password) of every paired partner: the candidates for opening an encrypted package."""
    home = home_station(s)
    out = []
    for partner in s.scalars(select(PairPartner).where(PairPartner.state == "paired").order_by(PairPartner.code)):
        password = _password(s, home, partner)
        if password:
            out.append((partner.code, partner.name, password))
    return out


def signer(s: Session) -> signing.Signer:
    """Signs a package's canonical content with this station's key."""
    key = own_keys(s)
    return signing.Signer(signing.key_id(key.sign_public), key.sign_private)


def check_sender(s: Session, sender_code: str, sender_name: str, signer_id: str | None, signature: str | None,
                 signed: bytes) -> PairPartner:
    """The package is signed by the key this store paired with for its sender; else a refusal saying why."""
    who = f"“{sender_name}”（{sender_code}）"
    if not signer_id or not signature:
        raise WeibaoError(f"数据包没有签名（自称来自{who}）：可能是旧版程序生成的，或是伪造的。未导入任何数据；"
                          "请对方升级程序、完成配对后重新生成。")
    partner = s.scalar(select(PairPartner).where(PairPartner.code == sender_code))
    if partner is None or partner.sign_public is None:
        raise WeibaoError(f"本机没有与{who}配对，不接收它的数据包，未导入任何数据。"
                          "请先完成配对（县级：设置 → 配对 → 生成开通文件）。")
    if signing.key_id(partner.sign_public) != signer_id:
        other = next((p for p in s.scalars(select(PairPartner).where(PairPartner.code != sender_code))
                      if p.sign_public and signing.key_id(p.sign_public) == signer_id), None)
        if other is not None:
            raise WeibaoError(f"发送方不符：数据包自称来自{who}，却是用“{other.name}”（{other.code}）的密钥签名的。"
                              "未导入任何数据。")
        if partner.invited_at is not None and (partner.paired_at is None or partner.invited_at > partner.paired_at):
            raise WeibaoError(f"{who}已更换密钥（换了电脑或重装了程序），重新配对还没有确认，未导入任何数据。"
                              "请先导入对方的回执并电话核对安全码（设置 → 配对 → 导入回执）。")
        raise WeibaoError(f"签名密钥未知：数据包不是用与{who}配对时的密钥签名的，未导入任何数据。"
                          "如果对方换了电脑，需要重新配对（县级生成新的开通文件，对方导入后交回回执，县级确认）。")
    if not signing.verify(partner.sign_public, signed, signature):
        raise WeibaoError(f"签名不符：数据包自称来自{who}，但内容在签名之后被改动过（或签名是伪造的），未导入任何数据。"
                          "请对方重新生成数据包。")
    return partner


class PairingService:
    def __init__(self, ctx: Context):
        self.ctx = ctx

    def add(self, township_name: str, township_code: str, path: Path) -> PairingResult:
        """County: write the 开通文件 for a township (again, for a township that has a new computer)."""
        name, code = (township_name or "").strip(), (township_code or "").strip()
        if not name or len(name) > 50:
            raise WeibaoError("请填写乡镇名称（50字以内）", "township")
        if not _CODE12.match(code):
            raise WeibaoError(f"乡镇区划代码应为12位数字，现为“{code[:20]}”", "code")
        with self.ctx.tx() as s:
            home = self._home(s, "county")
            if code[:6] != home.code[:6] or code == home.code:
                raise WeibaoError(f"区划代码{code}不是本县（{home.code[:6]}）的乡镇", "code")
            key = own_keys(s)
            partner = s.scalar(select(PairPartner).where(PairPartner.code == code))
            if partner is None:
                partner = PairPartner(code=code, name=name, role="township", state="invited", rekeyed=0)
                s.add(partner)
            partner.name = name
            partner.invited_at = utcnow()
            invite = PairingFile("invite", home.code, home.name, code, name, key.sign_public, key.dh_public,
                                 created_at=_now(), created_by=self.ctx.actor.name)
            write_pairing(Path(path), invite, key.sign_private, temp=self.ctx.store.private_temp())
            s.flush()
            return PairingResult(code, name, None, path=Path(path))

    def accept(self, invite_path: Path, receipt_path: Path) -> PairingResult:
        """Township: take the county's public keys from its 开通文件 and write the 回执 with our own."""
        invite = read_pairing(Path(invite_path), "invite")
        with self.ctx.tx() as s:
            home = self._home(s, "station")
            if invite.township_code != home.code:
                raise WeibaoError(f"这份开通文件是给“{invite.township_name}”（{invite.township_code}）的，"
                                  f"不是本站（{home.name}，{home.code}），未做任何改动")
            if invite.county_code != home.code[:6] + "000000":
                raise WeibaoError(f"开通文件来自“{invite.county_name}”（{invite.county_code}），不是本站所属的县级单位，未做任何改动")
            key = own_keys(s)
            partner = s.scalar(select(PairPartner).where(PairPartner.code == invite.county_code))
            if partner is None:
                partner = PairPartner(code=invite.county_code, role="county", rekeyed=0)
                s.add(partner)
            rekeyed = partner.sign_public is not None and (partner.sign_public, partner.dh_public) != (
                invite.county_sign_public, invite.county_dh_public)
            self._paired(s, partner, invite.county_name, invite.county_sign_public, invite.county_dh_public, rekeyed,
                         station_id=None)
            code = _safety(s, partner)
            receipt = PairingFile("receipt", invite.county_code, invite.county_name, home.code, home.name,
                                  invite.county_sign_public, invite.county_dh_public, key.sign_public, key.dh_public,
                                  created_at=_now(), created_by=self.ctx.actor.name)
            write_pairing(Path(receipt_path), receipt, key.sign_private, code, temp=self.ctx.store.private_temp())
            return PairingResult(partner.code, partner.name, code, rekeyed, Path(receipt_path))

    def check_receipt(self, path: Path) -> PairingResult:
        """County: what confirming this 回执 would do, with the safety code to compare first; changes nothing."""
        receipt = read_pairing(Path(path), "receipt")
        with self.ctx.read() as s:
            partner, rekeyed = self._receipt_partner(s, receipt)
            key = own_keys_readonly(s)
            code = signing.safety_code(key.sign_public, key.dh_public, str(receipt.township_sign_public),
                                       str(receipt.township_dh_public))
            return PairingResult(receipt.township_code, receipt.township_name, code, rekeyed, Path(path))

    def confirm(self, path: Path) -> PairingResult:
        """County: take the township's public keys from its 回执; the pair is now complete."""
        receipt = read_pairing(Path(path), "receipt")
        with self.ctx.tx() as s:
            home = self._home(s, "county")
            partner, rekeyed = self._receipt_partner(s, receipt)
            station = s.scalar(select(Station).where(Station.code == receipt.township_code))
            if station is None:
                station = Station(name=receipt.township_name, code=receipt.township_code, county=home.county, settings={})
                s.add(station)
                s.flush()
            self._paired(s, partner, receipt.township_name, str(receipt.township_sign_public),
                         str(receipt.township_dh_public), rekeyed, station_id=station.id)
            return PairingResult(partner.code, partner.name, _safety(s, partner), rekeyed, Path(path))

    def partners(self) -> list[PartnerInfo]:
        """Every partner with its safety code; the package password only for those who may see it."""
        allowed = may_see_package_password(self.ctx.actor)
        with self.ctx.read() as s:
            home = home_station(s)
            out = []
            for p in s.scalars(select(PairPartner).order_by(PairPartner.code)):
                out.append(PartnerInfo(
                    p.code, p.name, p.role, p.state, _safety_readonly(s, p), signing.key_id(p.sign_public)
                    if p.sign_public else None, _password_readonly(s, home, p) if allowed else None, p.paired_at,
                    p.invited_at, p.rekeyed))
            return out

    def _home(self, s: Session, mode: str) -> Station:
        home = home_station(s)
        if store_mode(s) != mode:
            raise WeibaoError("生成开通文件、确认回执由县级进行；乡镇请“导入开通文件”" if mode == "county"
                              else "导入开通文件由乡镇进行；县级请“生成开通文件”和“导入回执”")
        return home

    def _receipt_partner(self, s: Session, receipt: PairingFile) -> tuple[PairPartner, bool]:
        home = home_station(s)
        if store_mode(s) != "county":
            raise WeibaoError("回执由县级导入；乡镇请“导入开通文件”")
        key = own_keys_readonly(s)
        if receipt.county_code != home.code or (receipt.county_sign_public, receipt.county_dh_public) != (
                key.sign_public, key.dh_public):
            raise WeibaoError("这份回执回复的不是本机生成的开通文件（县级单位或密钥不同），未做任何改动")
        partner = s.scalar(select(PairPartner).where(PairPartner.code == receipt.township_code))
        if partner is None or partner.invited_at is None:
            raise WeibaoError(f"本机没有给“{receipt.township_name}”（{receipt.township_code}）生成过开通文件，"
                              "这份回执不能确认，未做任何改动")
        rekeyed = partner.sign_public is not None and (partner.sign_public, partner.dh_public) != (
            receipt.township_sign_public, receipt.township_dh_public)
        return partner, rekeyed

    def _paired(self, s: Session, partner: PairPartner, name: str, sign_public: str, dh_public: str, rekeyed: bool,
                station_id: int | None) -> None:
        partner.name = name[:50]
        partner.sign_public, partner.dh_public = sign_public, dh_public
        partner.state = "paired"
        partner.paired_at = utcnow()
        partner.paired_by = self.ctx.actor.name
        partner.invited_at = None
        if rekeyed:
            partner.rekeyed = (partner.rekeyed or 0) + 1
        peer = s.scalar(select(SyncPeer).where(SyncPeer.code == partner.code))
        if peer is None:
            peer = SyncPeer(code=partner.code, name=partner.name, role=partner.role, station_id=station_id,
                            next_seq_out=1, acked_out=0, last_seq_in=0, resend=[], ask_again=[])
            s.add(peer)
        elif rekeyed:
            # A new installation starts its numbers again and holds nothing of ours: send it a full package.
            peer.last_seq_in, peer.acked_out = 0, 0
        if station_id is not None:
            peer.station_id = station_id
        s.flush()


def own_keys_readonly(s: Session) -> StationKey:
    """This station's keys for a read: a store that has none yet gets them at its first pairing."""
    key = s.scalar(select(StationKey).order_by(StationKey.id.desc()).limit(1))
    if key is None:
        raise WeibaoError("本机还没有配对密钥：请先生成开通文件（县级）或导入开通文件（乡镇）")
    return key


def _safety_readonly(s: Session, partner: PairPartner) -> str | None:
    if s.scalar(select(StationKey.id).limit(1)) is None:
        return None
    return _safety(s, partner)


def _password_readonly(s: Session, home: Station, partner: PairPartner) -> str | None:
    if s.scalar(select(StationKey.id).limit(1)) is None:
        return None
    return _password(s, home, partner)


def _now() -> str:
    return dt.datetime.now().strftime("%Y-%m-%d %H:%M:%S")
