"""Files and photos attached to tasks, rectifications, visits, inspections, topics and archive
items (#18 item 5), stored in the database itself so `dashboard backup`/`restore` carry them and
every app server shares them.

- The type is read from the bytes (never the name): JPEG, PNG, WebP, GIF images, PDF and the
  OOXML office files .docx/.xlsx (a real Office zip, not any zip; macro-enabled ones refused).
  A name that says one type while the bytes are another is refused, as are SVG, HTML, scripts,
  executables and the old .doc/.xls (they can carry macros: save them as .docx/.xlsx).
- An image is decoded and written again from its pixels alone (orientation applied; EXIF with
  its GPS position, comments, ICC and any data appended after the image are gone), its long
  side at most MAX_SIDE pixels, with a JPEG thumbnail of THUMB_SIDE pixels.
- Content is stored once per sha256 (attachment_blob); the attachment row (audited) says who
  attached what to which record. Removal sets removed_at; the bytes stay.
- Who: unit staff read and attach only their own unit's records; files of a covert inspection
  (mode covert) only supervisors and the admin see; leaders read everything else and attach
  nothing. Upload, download and removal are each a history row (who, when, which file — never
  the bytes).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import unicodedata
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any, Protocol

import filetype
from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from data.history import record
from data.labels import ATTACHMENT_OWNER_NAMES, ATTACHMENT_STAGE_NAMES
from data.models import (
    ArchiveItem,
    Attachment,
    AttachmentBlob,
    Inspection,
    Problem,
    SupervisionVisit,
    TaskTemplate,
    Topic,
    UnitTask,
    User,
)

MAX_BYTES = 10 * 1024 * 1024  # per file as uploaded (a Dash upload is base64: 10 MB → 13.4 MB)
MAX_PIXELS = 60_000_000  # pixels decoded of an image (a big JPEG is decoded at 1/2…1/8 first)
MAX_SIDE = 3200  # long side of a stored image, pixels
THUMB_SIDE = 320  # long side of a thumbnail, pixels
JPEG_QUALITY = 85
THUMB_QUALITY = 75
MAX_NAME = 120  # characters of a file name kept

OWNERS = ("task", "problem", "visit", "inspection", "topic", "archive_item")
OWNER_NAMES = ATTACHMENT_OWNER_NAMES
STAGES = ("before", "after")
STAGE_NAMES = ATTACHMENT_STAGE_NAMES

# Roles (data/reference.Role values; plain strings so this module needs nothing of dashboard/).
LEADER, SUPERVISOR, UNIT, ADMIN = "leader", "supervisor", "unit", "admin"
COVERT_READERS = (SUPERVISOR, ADMIN)
# Who may attach to (and remove from) each kind of record; unit staff only their own unit's.
WRITERS = {
    "task": (UNIT, SUPERVISOR, ADMIN),
    "problem": (UNIT, SUPERVISOR, ADMIN),
    "visit": (SUPERVISOR, ADMIN),
    "inspection": (SUPERVISOR, ADMIN),
    "topic": (UNIT, SUPERVISOR, ADMIN),
    "archive_item": (UNIT, SUPERVISOR, ADMIN),
}

# Accepted content: media type → (its Chinese name, the extensions its file name may carry).
KINDS: dict[str, tuple[str, tuple[str, ...]]] = {
    "image/jpeg": ("JPEG 图片", (".jpg", ".jpeg", ".jpe", ".jfif")),
    "image/png": ("PNG 图片", (".png",)),
    "image/webp": ("WebP 图片", (".webp",)),
    "image/gif": ("GIF 图片", (".gif",)),
    "application/pdf": ("PDF 文件", (".pdf",)),
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": (
        "Word 文档（.docx）",
        (".docx",),
    ),
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": (
        "Excel 表格（.xlsx）",
        (".xlsx",),
    ),
}
IMAGES = ("image/jpeg", "image/png", "image/webp", "image/gif")
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NEVER = (".svg", ".svgz", ".html", ".htm", ".xhtml", ".shtml", ".js", ".mht", ".xml")
ACCEPTED_NAMES = "JPEG、PNG、WebP、GIF 图片，PDF，Word（.docx）和 Excel（.xlsx）"
# What filetype calls some refused contents, for the message.
DETECTED_NAMES = {
    "exe": "可执行程序",
    "elf": "可执行程序",
    "zip": "压缩包",
    "rar": "压缩包",
    "7z": "压缩包",
    "gz": "压缩包",
    "doc": "旧版 Word 文档（.doc）",
    "xls": "旧版 Excel 表格（.xls）",
    "ppt": "PowerPoint 文件",
    "pptx": "PowerPoint 文件",
    "mp4": "视频",
    "mov": "视频",
    "bmp": "BMP 图片",
    "tif": "TIFF 图片",
    "heic": "HEIC 图片",
}


class AttachmentError(ValueError):
    """A file refused (type, size, name) or an attachment out of reach; the message is Chinese
    and says what is wrong. Nothing is written."""


class AttachmentRefused(AttachmentError):
    """The account may not read or change this record's files (record it as a denial)."""


