"""Read .txt .md .html .docx .pdf files into RawDocument, detecting Chinese encodings."""

from __future__ import annotations

import hashlib
import io
import logging
import re
from pathlib import Path

from .schema import RawDocument

log = logging.getLogger(__name__)

SUPPORTED = (".txt", ".md", ".markdown", ".html", ".htm", ".docx", ".pdf")
SIDE_SUFFIX = ".meta.json"  # metadata sidecars are not documents


class LoadError(Exception):
    """A file that cannot become a document; the message is for staff, in Chinese."""

    def __init__(self, path: str | Path, message: str):
        self.path = str(path)
        self.message = message
        super().__init__(f"{Path(path).name}: {message}")


def is_document(path: Path) -> bool:
    return path.is_file() and path.suffix.lower() in SUPPORTED and not path.name.endswith(SIDE_SUFFIX) and not path.name.startswith(".")


def list_documents(folder: Path) -> list[Path]:
    return sorted(p for p in folder.rglob("*") if is_document(p))


def _plausibility(text: str) -> float:
    """Share of characters inside known multi-character words: wrong decodings yield rare-character soup."""
    import jieba
    from ..text.normalize import to_simplified

    sample = to_simplified(text[:3000])
    cjk = sum(1 for c in sample if "\u4e00" <= c <= "\u9fff")
    if not cjk:
        return 0.0
    freq = jieba.dt.FREQ if jieba.dt.initialized else (jieba.dt.initialize() or jieba.dt.FREQ)
    covered = sum(len(w) for w in jieba.lcut(sample, HMM=False) if len(w) > 1 and freq.get(w))
    return covered / cjk


def readable(text: str) -> bool:
    """Whether decoded bytes are text: few replacement or control characters; Chinese that makes words (random
    bytes decode as GB18030 or UTF-16 into rare-character soup); otherwise mostly plain ASCII."""
    sample = text[:20000]
    if not sample.strip():
        return True  # empty: refused later as having no text
    bad = sum(1 for c in sample if c == "\ufffd" or (ord(c) < 32 and c not in "\n\r\t\f"))
    if bad > 0.02 * len(sample):
        return False
    cjk = sum(1 for c in sample if "\u4e00" <= c <= "\u9fff")
    if cjk >= 0.1 * len(sample.strip()):
        return _plausibility(sample) >= MIN_PLAUSIBILITY
    return sum(1 for c in sample if c.isascii() or "\u3000" <= c <= "\u303f" or "\uff00" <= c <= "\uffef") \
        >= 0.9 * len(sample)


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Decode UTF-8 (with or without BOM), GB18030/GBK or Big5; returns (text, encoding)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", errors="replace"), "utf-8-sig"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16"), "utf-16"
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    candidates = []
    for enc in ("gb18030", "big5"):
        try:
            candidates.append((data.decode(enc), enc))
        except UnicodeDecodeError:
            continue
    if not candidates:
        # Mostly UTF-8 with a few broken bytes is still the best reading.
        return data.decode("utf-8", errors="replace"), "utf-8 (damaged)"
    if len(candidates) == 1:
        return candidates[0]
    return max(candidates, key=lambda c: _plausibility(c[0]))


def _read_html(data: bytes) -> str:
    from bs4 import BeautifulSoup

    text, _ = decode_bytes(data)
    soup = BeautifulSoup(text, "html.parser")
    for tag in soup(["script", "style", "noscript", "head"]):
        tag.decompose()
    # Block elements become line breaks so headings stay on their own lines.
    lines = [ln.strip() for ln in soup.get_text("\n").splitlines()]
    return "\n".join(ln for ln in lines if ln)


# A .docx is a zip: what it unpacks to is bounded before any of it is parsed (a zip bomb is a few KB that
# inflate to gigabytes). Real documents compress their XML about 10:1.
MAX_UNZIPPED_MB = 200
MAX_RATIO = 200
MAX_PDF_PAGES = 3000  # a 10,000-page PDF would keep both cores busy for minutes
MIN_PLAUSIBILITY = 0.25  # below this, bytes decoded as GBK or Big5 are not Chinese text (dev: real files ≥ 0.5)


def _check_zip(data: bytes) -> None:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as z:
        members = z.infolist()
    total = sum(m.file_size for m in members)
    if len(members) > 2000:
        raise LoadError("", f"Word 文件内含 {len(members)} 个部件，远超正常文档，疑似压缩炸弹，已拒收")
    if total > MAX_UNZIPPED_MB * 2**20 or any(
            m.file_size > 2**20 and m.file_size > MAX_RATIO * max(m.compress_size, 1) for m in members):
        raise LoadError("", f"Word 文件解压后过大（{total / 2**20:.0f} MB），疑似压缩炸弹，已拒收")


def _read_docx(data: bytes) -> str:
    import docx

    _check_zip(data)
    document = docx.Document(io.BytesIO(data))
    parts: list[str] = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            cells = []
            for cell in row.cells:
                if cell.text not in cells:  # merged cells repeat their text
                    cells.append(cell.text)
            parts.append("\t".join(cells))
    return "\n".join(parts)


def _read_pdf(data: bytes) -> str:
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    if reader.is_encrypted:
        raise ValueError("encrypted")
    if len(reader.pages) > MAX_PDF_PAGES:
        raise LoadError("", f"PDF 有 {len(reader.pages)} 页，超过 {MAX_PDF_PAGES} 页上限，请拆分后上传")
    return "\n".join((page.extract_text() or "") for page in reader.pages)


def load_file(path: str | Path, max_mb: float = 20.0) -> RawDocument:
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in SUPPORTED:
        raise LoadError(path, f"不支持的文件类型“{suffix or '无扩展名'}”，支持：{' '.join(SUPPORTED)}")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise LoadError(path, f"无法读取文件（{exc.strerror or exc}）") from exc
    if len(data) > max_mb * 1024 * 1024:
        raise LoadError(path, f"文件超过 {max_mb:g} MB 上限")
    sha = hashlib.sha256(data).hexdigest()
    try:
        if suffix in (".txt", ".md", ".markdown"):
            text, encoding = decode_bytes(data)
            if not readable(text):
                raise LoadError(path, "文件不是可读的文本（可能是二进制文件，或编码无法识别）")
        elif suffix in (".html", ".htm"):
            text, encoding = _read_html(data), "html"
            if not readable(text):
                raise LoadError(path, "文件不是可读的网页文本（可能是二进制文件，或编码无法识别）")
        elif suffix == ".docx":
            text, encoding = _read_docx(data), "docx"
        else:
            text, encoding = _read_pdf(data), "pdf"
    except LoadError as exc:
        raise LoadError(path, exc.message) from exc
    except Exception as exc:  # corrupt zip, broken PDF xref, ...
        log.warning("cannot parse %s: %r", path, exc)
        kind = {".docx": "Word", ".pdf": "PDF"}.get(suffix, suffix)
        raise LoadError(path, f"{kind} 文件已损坏或格式不正确，无法解析") from exc
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\x00", "")
    if not re.search(r"\w", text):
        raise LoadError(path, "文件中没有可读取的文字（扫描件或空文件？）")
    return RawDocument(path=str(path), filename=path.name, text=text, encoding=encoding, sha256=sha)
