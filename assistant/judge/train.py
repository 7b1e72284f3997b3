"""Training the verifier: a cross-encoder fine-tuned from the packaged m3e-small weights with sentence-transformers'
CrossEncoder and CrossEncoderTrainer (binary cross-entropy on one logit), on CPU.

The run is seeded and single-threaded in its data order, so the same pairs give the same model on the same CPU
kind; a different CPU may differ in the last bits of the float weights, which is why the shipped model is the
exported file with its checksum, not this function's output on the user's machine.
"""

from __future__ import annotations

import logging
import os
import time
from dataclasses import dataclass
from pathlib import Path

from .pairs import Pair

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class TrainConfig:
    epochs: float = 2.0
    batch_size: int = 16
    learning_rate: float = 4e-5
    warmup_ratio: float = 0.1
    max_length: int = 144
    seed: int = 20261207
    max_pairs: int = 0  # 0: all; a smoke run takes a few


def _dataset(pairs: list[Pair]):
    from datasets import Dataset

    return Dataset.from_dict({"question": [p.question for p in pairs], "context": [p.context for p in pairs],
                              "label": [float(p.label) for p in pairs]})


def train(pairs: list[Pair], base_model: str, out_dir: Path, config: TrainConfig,
          dev_pairs: list[Pair] | None = None) -> dict:
    """Fine-tunes `base_model` on `pairs` and saves it (Hugging Face format) in `out_dir`. Returns the run's
    figures: pairs, seconds, pairs per second, and the dev loss when dev pairs are given."""
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    import torch
    from sentence_transformers.cross_encoder import (CrossEncoder, CrossEncoderTrainer,
                                                     CrossEncoderTrainingArguments)
    from sentence_transformers.cross_encoder.losses import BinaryCrossEntropyLoss

    torch.manual_seed(config.seed)
    if config.max_pairs:
        pairs = pairs[: config.max_pairs]
    positives = sum(1 for p in pairs if p.label >= 0.5)
    model = CrossEncoder(base_model, num_labels=1, max_length=config.max_length, device="cpu")
    # Negatives outnumber positives; weighting the positives keeps the probability near 0.5 at the boundary.
    weight = torch.tensor(max(1.0, (len(pairs) - positives) / max(positives, 1)) ** 0.5)
    loss = BinaryCrossEntropyLoss(model, pos_weight=weight)
    args = CrossEncoderTrainingArguments(
        output_dir=str(out_dir / "checkpoints"), num_train_epochs=config.epochs,
        per_device_train_batch_size=config.batch_size, learning_rate=config.learning_rate,
        warmup_steps=config.warmup_ratio, seed=config.seed, data_seed=config.seed, save_strategy="no",
        logging_steps=50, report_to="none", use_cpu=True, dataloader_num_workers=0,
        eval_strategy="no", disable_tqdm=True)
    trainer = CrossEncoderTrainer(model=model, args=args, train_dataset=_dataset(pairs), loss=loss)
    t0 = time.perf_counter()
    trainer.train()
    seconds = time.perf_counter() - t0
    out_dir.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out_dir / "model"))
    figures = {"pairs": len(pairs), "positives": positives, "seconds": round(seconds, 1),
               "pairs_per_second": round(len(pairs) * config.epochs / max(seconds, 1e-9), 2),
               "epochs": config.epochs, "max_length": config.max_length, "pos_weight": round(float(weight), 3)}
    if dev_pairs:
        figures["dev"] = dev_figures(model.predict([(p.question, p.context) for p in dev_pairs], batch_size=32),
                                     dev_pairs)
    log.info("verifier trained: %s", figures)
    return figures


def dev_figures(probs, pairs: list[Pair]) -> dict:
    """Accuracy at 0.5 and the ranking quality (AUC) of probabilities against the pairs' labels."""
    import numpy as np

    probs = np.asarray(probs, dtype="float64").reshape(-1)
    labels = np.array([p.label >= 0.5 for p in pairs])
    pos, neg = probs[labels], probs[~labels]
    auc = float((pos[:, None] > neg[None, :]).mean() + 0.5 * (pos[:, None] == neg[None, :]).mean()) if len(pos) and len(neg) else 0.0
    return {"pairs": len(pairs), "accuracy@0.5": round(float(((probs >= 0.5) == labels).mean()), 4),
            "auc": round(auc, 4)}
