import os
import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
EXTRA = ROOT.parent / "shared" / "extra-corpus"
SEEDS = {
    "jingzhou": "000_059f530894e20c15.txt",
    "huangshi": "001_3335b7a87a32b1ac.txt",
    "zhuzhou": "002_da86d2fe05fea8a8.txt",
    "xinzhou": "003_b87c3e204512a6b7.txt",
    "zhongfang": "004_e470ba86af01da5e.txt",
}

os.environ.setdefault("HF_HUB_OFFLINE", "1")


@pytest.fixture
def settings(tmp_path):
    from assistant.settings import Settings

    return Settings(corpus_dir=tmp_path / "corpus", index_dir=tmp_path / "index")


def copy_corpus(dest: Path, names=None) -> Path:
    dest.mkdir(parents=True, exist_ok=True)
    for p in CORPUS.iterdir():
        if names is None or p.name in names or any(p.name.startswith(n) for n in names):
            shutil.copy(p, dest / p.name)
    return dest


@pytest.fixture(scope="session")
def bundled_index(tmp_path_factory):
    """The real index over the bundled corpus, built once for the session."""
    from assistant.index_store import build_index, load_index
    from assistant.settings import Settings

    base = tmp_path_factory.mktemp("bundled")
    settings = Settings(corpus_dir=copy_corpus(base / "corpus"), index_dir=base / "index")
    build_index(settings)
    return settings, load_index(settings.index_path)


@pytest.fixture(scope="session")
def retriever(bundled_index):
    from assistant.retrieve import HybridRetriever

    settings, data = bundled_index
    return HybridRetriever.from_index(data, settings)


@pytest.fixture(scope="session")
def assistant(bundled_index, retriever):
    """The assistant over the session's bundled index, sharing the loaded embedding model."""
    from assistant.answer import Assistant

    settings, _ = bundled_index
    return Assistant(settings, settings.index_path, embeddings=retriever.embeddings)


def original_text(doc: str) -> str:
    from assistant.load import load_file

    return load_file(CORPUS / doc).text
