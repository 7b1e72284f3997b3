"""The onnx-int8 embedding engine: its export (made from the installed weights, checked, remade when damaged),
vectors that do not depend on the batch, their closeness to the float32 model, the engine recorded in the index,
and chunk vectors reused when a document changes a little."""

import json
from pathlib import Path

import numpy as np
import pytest

from assistant.ingest import onnx_export
from assistant.ingest.build import build_index
from assistant.ingest.chunk import chunk_document, embed_text
from assistant.ingest.embed import LocalEmbeddings
from assistant.ingest.load import load_file
from assistant.ingest.metadata import extract_metadata
from assistant.ingest.model_files import M3E_SMALL_SHA256, ModelFilesDamaged, sha256_of
from assistant.ingest.signature import changed, signature
from assistant.ingest.store import load_index
from assistant.settings import Settings, bundled_m3e_path
from assistant.text.clean import clean

from .conftest import CORPUS, SEEDS, copy_corpus
from .test_index_signature import FakeEmbeddings


def fake_export(folder, digests):
    folder.mkdir(parents=True)
    (folder / onnx_export.ONNX_FILE).write_bytes(b"onnx" * 100)
    manifest = {"recipe": onnx_export.RECIPE, "source_sha256": digests, "probe": {"text": "", "float32": []},
                "onnx_sha256": sha256_of(folder / onnx_export.ONNX_FILE)}
    (folder / onnx_export.MANIFEST_FILE).write_text(json.dumps(manifest), encoding="utf-8")
    return manifest


def test_an_intact_export_passes_and_each_kind_of_damage_is_named(tmp_path):
    folder, digests = tmp_path / "export", {"pytorch_model.bin": "ab" * 32}
    manifest = fake_export(folder, digests)
    assert onnx_export.problem(folder, digests) == ""
    assert "模型文件与现在安装的不同" in onnx_export.problem(folder, {"pytorch_model.bin": "cd" * 32})
    with (folder / onnx_export.ONNX_FILE).open("r+b") as fh:
        fh.write(b"X")
    assert "校验失败" in onnx_export.problem(folder, digests)
    (folder / onnx_export.ONNX_FILE).unlink()
    assert "缺少 model.onnx" in onnx_export.problem(folder, digests)
    (folder / onnx_export.MANIFEST_FILE).write_text(json.dumps({**manifest, "recipe": 0}), encoding="utf-8")
    assert onnx_export.problem(folder, digests) == "导出方式已更新"
    (folder / onnx_export.MANIFEST_FILE).write_text(json.dumps({**manifest, "probe": None}), encoding="utf-8")
    assert "不完整" in onnx_export.problem(folder, digests)
    (folder / onnx_export.MANIFEST_FILE).write_text("{not json", encoding="utf-8")
    assert "无法读取" in onnx_export.problem(folder, digests)
    (folder / onnx_export.MANIFEST_FILE).unlink()
    assert onnx_export.problem(folder, digests) == "尚未生成"


def test_a_missing_export_is_reported_in_chinese_or_a_failed_remake_explained(tmp_path, monkeypatch):
    with pytest.raises(ModelFilesDamaged, match="ONNX int8 导出不可用：尚未生成.*export-embedding"):
        onnx_export.ensure_export(bundled_m3e_path(), bundled_m3e_path(), tmp_path, rebuild=False)

    def no_space(*args):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(onnx_export, "make_export", no_space)
    with pytest.raises(ModelFilesDamaged, match="重新生成失败.*No space left.*embedding_engine = \"torch\""):
        onnx_export.ensure_export(bundled_m3e_path(), bundled_m3e_path(), tmp_path)


def test_models_the_recipe_cannot_export_are_named(tmp_path):
    folder = tmp_path / "model"
    folder.mkdir()
    assert "tokenizer.json" in onnx_export.unsupported(str(folder))
    (folder / "tokenizer.json").write_text("{}")
    assert onnx_export.unsupported(str(folder)) == ""
    (folder / "modules.json").write_text(json.dumps([{"type": "sentence_transformers.models.Transformer"},
                                                     {"type": "sentence_transformers.models.Dense"}]))
    assert "Dense" in onnx_export.unsupported(str(folder))
    assert onnx_export.unsupported(bundled_m3e_path()) == ""


def test_the_engine_is_part_of_the_index_signature(settings):
    path = bundled_m3e_path()
    onnx, torch_int8 = LocalEmbeddings(path, engine="onnx-int8"), LocalEmbeddings(path, engine="torch", quantize=True)
    assert onnx.name == f"m3e-small-onnx-int8-r{onnx_export.RECIPE}" and torch_int8.name == "m3e-small-int8"
    assert "嵌入模型" in changed(signature(settings, onnx), signature(settings, torch_int8))
    assert Settings().embedding_engine == "onnx-int8"
    with pytest.raises(ValueError, match="未知的嵌入引擎"):
        LocalEmbeddings(path, engine="gpu")


class CountingEmbeddings(FakeEmbeddings):
    def __init__(self):
        self.encoded: list[str] = []

    def encode(self, texts, progress=False):
        self.encoded.extend(texts)
        return super().encode(texts)


