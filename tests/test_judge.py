"""The verifier stage: its records, the pair text, the shipped model's integrity, and the model itself (slow:
the real ONNX model, and a few real training steps through sentence-transformers' trainer)."""

import json
import shutil
from pathlib import Path

import pytest

from assistant.judge.model import ModelFilesDamaged, problem, shipped_folder, verified
from assistant.judge.pairs import context_text
from assistant.judge.records import BadRecords, in_split, read_records, read_split

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "eval" / "training" / "verifier"
TRAIN_CORPUS = ROOT.parent / "shared" / "train-corpus"


def test_context_keeps_the_last_two_headings_and_the_window():
    text = context_text(["一级", "一、2023年工作回顾", "（三）教育\n\n" * 10], "新增学位1.2万个。", title="株洲市报告")
    assert text.startswith("新增学位1.2万个。｜株洲市报告 > 一、2023年工作回顾 > （三）教育")
    assert "一级" not in text and "\n" not in text
    assert context_text([], "只有正文") == "只有正文"


def test_records_are_read_and_bad_lines_named(tmp_path):
    good = {"doc": "a.txt", "sentence": "新增学位1.2万个。",
            "questions": [{"q": "新增多少学位？", "answer": "1.2万个", "type": "figure"},
                          {"q": "列出来", "answers": ["甲", "乙"]}, {"q": "", "answer": "x"}],
            "near_misses": [{"q": "其中初中学位多少？", "kind": "part"}]}
    path = tmp_path / "records-x.jsonl"
    path.write_text(json.dumps(good, ensure_ascii=False) + "\n\n", encoding="utf-8")
    (rec,) = read_records([path])
    assert [a.answers for a in rec.questions] == [("1.2万个",), ("甲", "乙")]  # the empty question is dropped
    assert rec.near_misses[0].kind == "part"
    path.write_text('{"sentence": "缺 doc"}\n', encoding="utf-8")
    with pytest.raises(BadRecords, match="第 1 行"):
        read_records([path])


def test_the_shipped_split_is_by_document_and_the_records_use_train_documents_only():
    split = read_split(DATA / "split.json")
    assert sorted(set(split.values())) == ["dev", "test", "train"]
    assert sum(1 for s in split.values() if s == "test") >= 7 and sum(1 for s in split.values() if s == "dev") >= 7
    records = read_records(sorted(DATA.glob("records-*.jsonl")))
    assert len(in_split(records, split, "train")) == len(records)  # nothing written over dev or test documents
    assert sum(len(r.questions) for r in records) >= 3000
    assert sum(len(r.near_misses) for r in records) >= 1000
    # The held-out question sets ask about their own documents only.
    for name, part in (("verifier_dev.jsonl", "dev"), ("verifier_test.jsonl", "test")):
        for line in (ROOT / "eval" / name).read_text(encoding="utf-8").splitlines():
            row = json.loads(line)
            docs = row["doc"] if isinstance(row["doc"], list) else [row["doc"]] if row["doc"] else []
            assert all(split[d] == part for d in docs), row["id"]


def test_every_record_quotes_its_document_verbatim():
    if not TRAIN_CORPUS.is_dir():
        pytest.skip("../shared/train-corpus is not beside the checkout")
    texts = {}
    for rec in read_records(sorted(DATA.glob("records-*.jsonl"))):
        text = texts.setdefault(rec.doc, (TRAIN_CORPUS / rec.doc).read_text(encoding="utf-8"))
        assert rec.sentence in text
        assert all(a in rec.sentence for q in rec.questions for a in q.answers)


def test_a_damaged_or_incomplete_model_is_refused_in_chinese(tmp_path):
    folder = tmp_path / "verifier"
    assert "尚未训练" in problem(folder)
    shutil.copytree(shipped_folder(), folder)
    assert problem(folder) == ""
    with (folder / "model.onnx").open("r+b") as fh:
        fh.seek(1000)
        flipped = bytes(b ^ 0xFF for b in fh.read(4))  # whatever was there, something else now
        fh.seek(1000)
        fh.write(flipped)
    assert "校验失败" in problem(folder)
    with pytest.raises(ModelFilesDamaged, match="答案核验模型不可用"):
        verified(folder)
    (folder / "model.onnx").unlink()
    assert "缺少 model.onnx" in problem(folder)


