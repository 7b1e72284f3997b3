"""Loaders per format and encoding, and clear refusals."""

import zipfile

import pytest

from assistant.ingest.load import LoadError, decode_bytes, list_documents, load_file

TEXT = "中方縣教育局2023年工作總結\n一、基本情況\n全縣共有各級各類學校82所，在編教師2243人。"
SIMPLE = "株洲市2023年教育工作总结\n一、基本情况\n全市新增公办学位1.5万余个，普惠性幼儿园在园幼儿占比达91.57%。"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk"])
def test_simplified_text_encodings(tmp_path, encoding):
    p = tmp_path / "doc.txt"
    p.write_bytes(SIMPLE.encode(encoding))
    doc = load_file(p)
    assert doc.text == SIMPLE
    assert len(doc.sha256) == 64


def test_big5_traditional(tmp_path):
    p = tmp_path / "big5.txt"
    p.write_bytes(TEXT.encode("big5"))
    doc = load_file(p)
    assert doc.text == TEXT and doc.encoding == "big5"


def test_gbk_traditional_is_not_mistaken_for_big5():
    data = TEXT.encode("gb18030")
    text, enc = decode_bytes(data)
    assert text == TEXT and enc == "gb18030"


def test_markdown_and_html(tmp_path):
    md = tmp_path / "a.md"
    md.write_text("# 一、总体要求\n坚持立德树人。", encoding="utf-8")
    assert "坚持立德树人" in load_file(md).text
    html = tmp_path / "a.html"
    html.write_text("<html><head><title>x</title><style>p{}</style></head><body><h1>一、总体要求</h1>"
                    "<p>坚持<b>立德树人</b>。</p><script>var a=1;</script></body></html>", encoding="gbk")
    text = load_file(html).text
    assert "一、总体要求" in text and "立德树人" in text and "var a" not in text
    assert text.index("一、总体要求") < text.index("立德树人")


def test_docx(tmp_path):
    import docx

    d = docx.Document()
    d.add_heading("2024年校园安全工作计划", 0)
    d.add_paragraph("一、总体要求")
    d.add_paragraph("1.抓实安全教育。开展防溺水专题教育。")
    table = d.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "新增学位"
    table.rows[0].cells[1].text = "1万个"
    p = tmp_path / "plan.docx"
    d.save(p)
    text = load_file(p).text
    assert "1.抓实安全教育。" in text and "新增学位\t1万个" in text


def _minimal_pdf(text: str) -> bytes:
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objs = [b"<< /Type /Catalog /Pages 2 0 R >>", b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
            b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    out, offsets = b"%PDF-1.4\n", []
    for i, body in enumerate(objs, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objs) + 1)
    out += b"".join(b"%010d 00000 n \n" % o for o in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objs) + 1, xref)
    return out


def test_pdf(tmp_path):
    p = tmp_path / "report.pdf"
    p.write_bytes(_minimal_pdf("Education work plan 2024"))
    assert "Education work plan 2024" in load_file(p).text


@pytest.mark.parametrize("name,data,needle", [
    ("broken.docx", b"PK\x03\x04 not really a zip", "损坏"),
    ("broken.pdf", b"%PDF-1.4 garbage", "损坏"),
    ("empty.txt", b"   \n", "没有可读取的文字"),
    ("image.png", b"\x89PNG\r\n", "不支持的文件类型"),
])
def test_refusals_are_clear_chinese_messages(tmp_path, name, data, needle):
    p = tmp_path / name
    p.write_bytes(data)
    with pytest.raises(LoadError) as err:
        load_file(p)
    assert needle in err.value.message


def test_docx_that_is_a_zip_of_something_else(tmp_path):
    p = tmp_path / "fake.docx"
    with zipfile.ZipFile(p, "w") as z:
        z.writestr("hello.txt", "hi")
    with pytest.raises(LoadError):
        load_file(p)


def test_size_limit(tmp_path):
    p = tmp_path / "big.txt"
    p.write_bytes("教".encode() * 400_000)
    with pytest.raises(LoadError) as err:
        load_file(p, max_mb=1)
    assert "上限" in err.value.message


def test_listing_skips_sidecars_and_hidden(tmp_path):
    for name in ["a.txt", "a.txt.meta.json", ".hidden.txt", "b.pdf", "c.exe"]:
        (tmp_path / name).write_text("x")
    assert [p.name for p in list_documents(tmp_path)] == ["a.txt", "b.pdf"]