class AttachmentNotFound(AttachmentError):
    """No such attachment (or record to attach to)."""


class AccountLike(Protocol):
    """What this module needs of the signed-in account (dashboard.auth.Account)."""

    @property
    def id(self) -> int: ...
    @property
    def username(self) -> str: ...
    @property
    def role(self) -> str: ...
    @property
    def unit_id(self) -> int | None: ...


@dataclass(frozen=True)
class AttachmentRow:
    """An attachment's metadata (never its bytes)."""

    id: int
    campaign_id: int
    unit_id: int | None
    owner: str
    owner_id: int
    stage: str | None
    filename: str
    media_type: str
    size: int
    sha256: str
    covert: bool
    uploaded_at: dt.datetime
    uploaded_by: str  # the uploader's display name (their account name if none)
    removed_at: dt.datetime | None
    has_thumbnail: bool

    @property
    def is_image(self) -> bool:
        return self.media_type in IMAGES


@dataclass(frozen=True)
class OwnerRecord:
    """The record a file is attached to: its campaign, unit and whether it is covert."""

    owner: str
    owner_id: int
    campaign_id: int
    unit_id: int | None
    covert: bool


def human_size(size: int) -> str:
    """A size in words: 812 B, 35.2 KB, 2.4 MB."""
    if size < 1024:
        return f"{size} B"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / 1024 / 1024:.1f} MB"


# ---------------------------------------------------------------- who may do what


def may_read(account: AccountLike, unit_id: int | None, covert: bool) -> bool:
    """Whether the account may see a file of unit `unit_id` (covert: of a covert inspection)."""
    if covert:
        return account.role in COVERT_READERS
    if account.role in (LEADER, SUPERVISOR, ADMIN):
        return True
    return account.role == UNIT and unit_id is not None and account.unit_id == unit_id


def may_write(account: AccountLike, record: OwnerRecord) -> bool:
    """Whether the account may attach files to (and remove them from) the record."""
    if account.role not in WRITERS[record.owner]:
        return False
    if not may_read(account, record.unit_id, record.covert):
        return False
    return account.role != UNIT or (
        record.unit_id is not None and record.unit_id == account.unit_id
    )


