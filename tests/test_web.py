"""The real web server, driven over HTTP with gradio_client: ask, search, upload, delete, bad input, load."""

import json
import threading

import pytest
from gradio_client import Client, handle_file

from .conftest import SEEDS, Server

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    srv = Server(tmp_path_factory.mktemp("web")).wait()
    yield srv
    srv.stop()


@pytest.fixture(scope="module")
def client(server):
    return Client(server.url, verbose=False)


def ask(client, question, history="", region="", year="", genre=""):
    return client.predict(question, history, region, year, genre, "", api_name="/ask")


def test_named_endpoints_exist(client):
    names = set(client.view_api(return_format="dict", print_info=False)["named_endpoints"])
    assert {"/ask", "/search", "/chat", "/upload", "/delete_document", "/evaluate"} <= names


def test_ask_returns_answer_and_citations(client, server):
    answer, info = ask(client, "中方县2023年在编教师多少人？")
    assert "2243" in answer and "[1]" in answer and not info["refused"]
    c = info["citations"][0]
    original = (server.corpus / c["doc"]).read_text(encoding="utf-8")
    assert original[c["start"] : c["end"]] == c["quote"]


def test_follow_up_through_the_api(client):
    history = json.dumps([["中方县有几所幼儿园？", "47所[1]。"]], ensure_ascii=False)
    _, info = ask(client, "株洲呢？", history)
    assert info["standalone_question"].startswith("株洲")


def test_filters_and_refusal(client):
    answer, info = ask(client, "在编教师多少人？", region="中方县")
    assert "2243" in answer
    answer, info = ask(client, "长沙市2024年新建了多少所学校？")
    assert info["refused"] and "资料中没有找到" in answer


def test_search_endpoint(client):
    hits = client.predict("黄石 增加学位", 3, "", "", "", api_name="/search")
    assert len(hits) == 3 and hits[0]["doc"] == SEEDS["huangshi"]
    assert {"title", "section", "start", "end", "text", "score"} <= set(hits[0])


def test_chat_endpoint_streams_markdown_and_sources(client):
    text, sources = client.predict("黄石支持哪所大学创建国家师范教育基地？", "全部", "全部", "全部", "抽取式（离线）",
                                   api_name="/chat")
    assert "湖北师范大学" in text and "(#src-1)" in text
    assert "id='src-1'" in sources and "<mark>" in sources


@pytest.mark.parametrize("question, message", [("", "不能为空"), ("问" * 100_000, "太长")])
def test_bad_questions_get_a_chinese_message_and_the_server_lives_on(client, question, message):
    with pytest.raises(Exception, match=message):
        ask(client, question)
    answer, _ = ask(client, "荆州共有各级各类学校多少所？")
    assert "1312" in answer


def test_several_people_at_once(client, server):
    questions = ["中方县2023年在编教师多少人？", "荆州共有各级各类学校多少所？", "忻州学前教育毛入园率达到多少？",
                 "黄石支持哪所大学创建国家师范教育基地？"] * 2
    results: dict[int, str] = {}

    def run(i, q):
        results[i] = Client(server.url, verbose=False).predict(q, "", "", "", "", "", api_name="/ask")[0]

    threads = [threading.Thread(target=run, args=(i, q)) for i, q in enumerate(questions)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=180)
    assert len(results) == len(questions)
    for i, gold in enumerate(["2243", "1312", "96.7%", "湖北师范大学"] * 2):
        assert gold in results[i]


def test_upload_ask_delete_and_bad_uploads(client, server, tmp_path):
    gbk = tmp_path / "test_county_2024.txt"
    gbk.write_bytes("测试县2024年教育工作要点\n一、总体目标\n全县新建标准化操场17个，配备心理健康教师58名。\n".encode("gbk"))
    corrupt = tmp_path / "broken.docx"
    corrupt.write_bytes(b"this is not a word file")
    exe = tmp_path / "tool.exe"
    exe.write_bytes(b"MZ\x00\x00")
    status, table, _ = client.predict([handle_file(str(gbk)), handle_file(str(corrupt)), handle_file(str(exe))],
                                      api_name="/upload")
    assert "已加入：test_county_2024.txt" in status
    assert "broken.docx" in status and "不支持的文件类型" in status
    assert "索引完成" in status
    assert not (server.corpus / "broken.docx").exists() and not (server.corpus / "tool.exe").exists()
    names = [row[0] for row in table["data"]]
    assert "test_county_2024.txt" in names and SEEDS["zhongfang"] in names

    answer, info = ask(client, "全县新建标准化操场多少个？")
    assert "17" in answer and info["citations"][0]["doc"] == "test_county_2024.txt"

    status, table, _ = client.predict("test_county_2024.txt", api_name="/delete_document")
    assert "已删除" in status and "索引完成" in status
    assert "test_county_2024.txt" not in [row[0] for row in table["data"]]
    # What was indexed before is still there.
    answer, _ = ask(client, "中方县2023年在编教师多少人？")
    assert "2243" in answer


def test_answering_goes_on_while_reindexing(client, server):
    out = {}

    def reindex():
        out["status"] = Client(server.url, verbose=False).predict(api_name="/reindex")[0]

    t = threading.Thread(target=reindex)
    t.start()
    answers = [ask(client, "荆州共有各级各类学校多少所？")[0] for _ in range(3)]
    t.join(timeout=300)
    assert all("1312" in a for a in answers)
    assert "索引" in out["status"]


def test_evaluation_endpoint(client):
    summary, chart1, chart2, fails, files = client.predict("questions.jsonl", None, "抽取式（离线）",
                                                           api_name="/evaluate")
    assert "答案准确率" in summary
    names = {f.rsplit("/", 1)[-1] for f in files}
    assert {"report.html", "report.md", "results.json"} <= names


def test_draft_tab_and_api(client):
    out = client.predict("参照往年表述，为中方县起草2025年校园安全工作计划要点", "", None, "", api_name="/draft")
    assert out["title"] == "中方县2025年校园安全工作要点" and out["citations"] and out["placeholders"]
    text, sources, info, files = client.predict("起草2025年学生资助工作要点", "中方县", "", "抽取式（离线）",
                                                api_name="/draft_page")
    with pytest.raises(Exception, match="四位数字"):
        client.predict("起草学生资助工作要点", "中方县", "明年", "抽取式（离线）", api_name="/draft_page")
    assert "中方县" in info and "资助" in text and "draft-src-1" in sources
    names = sorted(f.rsplit(".", 1)[-1] for f in files)
    assert names == ["docx", "md"]
    from docx import Document

    docx = next(f for f in files if f.endswith(".docx"))
    assert Document(docx).paragraphs[0].text.startswith("中方县2025年")