def test_the_shipped_model_is_small_and_checksummed():
    files = verified()
    assert files.onnx_path.stat().st_size < 32 * 2**20
    assert set(files.manifest["sha256"]) == {"model.onnx", "tokenizer.json"}
    assert files.manifest["training"]["pairs"] >= 20000


@pytest.mark.slow
def test_the_shipped_model_runs_here_and_tells_an_answer_from_a_near_miss():
    from assistant.judge.runtime import load_verifier, probe_agreement

    files = verified()
    assert probe_agreement(files) < 0.05  # int8 here against the float32 model at export
    v = load_verifier()
    answer = context_text(["一、2023年工作回顾"], "新改扩建中小学幼儿园12所，新增学位1.2万个。", "某市2024年政府工作报告")
    other = context_text(["一、2023年工作回顾"], "持续推进“双减”工作，加强校外培训机构监管。", "某市2024年政府工作报告")
    p_answer, p_other = v.probabilities("去年新增了多少学位？", [answer, other])
    (p_part,) = v.probabilities("去年新增的学位里初中学位有多少？", [answer])
    # Ranking, not a fixed level: the gate's level is calibrated on dev (settings.verifier_gate).
    assert p_answer > 2 * p_other and p_answer > 2 * p_part
    again = v.probabilities("去年新增了多少学位？", [other, answer])
    assert list(again) == [p_other, p_answer]  # the same pair, the same probability, in any order


@pytest.mark.slow
def test_training_and_export_run_end_to_end(tmp_path):
    """A smoke run of the real path: a few pairs through CrossEncoderTrainer, then the int8 export, loaded and run."""
    from assistant.judge.export import export
    from assistant.judge.pairs import Pair
    from assistant.judge.runtime import Verifier, probe_agreement
    from assistant.judge.train import TrainConfig, train
    from assistant.settings import bundled_m3e_path

    pairs = [Pair("新增多少学位？", "回顾｜新增学位1.2万个。", 1.0), Pair("新增多少学位？", "回顾｜加强监管。", 0.0)] * 8
    figures = train(pairs, bundled_m3e_path(), tmp_path, TrainConfig(epochs=1, batch_size=8, max_length=32))
    assert figures["pairs"] == 16 and (tmp_path / "model" / "tokenizer.json").is_file()
    files = export(tmp_path / "model", tmp_path / "export", 32, figures)
    assert problem(files.folder) == ""
    assert probe_agreement(files) < 0.05
    assert 0.0 <= Verifier(files, threads=1).probabilities("问", ["答"])[0] <= 1.0


@pytest.mark.slow
def test_train_verifier_command_smoke_run(tmp_path):
    """`assistant train-verifier` end to end on a few pairs: records → pairs through the answering pipeline →
    training → export, loaded and checked. (CI never trains more than this.)"""
    import os
    import subprocess
    import sys

    if not TRAIN_CORPUS.is_dir():
        pytest.skip("../shared/train-corpus is not beside the checkout")
    first = read_records(sorted(DATA.glob("records-*.jsonl")))[0].doc
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(TRAIN_CORPUS / first, corpus / first)  # the documents of the records a smoke run reads
    out = subprocess.run([sys.executable, "-m", "assistant.cli", "train-verifier", "--corpus", str(corpus),
                          "--index", str(tmp_path / "index"), "--max-pairs", "16", "--epochs", "1",
                          "--work", str(tmp_path / "work"), "--out", str(tmp_path / "export"), "--dev", ""],
                         capture_output=True, text=True, timeout=600, env={**os.environ})
    assert out.returncode == 0, out.stderr[-2000:]
    assert problem(tmp_path / "export") == ""
    pairs = [json.loads(line) for line in (tmp_path / "work" / "pairs.jsonl").read_text(encoding="utf-8").splitlines()]
    assert any(p["label"] == 1.0 for p in pairs) and any(p["origin"] == "near_miss" for p in pairs)
    figures = json.loads(out.stdout[out.stdout.rfind("{\n"):])  # the trainer prints its own log lines before
    assert figures["pairs"] == 16
