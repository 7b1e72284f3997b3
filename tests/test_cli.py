"""The `assistant` command as staff run it."""

import json
import os
import subprocess
import sys

import pytest

from .conftest import SEEDS, copy_corpus

pytestmark = pytest.mark.slow


def run(args, env_extra, input_text=None):
    env = {**os.environ, **env_extra}
    return subprocess.run([sys.executable, "-m", "assistant.cli", *args], env=env, capture_output=True, text=True,
                          input=input_text, timeout=300)


@pytest.fixture
def env(tmp_path):
    corpus = copy_corpus(tmp_path / "corpus")
    return {"ASSISTANT_CORPUS_DIR": str(corpus), "ASSISTANT_INDEX_DIR": str(tmp_path / "index")}


def test_index_search_and_eval(env, tmp_path):
    r = run(["index"], env)
    assert r.returncode == 0, r.stderr
    assert "索引完成" in r.stderr
    assert "索引已是最新" in run(["index"], env).stderr

    r = run(["search", "中方县2023年在编教师多少人？", "--json", "--k", "3"], env)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    top = out["hits"][0]
    assert top["doc"] == SEEDS["zhongfang"] and "2243" in top["text"] and top["section"] == "一、基本情況"
    assert {"doc", "title", "region", "section", "score", "text", "start", "end"} <= set(top)

    r = run(["search", "教师队伍", "--region", "株洲"], env)
    assert r.returncode == 0 and "株洲" in r.stdout and "[1]" in r.stdout

    r = run(["search", "中方县在编教师多少人"], env)
    assert "各級各類學校82所" in r.stdout  # Traditional kept, glued pinyin hidden in the terminal view
    r = run(["search", "北京市有多少所小学"], env)
    assert "没有关于北京市的文档" in r.stdout

    qs = tmp_path / "q.jsonl"
    qs.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in [
        {"id": "a", "question": "株洲资助了多少人次困难学生", "answers": ["18.21万"], "doc": SEEDS["zhuzhou"], "type": "figure"},
        {"id": "b", "question": "北京市有多少所小学", "answers": [], "doc": [], "type": "unanswerable"},
    ]), encoding="utf-8")
    out = tmp_path / "res.json"
    r = run(["eval", str(qs), "--out", str(out), "--retrieval-only"], env)
    assert r.returncode == 0, r.stderr
    res = json.loads(out.read_text(encoding="utf-8"))
    assert res["summary"]["hit@5"] == 1.0 and res["summary"]["unanswerable"] == 1
    assert {"hit@1", "hit@5", "mrr@10", "latency_p50_ms", "latency_p95_ms"} <= set(res["summary"])
    first = res["results"][0]
    assert {"id", "question", "retrieved", "latency_ms"} <= set(first)
    assert {"doc", "section", "text", "score"} <= set(first["retrieved"][0])


def test_interactive_search_and_bad_questions(env):
    assert run(["index"], env).returncode == 0
    r = run(["search"], env, input_text="株洲新增公办学位多少\n\n")
    assert r.returncode == 0 and "1.5万" in r.stdout
    r = run(["search", ""], env)
    assert r.returncode == 2 and "不能为空" in r.stderr
    # 100,000 characters do not fit on a command line; typed (pasted) into the prompt they get a clear message.
    r = run(["search"], env, input_text="教" * 100_000 + "\n株洲新增公办学位多少\n")
    assert r.returncode == 0 and "太长" in r.stderr and "1.5万" in r.stdout


def test_missing_index_and_bad_question_file(tmp_path):
    env = {"ASSISTANT_INDEX_DIR": str(tmp_path / "none"), "ASSISTANT_CORPUS_DIR": str(tmp_path)}
    r = run(["search", "问题"], env)
    assert r.returncode == 1 and "assistant index" in r.stderr
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{oops\n", encoding="utf-8")
    r = run(["eval", str(bad), "--out", str(tmp_path / "o.json")], env)
    assert r.returncode == 2 and "格式错误" in r.stderr


def test_ask_json_and_conversation(env, tmp_path):
    r = run(["ask", "中方县2023年在编教师多少人？", "--json"], env)
    assert r.returncode == 0, r.stderr
    out = json.loads(r.stdout)
    assert {"answer", "refused", "citations", "retrieved", "latency_ms"} <= set(out)
    assert "2243" in out["answer"] and not out["refused"]
    c = out["citations"][0]
    assert {"n", "doc", "section", "quote", "start", "end"} <= set(c)
    original = (tmp_path / "corpus" / c["doc"]).read_text(encoding="utf-8")
    assert original[c["start"] : c["end"]] == c["quote"]

    r = run(["ask"], env, input_text="中方县有几所幼儿园？\n株洲呢？\n\n")
    assert r.returncode == 0, r.stderr
    assert "来源：" in r.stdout and "理解为：株洲" in r.stdout

    r = run(["ask", "长沙市有多少所学校？"], env)
    assert r.returncode == 0 and "资料中没有找到" in r.stdout
    r = run(["ask", " "], env)
    assert r.returncode == 2 and "不能为空" in r.stderr


def test_eval_with_answers_and_report(env, tmp_path):
    qs = tmp_path / "q.jsonl"
    qs.write_text('{"id": "a", "question": "中方县2023年在编教师多少人？", "answers": ["2243"], "doc": "%s"}\n'
                  '{"id": "b", "question": "中方县教师平均工资是多少元？", "answers": []}\n' % SEEDS["zhongfang"],
                  encoding="utf-8")
    r = run(["eval", str(qs), "--out", str(tmp_path / "r.json"), "--report", str(tmp_path / "rep")], env)
    assert r.returncode == 0, r.stderr
    assert "准确率 1.000" in r.stdout and "拒答率 1.000" in r.stdout
    assert (tmp_path / "rep" / "report.html").exists() and (tmp_path / "rep" / "latency.png").exists()


def test_calibrate_refuses_a_test_split_and_prints_settings(env, tmp_path):
    from .conftest import ROOT

    r = run(["calibrate", str(ROOT / "eval" / "staff_bundled_test.jsonl")], env)
    assert r.returncode == 2 and "拒绝在测试集上校准" in r.stderr
    dev = tmp_path / "dev.jsonl"
    dev.write_text("\n".join((ROOT / "eval" / "staff_bundled_dev.jsonl").read_text(encoding="utf-8").splitlines()[:12]),
                   encoding="utf-8")
    r = run(["calibrate", str(dev)], env)
    assert r.returncode == 0, r.stderr
    assert "交叉验证" in r.stdout and "reader_threshold = " in r.stdout