def test_a_changed_document_keeps_the_vectors_of_its_unchanged_chunks(settings):
    corpus = copy_corpus(settings.corpus_path, [SEEDS["zhongfang"]])
    emb = CountingEmbeddings()
    build_index(settings, embeddings=emb)
    first = load_index(settings.index_path)
    before = {ch.text: v for ch, v in zip(first.chunks, first.store.vectors(list(range(len(first.chunks)))))}
    emb.encoded.clear()

    doc = corpus / SEEDS["zhongfang"]
    doc.write_text(doc.read_text(encoding="utf-8") + "\n\n六、其他\n全县新建标准化操场12个，配齐体育教师30名。\n",
                   encoding="utf-8")
    report = build_index(settings, embeddings=emb)
    assert report.changed == [SEEDS["zhongfang"]]
    after = load_index(settings.index_path)
    assert 0 < len(emb.encoded) <= 3 < len(after.chunks)  # only the new tail was embedded
    assert report.embedded_chars == sum(map(len, emb.encoded))
    vectors = after.store.vectors(list(range(len(after.chunks))))
    kept = [i for i, ch in enumerate(after.chunks) if ch.text in before]
    assert len(kept) >= len(after.chunks) - 3
    assert all(np.array_equal(vectors[i], before[after.chunks[i].text]) for i in kept)


# ---- the real model ----

def corpus_texts(limit: int) -> list[str]:
    texts = []
    for name in sorted(SEEDS.values()):
        raw = load_file(CORPUS / name)
        raw.filename = name
        cleaned = clean(raw.text)
        meta = extract_metadata(raw, cleaned)
        texts += [embed_text(meta, c) for c in chunk_document(cleaned, raw.text, name, raw.sha256[:12])]
    return texts[::max(1, len(texts) // limit)][:limit]


@pytest.mark.slow
def test_a_texts_vector_is_bitwise_the_same_in_any_batch_and_order():
    texts = corpus_texts(24) + ["中方县2023年在编教师多少人？", "学", "新建幼儿园3所，新增学位2000个。"]
    two = LocalEmbeddings(bundled_m3e_path(), engine="onnx-int8", threads=2)
    one = LocalEmbeddings(bundled_m3e_path(), engine="onnx-int8", threads=1)
    alone = np.stack([two.encode([t])[0] for t in texts])
    rng = np.random.default_rng(0)
    for trial in range(4):
        order = rng.permutation(len(texts))
        for emb in (one, two):
            batch = emb.encode([texts[i] for i in order])
            assert np.array_equal(batch, alone[order]), trial  # bitwise: max abs difference 0
    short_and_long = [texts[0], "学"] * 3 + [texts[-1]]
    assert np.array_equal(two.encode(short_and_long), alone[[0, -2] * 3 + [-1]])
    assert np.array_equal(np.asarray(two.embed_query(texts[3]), dtype="float32"), alone[3])
    assert np.array_equal(two.encode_recent(texts[:5]), alone[:5])


@pytest.mark.slow
def test_int8_vectors_are_close_to_the_float32_models():
    texts = corpus_texts(60)
    int8 = LocalEmbeddings(bundled_m3e_path(), engine="onnx-int8").encode(texts)
    fp32 = LocalEmbeddings(bundled_m3e_path(), engine="torch", quantize=False).encode(texts)
    cosine = (int8 * fp32).sum(axis=1)
    # Measured: mean 0.9975, min 0.996 on 411 chunks of both corpora (torch's int8 engine: mean 0.983, min 0.973).
    assert cosine.mean() > 0.995 and cosine.min() > 0.99
    assert np.allclose(np.linalg.norm(int8, axis=1), 1.0, atol=1e-5)


@pytest.mark.slow
def test_the_export_is_made_from_the_installed_weights_and_made_again_when_damaged(tmp_path):
    from assistant.ingest.onnx_engine import probe_cosine

    path = bundled_m3e_path()
    made = onnx_export.ensure_export(path, path, tmp_path)
    assert made.manifest["source_sha256"] == M3E_SMALL_SHA256 and made.manifest["recipe"] == onnx_export.RECIPE
    assert made.folder.parent == tmp_path and made.onnx_path.stat().st_size > 20e6
    digest = made.manifest["onnx_sha256"]
    with made.onnx_path.open("r+b") as fh:
        fh.seek(1_000_000)
        fh.write(b"\0" * 64)
    assert "校验失败" in onnx_export.problem(made.folder, M3E_SMALL_SHA256)
    with pytest.raises(ModelFilesDamaged, match="校验失败"):
        onnx_export.ensure_export(path, path, tmp_path, rebuild=False)
    again = onnx_export.ensure_export(path, path, tmp_path)
    assert again.manifest["onnx_sha256"] == digest == sha256_of(again.onnx_path)  # the same bytes: deterministic
    assert probe_cosine(again, Path(path) / "tokenizer.json", 512) > 0.99


@pytest.mark.slow
def test_switching_the_engine_rebuilds_the_index(settings):
    copy_corpus(settings.corpus_path, [SEEDS["zhongfang"]])
    build_index(settings)
    model = load_index(settings.index_path).manifest["signature"]["model"]
    assert model == f"m3e-small-onnx-int8-r{onnx_export.RECIPE}"
    settings.embedding_engine = "torch"
    report = build_index(settings)
    assert "嵌入模型" in report.rebuilt_reason and report.added == [SEEDS["zhongfang"]]
    assert load_index(settings.index_path).manifest["signature"]["model"] == "m3e-small-int8"
