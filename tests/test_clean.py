"""Cleaning on the real artifacts of the seed files, and spans that map back exactly."""

import pytest

from assistant.ingest.chunk import chunk_document
from assistant.text.clean import clean
from assistant.text.normalize import normalize_for_match
from assistant.ingest.load import load_file

from .conftest import CORPUS, SEEDS


def seed(name):
    return load_file(CORPUS / SEEDS[name])


def test_glued_pinyin_removed_and_simplified():
    doc = seed("zhongfang")
    c = clean(doc.text)
    assert "(jí)" in doc.text  # the original keeps its damage for quotation
    assert "中方县教育局2023年工作总结及2024年工作计划" not in doc.text
    assert "在编教师2243人" in c.text
    assert "(" + "jí" + ")" not in c.text and "tǒng" not in c.text


def test_words_broken_by_spaces_are_joined_not_paragraphs():
    doc = seed("huangshi")
    c = clean(doc.text)
    assert "习近平新时 代" in doc.text
    assert "习近平新时代中国特色社会主义思想" in c.text
    assert "增加学位1万个" in c.text
    # Real paragraph breaks survive: each numbered goal still starts its own line.
    assert "\n1.推进高考质量提升" in c.text and "\n一、坚定不移推进教育党建引领行动" in c.text


def test_lines_wrapped_mid_word_are_joined():
    c = clean(seed("jingzhou").text)
    assert "定期研究解决我市教育改革发展重点问题" in c.text
    assert "松滋市城东高级中学、公安县第二中学" in c.text


def test_page_furniture_dropped_and_byline_kept_as_metadata():
    z = clean(seed("zhuzhou").text)
    assert "上一篇" not in z.text and "下一篇" not in z.text
    assert any("孙晓静" in b for b in z.byline)
    f = clean(seed("zhongfang").text)
    assert "扫一扫" not in f.text
    x = clean(seed("xinzhou").text)
    assert any("周" in b and "帆" in b for b in x.byline) and "责任编辑" not in x.text and "span" not in x.text


def test_page_numbers_and_tags_dropped():
    c = clean("第一段内容，继续说明工作。\n— 1 —\n第二段<span>内容</span>。\n第 2 页\n")
    assert c.text == "第一段内容,继续说明工作。\n第二段内容。"


def test_mojibake_runs_do_not_break_anything():
    doc = seed("xinzhou")
    c = clean(doc.text)
    assert "清廉机关" in c.text
    chunks = chunk_document(c, doc.text, doc.filename, "x")
    assert chunks and all(doc.text[ch.start:ch.end] == ch.text for ch in chunks)


@pytest.mark.parametrize("name", list(SEEDS))
def test_offsets_map_every_chunk_to_its_exact_original_span(name):
    doc = seed(name)
    c = clean(doc.text)
    assert len(c.offsets) == len(c.text)
    chunks = chunk_document(c, doc.text, doc.filename, "k")
    assert chunks
    for ch in chunks:
        assert doc.text[ch.start:ch.end] == ch.text
        orig = normalize_for_match(ch.text)
        search = normalize_for_match(ch.search_text)
        assert orig.startswith(search[:6]) and orig.endswith(search[-6:]), ch.chunk_id


def test_offsets_are_monotonic():
    c = clean(seed("zhongfang").text)
    assert all(a <= b for a, b in zip(c.offsets, c.offsets[1:]))


def test_normalize_for_match():
    assert normalize_for_match("學生總數 36308 人，系統(tǒng)") == "学生总数36308人,系统"