def owner_record(session: Session, owner: str, owner_id: int) -> OwnerRecord:
    """The record `owner` `owner_id`: its campaign, unit, covertness (AttachmentNotFound)."""
    if owner not in OWNERS:
        raise AttachmentNotFound(f"不能附加文件到「{owner}」")
    covert = False
    row: Any
    if owner == "task":
        row = session.execute(
            select(TaskTemplate.campaign_id, UnitTask.unit_id)
            .join(TaskTemplate, TaskTemplate.id == UnitTask.template_id)
            .where(UnitTask.id == owner_id)
        ).one_or_none()
    elif owner == "inspection":
        found = session.execute(
            select(Inspection.campaign_id, Inspection.unit_id, Inspection.mode).where(
                Inspection.id == owner_id
            )
        ).one_or_none()
        row = None if found is None else found[:2]
        covert = found is not None and found.mode == "covert"
    else:
        model: Any = {
            "problem": Problem,
            "visit": SupervisionVisit,
            "topic": Topic,
            "archive_item": ArchiveItem,
        }[owner]
        row = session.execute(
            select(model.campaign_id, model.unit_id).where(model.id == owner_id)
        ).one_or_none()
    if row is None:
        raise AttachmentNotFound(f"找不到要附加文件的{OWNER_NAMES[owner]}（编号 {owner_id}）")
    return OwnerRecord(owner, owner_id, row[0], row[1], covert)


# ---------------------------------------------------------------- checking and cleaning files


def clean_name(filename: str | None) -> str:
    """The file's own name (no folders, no control characters, at most MAX_NAME characters)."""
    name = unicodedata.normalize("NFC", filename or "")
    name = PurePosixPath(name.replace("\\", "/")).name
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip().strip(".")
    name = re.sub(r"\s+", " ", name)
    if len(name) > MAX_NAME:
        stem, dot, ext = name.rpartition(".")
        name = (stem[: MAX_NAME - len(ext) - 1] + dot + ext) if dot and len(ext) < 10 else name
        name = name[:MAX_NAME]
    return name


def _extension(name: str) -> str:
    suffix = PurePosixPath(name).suffix.lower()
    return suffix


