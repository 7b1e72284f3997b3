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
    from assistant.ingest.build import build_index
    from assistant.ingest.store import load_index
    from assistant.settings import Settings

    base = tmp_path_factory.mktemp("bundled")
    settings = Settings(corpus_dir=copy_corpus(base / "corpus"), index_dir=base / "index")
    build_index(settings)
    return settings, load_index(settings.index_path)


@pytest.fixture(scope="session")
def milvus_index(tmp_path_factory, retriever):
    """The same bundled corpus indexed in the Milvus backend, on milvus-lite (a local file)."""
    from assistant.ingest.build import build_index
    from assistant.ingest.store import load_index
    from assistant.settings import Settings

    base = tmp_path_factory.mktemp("milvus")
    settings = Settings(corpus_dir=copy_corpus(base / "corpus"), index_dir=base / "index", vector_store="milvus")
    build_index(settings, embeddings=retriever.embeddings)
    return settings, load_index(settings.index_path, settings)


@pytest.fixture(scope="session")
def retriever(bundled_index):
    from assistant.retrieval.hybrid import HybridRetriever

    settings, data = bundled_index
    return HybridRetriever.from_index(data, settings)


@pytest.fixture(scope="session")
def assistant(bundled_index, retriever):
    """The assistant over the session's bundled index, sharing the loaded embedding model."""
    from assistant.answering.assistant import Assistant

    settings, _ = bundled_index
    return Assistant(settings, settings.index_path, embeddings=retriever.embeddings)


def original_text(doc: str) -> str:
    from assistant.ingest.load import load_file

    return load_file(CORPUS / doc).text


def free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """`assistant serve` in a subprocess over its own copy of the corpus."""

    def __init__(self, base: Path, host: str = "127.0.0.1", users: Path | None = None, env: dict | None = None):
        import subprocess
        import sys

        self.port = free_port()
        self.corpus = copy_corpus(base / "corpus")
        self.env = {**os.environ, "ASSISTANT_CORPUS_DIR": str(self.corpus), "ASSISTANT_INDEX_DIR": str(base / "index"),
                    "ASSISTANT_EVAL_DIR": str(base / "eval"), "ASSISTANT_USERS_FILE": str(users or base / "users.json"),
                    "ASSISTANT_DATA_DIR": str(base / "data"),
                    "GRADIO_ANALYTICS_ENABLED": "False", **(env or {})}
        (base / "eval").mkdir(exist_ok=True)
        shutil.copy(ROOT / "eval" / "questions.jsonl", base / "eval" / "questions.jsonl")
        self.log = base / "server.log"
        self.url = f"http://127.0.0.1:{self.port}/"
        with self.log.open("wb") as fh:
            self.proc = subprocess.Popen([sys.executable, "-m", "assistant.cli", "serve", "--host", host,
                                          "--port", str(self.port)], stdout=fh, stderr=subprocess.STDOUT, env=self.env)

    def wait(self, timeout: float = 300) -> "Server":
        import time
        import urllib.request

        deadline = time.time() + timeout
        while time.time() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"server exited: {self.log.read_text(errors='replace')[-3000:]}")
            try:
                with urllib.request.urlopen(self.url + "config", timeout=2):
                    return self
            except OSError as exc:
                if getattr(exc, "code", None) in (401, 403):
                    return self
                time.sleep(0.5)
        raise RuntimeError("server did not start")

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except Exception:  # noqa: BLE001
            self.proc.kill()
