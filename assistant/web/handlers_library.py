"""文档库: list, upload, delete, edit metadata, compare original and cleaned text, re-index (admins only
for changes). Answers go on from the old index until the new one is swapped in."""

from __future__ import annotations

import logging
from pathlib import Path

import gradio as gr

from ..ingest.library import LibraryError, add_file, delete_doc, list_docs, read_meta, set_meta, texts
from ..ingest.store import IndexWriteError, StoreUnavailable
from ..text.markup import escape_markdown
from .base import WebBase

log = logging.getLogger("assistant.library")


class LibraryHandlers(WebBase):
    def docs_table(self) -> list[list]:
        return [[r.name, r.title, r.region, "、".join(map(str, r.years)), r.genre, r.chunks, r.size_kb]
                for r in list_docs(self.settings, self.assistant.index_path)]

    def doc_names(self) -> list[str]:
        return [r.name for r in list_docs(self.settings, self.assistant.index_path)]

    def library_state(self, request: gr.Request = None):
        """The banner, the table and the document list as they are now (not as when the server started)."""
        if self.role(request) == "none":
            return "", [], gr.update(choices=[])
        return self.index_notice(), self.docs_table(), gr.update(choices=self.doc_names())

    def page_state(self, request: gr.Request = None):
        """At page load: the library (above) and the filters' choices, both as they are now."""
        regions, years, genres = self.choices() if self.role(request) != "none" else ([], [], [])
        return (*self.library_state(request), gr.update(choices=regions), gr.update(choices=years),
                gr.update(choices=genres))

    def documents_api(self, request: gr.Request = None) -> list[str]:
        """API `documents`: the names of the documents in the library."""
        self.require_user(request)
        return self.doc_names()

    def reindex(self, progress=None) -> str:
        from ..ingest.build import build_index

        if not self._index_lock.acquire(blocking=False):
            raise gr.Error("正在建立索引，请稍候再试。")
        try:
            def step(done, total, message=""):
                if progress is not None:
                    progress(done / max(total, 1), desc=message or "正在计算向量")

            report = build_index(self.settings, self.corpora, self.assistant.index_path,
                                 progress=step, embeddings=self.assistant.embeddings)
        except (IndexWriteError, StoreUnavailable) as exc:
            raise gr.Error(str(exc)) from exc
        finally:
            self._index_lock.release()
        self.assistant.refresh()  # answers use the new index from the next question on
        parts = [f"新增 {len(report.added)}", f"更新 {len(report.changed)}", f"删除 {len(report.removed)}",
                 f"未变 {len(report.unchanged)}", f"共 {report.chunks} 个片段"]
        msg = "索引完成：" + "，".join(parts) + f"，用时 {report.seconds:.1f} 秒。"
        if report.meta_updated:
            msg += f" 元数据已更新：{'、'.join(report.meta_updated)}。"
        if report.failed:
            msg += " 未能读取：" + "；".join(f"{Path(n).name}（{m}）" for n, m in report.failed)
        return msg

    def upload(self, files, request: gr.Request, progress=gr.Progress()):
        files = files if isinstance(files, list) else [files] if files else []
        staged = [Path(getattr(f, "name", f)) for f in files]
        added, refused = [], []
        try:
            self.require_admin(request)
            if not files:
                raise gr.Error("请先选择要上传的文件。")
            for f, path in zip(files, staged):
                original_name = getattr(f, "orig_name", None) or path.name
                try:
                    added.append(add_file(self.settings, path, original_name))
                except LibraryError as exc:
                    refused.append(str(exc))
                except OSError:  # the details (paths) go to the log, not to the page
                    log.exception("upload of %r failed", original_name)
                    refused.append(f"{original_name}：无法读取上传的文件，请重新上传。")
        finally:  # copied into the library, refused, or not allowed: the staged uploads are done with
            self.staging.release(staged, self.owner(request))
        msg = ""
        if added:
            msg = f"已加入：{'、'.join(added)}。" + self.reindex(progress)
        if refused:
            msg += ("\n" if msg else "") + "未加入：" + "；".join(refused)
        return escape_markdown(msg), self.docs_table(), gr.update(choices=self.doc_names())

    def delete(self, name, request: gr.Request, progress=gr.Progress()):
        self.require_admin(request)
        if not name:
            raise gr.Error("请先选择一个文档。")
        try:
            delete_doc(self.settings, name)
        except LibraryError as exc:
            raise gr.Error(str(exc)) from exc
        msg = f"已删除 {name}。" + self.reindex(progress)
        return escape_markdown(msg), self.docs_table(), gr.update(choices=self.doc_names(), value=None)

    def load_meta(self, name, request: gr.Request = None):
        self.require_user(request)  # a document's whole text: only for those who may read the corpus
        if not name:
            return "", "", "", "", "", ""
        try:
            meta = read_meta(self.settings, name)
            original, cleaned = texts(self.settings, name)
        except Exception:  # noqa: BLE001 -- any unreadable file is reported, not raised; details go to the log
            log.exception("cannot read %s", name)
            return "", "", "", "", "无法读取这个文档（文件可能已损坏或被删除），请重新上传或重建索引。", ""
        return (meta["title"], meta["region"], "、".join(map(str, meta["years"])), meta["genre"], original, cleaned)

    def save_meta(self, name, title, region, years, genre, request: gr.Request, progress=gr.Progress()):
        self.require_admin(request)
        if not name:
            raise gr.Error("请先选择一个文档。")
        try:
            set_meta(self.settings, name, title, region, years, genre)
        except LibraryError as exc:
            raise gr.Error(str(exc)) from exc
        msg = f"已保存 {name} 的元数据。" + self.reindex(progress)
        return escape_markdown(msg), self.docs_table()

    def reindex_clicked(self, request: gr.Request, progress=gr.Progress()):
        self.require_admin(request)
        return escape_markdown(self.reindex(progress)), self.docs_table()