def _ooxml(data: bytes) -> str | None:
    """DOCX or XLSX if the bytes are a real OOXML package (not macro-enabled); else None."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            names = set(package.namelist())
            if "[Content_Types].xml" not in names:
                return None
            types = package.read("[Content_Types].xml")[:200_000].lower()
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, RuntimeError):
        return None
    if b"macroenabled" in types or any(n.lower().endswith("vbaproject.bin") for n in names):
        return "macro"
    if "word/document.xml" in names:
        return DOCX
    if "xl/workbook.xml" in names:
        return XLSX
    return None


def detect(data: bytes) -> tuple[str | None, str]:
    """The accepted media type the bytes are (None if none) and the words naming what they are."""
    if data.startswith(b"PK\x03\x04"):
        kind = _ooxml(data)
        if kind == "macro":
            return None, "含宏的 Office 文件"
        if kind:
            return kind, KINDS[kind][0]
        return None, "压缩包"
    guess = filetype.guess(data[:8192])
    if guess is None:
        head = data[:1024].lstrip().lower()
        if head.startswith((b"<svg", b"<?xml", b"<!doctype", b"<html")) or b"<svg" in head:
            return None, "SVG/HTML 文本"
        return None, "无法识别的内容"
    if guess.mime in KINDS and guess.mime not in (DOCX, XLSX):
        return guess.mime, KINDS[guess.mime][0]
    return None, DETECTED_NAMES.get(guess.extension, f"{guess.extension.upper()} 文件")


def check_file(filename: str | None, data: bytes) -> tuple[str, str]:
    """The cleaned name and media type of an acceptable file; AttachmentError saying why not."""
    name = clean_name(filename)
    shown = name or "（无名文件）"
    if not data:
        raise AttachmentError(f"文件「{shown}」是空的")
    if len(data) > MAX_BYTES:
        raise AttachmentError(
            f"文件「{shown}」有 {human_size(len(data))}，超过每个附件 "
            f"{human_size(MAX_BYTES)} 的上限，未保存"
        )
    extension = _extension(name)
    if extension in NEVER:
        raise AttachmentError(
            f"文件「{shown}」是 SVG/HTML/脚本类文件，不接受；只接受 {ACCEPTED_NAMES}"
        )
    media_type, what = detect(data)
    if media_type is None:
        raise AttachmentError(f"文件「{shown}」的内容是{what}，不接受；只接受 {ACCEPTED_NAMES}")
    kind_name, extensions = KINDS[media_type]
    if not extension:
        raise AttachmentError(
            f"文件「{shown}」没有扩展名；它的内容是{kind_name}，请改名为 *{extensions[0]}"
        )
    if extension not in extensions:
        claimed = next(
            (words for words, exts in KINDS.values() if extension in exts), f"{extension} 文件"
        )
        raise AttachmentError(
            f"文件「{shown}」的名字说它是{claimed}，内容却是{kind_name}，名实不符，未保存"
        )
    return name, media_type


def _flat(image: Image.Image, background: tuple[int, int, int] = (255, 255, 255)) -> Image.Image:
    """The image as RGB, transparency on a white background."""
    if image.mode in ("RGBA", "LA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        flat = Image.new("RGB", rgba.size, background)
        flat.paste(rgba, mask=rgba.getchannel("A"))
        return flat
    return image.convert("RGB")


def clean_image(data: bytes, media_type: str, shown: str) -> tuple[bytes, str, bytes]:
    """Re-encode an image from its pixels alone: (stored bytes, stored media type, thumbnail).

    GIF is stored as PNG (its first frame)."""
    too_large = f"图片「{shown}」的像素过多（上限 {MAX_PIXELS // 1_000_000} 百万像素），未保存"
    try:
        with warnings.catch_warnings():
            # Pillow's own bomb warning: this module's limit (MAX_PIXELS) is checked below.
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as source:
                if source.format == "JPEG" and max(source.size) > MAX_SIDE:
                    # libjpeg decodes a big photo at 1/2, 1/4 or 1/8 straight away: far less
                    # memory and time than decoding it whole to scale it down afterwards.
                    source.draft("RGB", (MAX_SIDE, MAX_SIDE))
                width, height = source.size
                if width * height > MAX_PIXELS:
                    raise AttachmentError(too_large)
                source.seek(0)
                source.load()
                turned = ImageOps.exif_transpose(source)
                keep_alpha = media_type != "image/jpeg" and (
                    turned.mode in ("RGBA", "LA", "PA")
                    or (turned.mode == "P" and "transparency" in turned.info)
                )
                pixels = turned.convert("RGBA" if keep_alpha else "RGB")
    except AttachmentError:
        raise
    except Image.DecompressionBombError as error:
        raise AttachmentError(too_large) from error
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError) as error:
        raise AttachmentError(f"图片「{shown}」无法读取（文件已损坏或不是图片）") from error
    # A fresh image from the pixels: no EXIF/GPS, no ICC, no text chunks, no trailing data.
    clean = Image.frombytes(pixels.mode, pixels.size, pixels.tobytes())
    if max(clean.size) > MAX_SIDE:
        clean.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    if media_type == "image/jpeg":
        clean.save(out, "JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
        stored_type = "image/jpeg"
    elif media_type == "image/webp":
        clean.save(out, "WEBP", quality=JPEG_QUALITY, method=4)
        stored_type = "image/webp"
    else:  # PNG, and GIF's first frame
        clean.save(out, "PNG", optimize=True)
        stored_type = "image/png"
    thumb = _flat(clean)
    thumb.thumbnail((THUMB_SIDE, THUMB_SIDE), Image.Resampling.LANCZOS)
    small = io.BytesIO()
    thumb.save(small, "JPEG", quality=THUMB_QUALITY, optimize=True)
    return out.getvalue(), stored_type, small.getvalue()


def _renamed(name: str, media_type: str) -> str:
    """A GIF stored as PNG is named .png."""
    if media_type == "image/png" and _extension(name) == ".gif":
        return name[: -len(".gif")] + ".png"
    return name


# ---------------------------------------------------------------- the API


def _blob(session: Session, digest: str, data: bytes, thumbnail: bytes | None) -> int:
    """The blob holding `data` (stored once per sha256)."""
    found = session.scalar(select(AttachmentBlob.id).where(AttachmentBlob.sha256 == digest))
    if found is not None:
        return found
    try:
        with session.begin_nested():
            blob = AttachmentBlob(sha256=digest, size=len(data), data=data, thumbnail=thumbnail)
            session.add(blob)
            session.flush()
            return blob.id
    except IntegrityError:  # the same content saved at the same moment by someone else
        found = session.scalar(select(AttachmentBlob.id).where(AttachmentBlob.sha256 == digest))
        if found is None:
            raise
        return found


def save_attachment(
    session: Session,
    account: AccountLike,
    owner: str,
    owner_id: int,
    filename: str | None,
    data: bytes,
    stage: str | None = None,
) -> Attachment:
    """Check, clean and store a file attached to `owner` `owner_id` (in a write session: the
    attachment row is the upload's history row). AttachmentError (Chinese) when refused."""
    if stage is not None and stage not in STAGES:
        raise AttachmentError(f"照片阶段「{stage}」无效（只能是整改前或整改后）")
    target = owner_record(session, owner, owner_id)
    if not may_write(account, target):
        raise AttachmentRefused(f"您无权给这条{OWNER_NAMES[owner]}记录附加文件")
    name, media_type = check_file(filename, data)
    thumbnail: bytes | None = None
    if media_type in IMAGES:
        data, media_type, thumbnail = clean_image(data, media_type, name)
        name = _renamed(name, media_type)
    digest = hashlib.sha256(data).hexdigest()
    blob_id = _blob(session, digest, data, thumbnail)
    attachment = Attachment(
        campaign_id=target.campaign_id,
        unit_id=target.unit_id,
        owner=owner,
        owner_id=owner_id,
        stage=stage,
        filename=name,
        media_type=media_type,
        size=len(data),
        sha256=digest,
        blob_id=blob_id,
        covert=target.covert,
        uploaded_at=dt.datetime.now().replace(microsecond=0),
        uploaded_by=account.username,
        removed_at=None,
    )
    session.add(attachment)
    session.flush()
    return attachment


def _rows_query() -> Any:
    """Attachments with their uploader's name; every stored image has a thumbnail, so the
    blobs themselves are not read for a list."""
    return select(
        Attachment,
        User.display_name,
        Attachment.media_type.in_(IMAGES).label("has_thumbnail"),
    ).outerjoin(User, User.username == Attachment.uploaded_by)


def _row(attachment: Attachment, display_name: str | None, has_thumbnail: bool) -> AttachmentRow:
    return AttachmentRow(
        id=attachment.id,
        campaign_id=attachment.campaign_id,
        unit_id=attachment.unit_id,
        owner=attachment.owner,
        owner_id=attachment.owner_id,
        stage=attachment.stage,
        filename=attachment.filename,
        media_type=attachment.media_type,
        size=attachment.size,
        sha256=attachment.sha256,
        covert=attachment.covert,
        uploaded_at=attachment.uploaded_at,
        uploaded_by=display_name or attachment.uploaded_by,
        removed_at=attachment.removed_at,
        has_thumbnail=bool(has_thumbnail),
    )


def attachments_of(
    session: Session,
    account: AccountLike,
    owner: str,
    owner_id: int,
    *,
    stage: str | None = None,
    include_removed: bool = False,
) -> list[AttachmentRow]:
    """The files attached to a record that the account may see (metadata only), oldest first.

    AttachmentRefused when the account may not read the record's files at all."""
    target = owner_record(session, owner, owner_id)
    if not may_read(account, target.unit_id, target.covert):
        raise AttachmentRefused(f"您无权查看这条{OWNER_NAMES[owner]}记录的附件")
    query = _rows_query().where(Attachment.owner == owner, Attachment.owner_id == owner_id)
    if stage is not None:
        query = query.where(Attachment.stage == stage)
    if not include_removed:
        query = query.where(Attachment.removed_at.is_(None))
    if account.role not in COVERT_READERS:
        query = query.where(Attachment.covert.is_(False))
    if account.role == UNIT:
        query = query.where(Attachment.unit_id == account.unit_id)
    query = query.order_by(Attachment.uploaded_at, Attachment.id)
    return [_row(a, name, thumb) for a, name, thumb in session.execute(query)]


def attachment_counts(
    session: Session, account: AccountLike, owner: str, owner_ids: list[int]
) -> dict[int, int]:
    """How many (unremoved, visible to the account) files each of the records has."""
    if not owner_ids:
        return {}
    query = (
        select(Attachment.owner_id, func.count())
        .where(
            Attachment.owner == owner,
            Attachment.owner_id.in_(owner_ids),
            Attachment.removed_at.is_(None),
        )
        .group_by(Attachment.owner_id)
    )
    if account.role not in COVERT_READERS:
        query = query.where(Attachment.covert.is_(False))
    if account.role == UNIT:
        query = query.where(Attachment.unit_id == account.unit_id)
    return {owner_id: n for owner_id, n in session.execute(query)}


def attachment_row(session: Session, account: AccountLike, attachment_id: int) -> AttachmentRow:
    """One attachment's metadata, if the account may see it (AttachmentRefused/NotFound)."""
    found = session.execute(_rows_query().where(Attachment.id == attachment_id)).one_or_none()
    if found is None:
        raise AttachmentNotFound(f"找不到附件（编号 {attachment_id}）")
    row = _row(*found)
    # An inspection made covert after the file was attached hides it too.
    covert = row.covert or (
        row.owner == "inspection" and owner_record(session, row.owner, row.owner_id).covert
    )
    if not may_read(account, row.unit_id, covert):
        raise AttachmentRefused(f"您无权查看附件（编号 {attachment_id}）")
    return row


def read_attachment(
    session: Session, account: AccountLike, attachment_id: int, thumbnail: bool = False
) -> tuple[AttachmentRow, bytes]:
    """An attachment's metadata and bytes (its thumbnail's, if asked and it has one).

    A download (not a thumbnail) is recorded in the history, so `session` must be a write
    session (db.write(actor)). A removed file is still readable by those who may see it
    (the bytes are kept); AttachmentRefused/NotFound otherwise."""
    row = attachment_row(session, account, attachment_id)
    column = AttachmentBlob.thumbnail if thumbnail else AttachmentBlob.data
    content = session.scalar(
        select(column)
        .join(Attachment, Attachment.blob_id == AttachmentBlob.id)
        .where(Attachment.id == attachment_id)
    )
    if content is None:
        raise AttachmentNotFound(f"附件「{row.filename}」没有缩略图")
    if not thumbnail:
        record_download(session, row)
    return row, bytes(content)


def record_download(session: Session, row: AttachmentRow) -> None:
    """A history row: the signed-in account downloaded this file (who, when, which — no bytes)."""
    record(
        session,
        "download",
        "attachment",
        [(row.id, None, {"filename": row.filename, "sha256": row.sha256, "size": row.size})],
    )


def remove_attachment(session: Session, account: AccountLike, attachment_id: int) -> AttachmentRow:
    """Remove a file from its record (removed_at set — the bytes stay, the history says who)."""
    attachment = session.get(Attachment, attachment_id)
    if attachment is None:
        raise AttachmentNotFound(f"找不到附件（编号 {attachment_id}）")
    target = owner_record(session, attachment.owner, attachment.owner_id)
    if not may_read(account, attachment.unit_id, attachment.covert):
        raise AttachmentRefused(f"您无权查看附件（编号 {attachment_id}）")
    if not may_write(account, target):
        raise AttachmentRefused(f"您无权移除附件「{attachment.filename}」")
    if attachment.removed_at is None:
        attachment.removed_at = dt.datetime.now().replace(microsecond=0)
        session.flush()
    return attachment_row(session, account, attachment_id)
