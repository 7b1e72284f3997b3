"""The Milvus backend: each version of the index is one collection (dense vectors, Milvus's built-in BM25 over the
chunks' words with analyzer {"tokenizer": "jieba"}, and document, region, years and genre as scalar fields, so
filters run in the engine); an alias names the active one. The same client code runs on milvus-lite (a local
file, one process at a time) and on a Milvus server (`http://host:19530`, shared by many answering processes).

Built into a new collection and switched only when complete: a failed build never touches the one in use.
"""

from __future__ import annotations

import json
import logging
import re
from functools import lru_cache
from pathlib import Path

import numpy as np

from .vector_store import Rows, StoreReader, StoreUnavailable, VectorStore

log = logging.getLogger(__name__)

ANALYZER = {"tokenizer": "jieba"}  # the one setting that behaves the same on milvus-lite and on a server
BM25_PARAMS = {"bm25_k1": 1.2, "bm25_b": 0.6}  # as the embedded backend's BM25 (retrieval/sparse.py)
BATCH = 1000
MAX_TEXT = 65535


def is_server(uri: str) -> bool:
    return bool(re.match(r"^(https?|tcp|grpc)://", uri))


@lru_cache(maxsize=8)
def connect(uri: str, token: str = ""):
    """One client per address and process: milvus-lite lets one process at a time open its file."""
    try:
        from pymilvus import MilvusClient

        if not is_server(uri):
            Path(uri).parent.mkdir(parents=True, exist_ok=True)
            # milvus-lite serves in-process: its gRPC server logs a traceback for each call it does not implement
            # (AllocTimestamp, asked while an index is created; the client goes on without it), and its jieba
            # analyzer logs its dictionary loading. Failures still reach us as exceptions.
            logging.getLogger("grpc._server").setLevel(logging.CRITICAL)
            logging.getLogger("jieba").setLevel(logging.WARNING)
        return MilvusClient(uri=uri, token=token or "", timeout=10)
    except ImportError as exc:
        raise StoreUnavailable("未安装 Milvus 客户端（pymilvus、milvus-lite），请重新运行安装脚本。") from exc
    except Exception as exc:  # noqa: BLE001 -- a refused connection, a locked lite file: all one message
        where = uri if is_server(uri) else f"本地文件 {uri}"
        hint = "（milvus-lite 同一时间只允许一个进程打开；多进程部署请使用 Milvus 服务器）" if not is_server(uri) else ""
        raise StoreUnavailable(f"无法连接 Milvus：{where}{hint}。{type(exc).__name__}: {str(exc)[:200]}") from exc


def collection_name(alias: str, version: str) -> str:
    return f"{alias}__{re.sub(r'[^0-9A-Za-z_]', '_', version)}"


def doc_filter(docs: list[str] | None) -> str:
    """A filter expression keeping the rows of `docs` (JSON string literals are Milvus string literals; milvus-lite
    takes no expression templates in hybrid search)."""
    if docs is None:
        return ""
    return "doc in [" + ", ".join(json.dumps(d, ensure_ascii=False) for d in docs) + "]"


class MilvusReader(StoreReader):
    kind = "milvus"

    def __init__(self, client, collection: str):
        self.client = client
        self.collection = collection

    def count(self) -> int:
        rows = self.client.query(self.collection, filter="", output_fields=["count(*)"])
        return int(rows[0]["count(*)"])

    def vectors(self, rows: list[int]) -> np.ndarray:
        found: dict[int, list[float]] = {}
        for s in range(0, len(rows), BATCH):
            for r in self.client.query(self.collection, ids=rows[s : s + BATCH], output_fields=["dense"]):
                found[int(r["id"])] = r["dense"]
        return np.asarray([found[i] for i in rows], dtype="float32")

    def hybrid(self, vector: np.ndarray, words: str, fetch: int, docs: list[str] | None, rrf_k: int
               ) -> list[tuple[int, float]]:
        """The best `fetch` rows as (row, fused score), dense and BM25 fused by the engine's RRF ranker; with
        `docs`, only those documents' rows (filtered in the engine)."""
        from pymilvus import AnnSearchRequest, RRFRanker

        expr = doc_filter(docs)
        requests = [AnnSearchRequest([np.asarray(vector, dtype="float32").tolist()], "dense",
                                     {"metric_type": "IP"}, limit=fetch, expr=expr)]
        if words.strip():
            requests.append(AnnSearchRequest([words], "sparse", {"metric_type": "BM25"}, limit=fetch, expr=expr))
        result = self.client.hybrid_search(self.collection, requests, RRFRanker(rrf_k), limit=fetch,
                                           output_fields=["id"])
        return [(int(hit["id"]), float(hit["distance"])) for hit in result[0]]


