"""Structure-aware chunking: section paths, sentence boundaries, figures kept whole."""

import re

from assistant.ingest.chunk import chunk_document, heading_level
from assistant.text.clean import clean
from assistant.ingest.load import load_file

from .conftest import CORPUS, SEEDS


def chunks_of(text, size=320):
    return chunk_document(clean(text), text, "t.txt", "t", size=size, min_size=20)


def test_heading_levels():
    assert heading_level("一、基本情况") == 1
    assert heading_level("二、2023年工作回顾") == 1
    assert heading_level("(一)加强党建") == 2
    assert heading_level("第三条 学校应当") == 2
    assert heading_level("1.抓实思想政治建设。") == 3
    assert heading_level("关键词一 全面加强党的领导") == 1
    assert heading_level("3.5%的增长") == 0


def test_section_paths_follow_headings():
    text = ("2024年工作要点\n一、坚定不移推进党建引领行动\n1.抓实思想政治建设。深入开展理论学习。\n"
            "2.夯实基层党建基础。持续开展提升年活动。\n二、坚定不移推进教育教学提质行动\n"
            "3.义务教育优质均衡发展。深入推进教联体建设。")
    chunks = chunks_of(text)
    paths = [c.section for c in chunks]
    assert ["一、坚定不移推进党建引领行动", "1.抓实思想政治建设"] in paths
    assert ["二、坚定不移推进教育教学提质行动", "3.义务教育优质均衡发展"] in paths
    # A bare heading opens its section's first chunk.
    first = next(c for c in chunks if c.section[-1] == "1.抓实思想政治建设")
    assert first.text.startswith("一、坚定不移推进党建引领行动")


def test_real_documents_get_their_structure():
    doc = load_file(CORPUS / SEEDS["zhongfang"])
    chunks = chunk_document(clean(doc.text), doc.text, doc.filename, "z")
    assert any(c.section[:1] == ["三、2024年工作計劃"] for c in chunks)
    assert any(c.section and c.section[-1].startswith("7.堅持筑牢校園安全") for c in chunks)
    z = load_file(CORPUS / SEEDS["zhuzhou"])
    zc = chunk_document(clean(z.text), z.text, z.filename, "z")
    assert {c.section[0] for c in zc} >= {"关键词一全面加强党的领导", "关键词七教育治理成效明显"}


def test_chunks_end_on_sentence_boundaries_and_respect_size():
    doc = load_file(CORPUS / SEEDS["zhongfang"])
    chunks = chunk_document(clean(doc.text), doc.text, doc.filename, "z", size=200, min_size=40)
    for c in chunks:
        assert len(c.search_text) <= 200 * 2
        assert re.search(r"[。!?;”)]$|[^\n]$", c.search_text)
    ends = sum(1 for c in chunks if c.search_text[-1] in "。!?;”")
    assert ends / len(chunks) > 0.8


def test_figures_never_split():
    sentence = "全市学前教育毛入园率达到96.7%" + "、义务教育巩固率持续提高" * 12 + "，教师机比达到1.2:1，占比3.5%，比例为1:1，投入1.7288亿元。"
    text = "一、基本情况\n" + sentence * 3
    for size in (40, 57, 63, 80, 101):
        chunks = chunks_of(text, size=size)
        for a, b in zip(chunks, chunks[1:]):
            boundary = a.search_text[-1:] + b.search_text[:1]
            assert not re.fullmatch(r"[\d.%:]{2}", boundary) or not (boundary[0].isdigit() and boundary[1] in ".%:"), boundary
        joined = "".join(c.search_text for c in chunks)
        for figure in ("96.7%", "1.2:1", "3.5%", "1:1", "1.7288亿"):
            assert figure in joined
            assert any(figure in c.search_text for c in chunks)


def test_a_dateline_opening_the_document_is_kept():
    chunks = chunks_of("（2024年1月29日在杭州市第十四届人民代表大会第四次会议上）\n杭州市人民政府市长  姚高员\n各位代表：\n"
                       "现在，我代表市人民政府向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。")
    assert any("2024年1月29日" in c.text for c in chunks)
    assert not any("教育工作要点" in c.text for c in chunks_of("2024年教育工作要点\n一、总体要求\n坚持立德树人。"))


def test_part_headings_above_restarted_numbering_head_their_sections():
    text = ("各位代表：\n2023年工作回顾\n一年来各项工作取得新进展，全市上下团结奋斗。\n一、经济稳中有进\n全年新增学位2万个，新建学校10所。\n"
            "2024年重点工作\n一、推进教育优质均衡\n全年新增学位3万个，新建学校12所。")
    paths = [c.section for c in chunks_of(text, size=40)]
    assert ["2023年工作回顾", "一、经济稳中有进"] in paths
    assert ["2024年重点工作", "一、推进教育优质均衡"] in paths
    # A byline before the only 一、 is no part heading.
    byline = [c.section for c in chunks_of("国务院总理\n各位代表：\n一、2021年工作回顾\n全年新增学位2万个，新建学校10所。")]
    assert all(p[:1] != ["国务院总理"] or len(p) == 1 for p in byline)
