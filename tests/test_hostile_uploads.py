"""Hostile and broken uploads are refused with a reason, and nothing already in the corpus is lost."""

import errno
import os
import shutil
import zipfile

import pytest

from assistant.ingest.library import LibraryError, add_file
from assistant.settings import Settings

from .conftest import copy_corpus


@pytest.fixture()
def library(tmp_path):
    corpus = copy_corpus(tmp_path / "corpus")
    settings = Settings(corpus_dir=corpus, index_dir=tmp_path / "index")
    before = {p.name: p.read_bytes() for p in corpus.iterdir()}
    yield settings, tmp_path
    assert {p.name: p.read_bytes() for p in corpus.iterdir()} == before  # nothing lost, nothing half-written


@pytest.mark.parametrize("suffix", [".txt", ".docx", ".pdf"])
def test_random_bytes_are_refused_whatever_their_name(library, suffix):
    settings, tmp = library
    junk = tmp / f"junk{suffix}"
    junk.write_bytes(os.urandom(64 * 1024))
    with pytest.raises(LibraryError, match="不是可读的文本|已损坏|无法解析"):
        add_file(settings, junk)


def test_a_zip_bomb_docx_is_refused_before_it_is_unpacked(library):
    settings, tmp = library
    bomb = tmp / "bomb.docx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z, z.open("word/document.xml", "w") as member:
        block = b"\0" * 2**20
        for _ in range(300):  # 300 MB of zeros, a few hundred KB on disk
            member.write(block)
    assert bomb.stat().st_size < 2 * 2**20
    with pytest.raises(LibraryError, match="压缩炸弹"):
        add_file(settings, bomb)


def test_a_ten_thousand_page_pdf_is_refused(library):
    from pypdf import PdfWriter

    settings, tmp = library
    writer = PdfWriter()
    for _ in range(10_000):
        writer.add_blank_page(width=200, height=200)
    big = tmp / "pages.pdf"
    with big.open("wb") as fh:
        writer.write(fh)
    with pytest.raises(LibraryError, match="10000 页"):
        add_file(settings, big)


@pytest.mark.parametrize("name", ["../evil.txt", "..\\evil.txt", "a\x00b.txt", ".hidden.txt", "a\nb.txt", "x" * 200 + ".txt"])
def test_names_with_paths_or_control_characters_are_refused_not_rewritten(library, name):
    settings, tmp = library
    src = tmp / "ok.txt"
    src.write_text("某县2024年工作要点\n全县新建操场3个。\n", encoding="utf-8")
    with pytest.raises(LibraryError, match="文件名不合适"):
        add_file(settings, src, name)


def test_a_disk_full_during_the_copy_leaves_the_corpus_as_it_was(library, monkeypatch):
    settings, tmp = library
    src = tmp / "new.txt"
    src.write_text("某县2024年工作要点\n全县新建操场3个。\n", encoding="utf-8")
    real_copy = shutil.copyfile

    def copy_until_full(a, b, *args, **kwargs):
        if str(b).endswith(".uploading"):  # the copy into the corpus: half of it written, then the disk is full
            with open(b, "wb") as fh:
                fh.write(b"half")
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_copy(a, b, *args, **kwargs)

    monkeypatch.setattr(shutil, "copyfile", copy_until_full)
    with pytest.raises(LibraryError, match="保存失败.*文档库未改动"):
        add_file(settings, src)


def test_metadata_fields_are_bounded(library):
    from assistant.ingest.library import set_meta

    settings, _ = library
    name = sorted(p.name for p in settings.corpus_path.iterdir() if p.suffix == ".txt")[0]
    with pytest.raises(LibraryError, match="体裁不能超过"):
        set_meta(settings, name, "", "", "", "x" * 1000)
    with pytest.raises(LibraryError, match="控制字符"):
        set_meta(settings, name, "标题\x00", "", "", "")


@pytest.mark.parametrize("hidden", ["\u200b", "\ufeff", "\u00ad", "\u061c", "\u3000", "\u00a0", "\u2060",
                                    "\u3164", "\u115f", "\ufe0f", "\u2800", "\u17b4", "\ue000"])
def test_names_with_invisible_or_format_characters_are_refused(library, hidden):
    settings, tmp = library
    src = tmp / "ok.txt"
    src.write_text("某县2024年工作要点\n全县新建操场3个。\n", encoding="utf-8")
    with pytest.raises(LibraryError, match=f"看不见的字符（U\\+{ord(hidden):04X}）"):
        add_file(settings, src, f"中方县{hidden}工作总结.txt")


def test_a_name_that_reads_like_a_library_documents_is_refused(library):
    settings, tmp = library
    existing = next(p.name for p in sorted(settings.corpus_path.iterdir()) if "c" in p.name)
    src = tmp / "ok.txt"
    src.write_text("某县2024年工作要点\n全县在编教师9999人。\n", encoding="utf-8")
    # case; a full-width digit; a Cyrillic с for the Latin c
    for lookalike in (existing.upper(), existing.replace("0", "０", 1), existing.replace("c", "\u0441", 1)):
        with pytest.raises(LibraryError, match="看起来是同一个名字"):
            add_file(settings, src, lookalike)


def test_a_name_is_kept_in_nfc(library):
    import unicodedata

    settings, tmp = library
    src = tmp / "ok.txt"
    src.write_text("某县2024年工作要点\n全县新建操场3个。\n", encoding="utf-8")
    name = add_file(settings, src, unicodedata.normalize("NFD", "café计划.txt"))
    assert name == unicodedata.normalize("NFC", "café计划.txt") and (settings.corpus_path / name).exists()
    (settings.corpus_path / name).unlink()  # the fixture checks the corpus is as it was


def test_a_text_too_short_to_index_is_refused(library):
    settings, tmp = library
    short = tmp / "短文本.txt"
    short.write_text("短文本测试 探针", encoding="utf-8")
    with pytest.raises(LibraryError, match="没有可读的正文"):
        add_file(settings, short)


def test_a_docx_with_no_readable_text_is_refused(library):
    import docx

    settings, tmp = library
    empty = tmp / "空白.docx"
    document = docx.Document()
    document.add_paragraph("……")  # what is left of a scanned page: punctuation, no words
    document.add_paragraph("________　________")  # a form's blank lines
    document.save(str(empty))
    with pytest.raises(LibraryError, match="没有可读的正文"):
        add_file(settings, empty)