class MilvusStore(VectorStore):
    kind = "milvus"

    def __init__(self, uri: str, token: str = "", alias: str = "assistant_chunks", index_type: str = "FLAT"):
        self.uri, self.token, self.alias, self.index_type = uri, token, alias, index_type

    @classmethod
    def from_settings(cls, settings, index_dir: Path) -> "MilvusStore":
        uri = (settings.milvus_uri or "").strip()
        if not uri:
            uri = str(Path(index_dir) / "milvus.db")
        elif not is_server(uri):
            uri = str(settings.resolve(Path(uri)))
        # One alias per index folder (index, index-<corpus key>): folders sharing a server never touch each
        # other's collections.
        alias = re.sub(r"[^0-9A-Za-z_]", "_", f"{settings.milvus_collection}_{Path(index_dir).name}")
        return cls(uri, settings.milvus_token, alias, settings.milvus_index_type)

    @property
    def client(self):
        return connect(self.uri, self.token)

    def schema(self, dim: int):
        """A version's collection: its fields, the BM25 function and the indexes."""
        from pymilvus import DataType, Function, FunctionType

        schema = self.client.create_schema(auto_id=False)
        schema.add_field("id", DataType.INT64, is_primary=True)  # the row: chunks[id] in the version's folder
        schema.add_field("doc", DataType.VARCHAR, max_length=1024)
        schema.add_field("region", DataType.VARCHAR, max_length=256)
        schema.add_field("years", DataType.ARRAY, element_type=DataType.INT64, max_capacity=64)
        schema.add_field("genre", DataType.VARCHAR, max_length=256)
        schema.add_field("words", DataType.VARCHAR, max_length=MAX_TEXT, enable_analyzer=True,
                         analyzer_params=ANALYZER)
        schema.add_field("dense", DataType.FLOAT_VECTOR, dim=dim)
        schema.add_field("sparse", DataType.SPARSE_FLOAT_VECTOR)
        schema.add_function(Function(name="bm25", function_type=FunctionType.BM25, input_field_names=["words"],
                                     output_field_names=["sparse"]))
        index = self.client.prepare_index_params()
        index.add_index("dense", index_type=self.index_type, metric_type="IP",
                        params={"M": 16, "efConstruction": 200} if self.index_type == "HNSW" else {})
        index.add_index("sparse", index_type="SPARSE_INVERTED_INDEX", metric_type="BM25", params=BM25_PARAMS)
        return schema, index

    def write(self, folder: Path, version: str, rows: Rows) -> dict:
        name = collection_name(self.alias, version)
        client = self.client
        try:
            if client.has_collection(name):
                client.drop_collection(name)
            schema, index = self.schema(int(rows.vectors.shape[1]))
            client.create_collection(name, schema=schema, index_params=index)
            batch = []
            for i, (chunk, tokens, vector) in enumerate(zip(rows.chunks, rows.tokens, rows.vectors)):
                meta = rows.metas[chunk.doc]
                # The words BM25 sees are the ones the embedded backend scores (stopwords out, sub-words in);
                # the jieba analyzer splits them again, the same way at index and at query time.
                batch.append({"id": i, "doc": chunk.doc, "region": meta.region or "", "years": list(meta.years)[:64],
                              "genre": meta.genre or "", "words": " ".join(tokens)[:MAX_TEXT],
                              "dense": vector.tolist()})
                if len(batch) == BATCH:
                    client.insert(name, batch)
                    batch = []
            if batch:
                client.insert(name, batch)
            client.flush(name)
            client.load_collection(name)
        except StoreUnavailable:
            raise
        except Exception as exc:  # noqa: BLE001 -- the half-built collection goes; the active one is untouched
            self.discard({"collection": name})
            raise StoreUnavailable(f"写入 Milvus 集合 {name} 失败：{type(exc).__name__}: {str(exc)[:200]}") from exc
        return {"kind": self.kind, "collection": name, "alias": self.alias}

    def open(self, folder: Path, entry: dict) -> MilvusReader:
        client = self.client
        name = entry["collection"]
        if not client.has_collection(name):
            raise FileNotFoundError(f"Milvus 集合 {name} 不存在")
        client.load_collection(name)
        return MilvusReader(client, name)

    def activate(self, entry: dict) -> None:
        client = self.client
        # milvus-lite lists aliases per collection only (and logs an error for a missing one when asked)
        named = [c for c in client.list_collections() if self.alias in client.list_aliases(c).get("aliases", [])]
        if named == [entry["collection"]]:
            return
        if named:
            client.alter_alias(entry["collection"], self.alias)
        else:
            client.create_alias(entry["collection"], self.alias)

    def discard(self, entry: dict) -> None:
        try:
            if self.client.has_collection(entry["collection"]):
                self.client.drop_collection(entry["collection"])
        except Exception as exc:  # noqa: BLE001 -- left for the next sweep
            log.warning("could not drop %s: %r", entry.get("collection"), exc)

    def sweep(self, keep: list[dict]) -> None:
        kept = {e.get("collection") for e in keep}
        for name in self.client.list_collections():
            if name.startswith(self.alias + "__") and name not in kept:
                self.discard({"collection": name})
