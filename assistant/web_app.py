"""The Gradio page: 问答, 起草, 评测, 文档库 tabs, optional login with roles, and named API endpoints
(`ask`, `search`, …) for gradio_client."""

from __future__ import annotations

import json
import logging
import re
import threading
import time
from pathlib import Path

import gradio as gr

from .answering.assistant import Assistant
from .answering.validation import BadQuestion, check_question
from .drafting.service import make_draft
from .auth import UsersFile
from .ingest.library import (
    LibraryError,
    add_file,
    delete_doc,
    list_docs,
    read_meta,
    set_meta,
    texts,
)
from .llm.chat import LLMUnavailable
from .retrieval.filters import Filters
from .answering.schema import Answer
from .settings import Settings
from .web_render import (
    CSS,
    HEAD_JS,
    answer_markdown,
    draft_sources_html,
    example_questions,
    sources_html,
)

log = logging.getLogger(__name__)

ALL = "全部"
ENGINE_LABELS = {"extractive": "抽取式（离线）", "llm": "大模型"}


class WebApp:
    """State shared by every session: settings, the assistant (one loaded index), the users file."""

    def __init__(self, settings: Settings, assistant: Assistant, users: UsersFile | None,
                 corpora: list[Path] | None = None):
        # Uploads and edits go to the first document folder; re-indexing covers all of them.
        self.corpora = corpora or [settings.corpus_path]
        self.settings = settings.model_copy(update={"corpus_dir": self.corpora[0]})
        self.assistant = assistant
        self.users = users if users and users.exists() else None
        self._index_lock = threading.Lock()

    # --- access ---------------------------------------------------------------------------------------------------
    def role(self, request: gr.Request | None) -> str:
        if self.users is None:
            return "admin"  # no users file: a single-user install on loopback
        name = getattr(request, "username", None) if request else None
        return self.users.role(name) or "none"

    def require_admin(self, request: gr.Request | None) -> None:
        if self.role(request) != "admin":
            raise gr.Error("只有管理员可以修改文档库。")

    def login(self, name: str, password: str) -> bool:
        return bool(self.users and self.users.verify(name, password))

    # --- filters -------------------------------------------------------------------------------------------------
    def choices(self) -> tuple[list[str], list[str], list[str]]:
        metas = self.assistant.metas.values()
        regions = sorted({m.region for m in metas if m.region})
        years = sorted({str(y) for m in metas for y in m.years}, reverse=True)
        genres = sorted({m.genre for m in metas if m.genre})
        return [ALL, *regions], [ALL, *years], [ALL, *genres]

    @staticmethod
    def filters(region: str | None, year: str | int | None, genre: str | None) -> Filters | None:
        region = "" if not region or region == ALL else region
        genre = "" if not genre or genre == ALL else genre
        year_n = int(year) if year not in (None, "", ALL) and str(year).isdigit() else None
        if not (region or genre or year_n):
            return None
        return Filters(region=region, year=year_n, genre=genre)

    def engine(self, label: str | None) -> str:
        for key, text in ENGINE_LABELS.items():
            if label in (key, text):
                return key
        return self.settings.engine

    # --- 问答 ------------------------------------------------------------------------------------------------------
    def chat(self, message, history, region, year, genre, engine):
        question = message if isinstance(message, str) else (message or {}).get("text", "")
        try:
            answer = None
            text = ""
            for event in self.assistant.stream(question, history, self.filters(region, year, genre), self.engine(engine)):
                if isinstance(event, Answer):
                    answer = event
                else:
                    text += event
                    yield text + " ▌", sources_html(None)
        except (BadQuestion, LLMUnavailable) as exc:
            yield f"⚠ {exc}", sources_html(None)
            return
        assert answer is not None
        yield answer_markdown(answer), sources_html(answer)

    def ask_api(self, question: str, history: str | list | None = None, region: str = "", year: str = "",
                genre: str = "", engine: str = "") -> tuple[str, dict]:
        """API `ask`: question, optional history (JSON list of [问, 答] pairs or role/content messages) and
        filters → (answer, {"refused", "citations", …})."""
        if isinstance(history, str):
            try:
                history = json.loads(history) if history.strip() else []
            except ValueError as exc:
                raise gr.Error(f"history 不是合法的 JSON：{exc}") from exc
        try:
            answer = self.assistant.ask(question, history or [], self.filters(region, year, genre),
                                        self.engine(engine) if engine else None)
        except (BadQuestion, LLMUnavailable) as exc:
            raise gr.Error(str(exc)) from exc
        d = answer.to_dict()
        return answer.answer, {k: d[k] for k in ("refused", "citations", "standalone_question", "warnings",
                                                 "engine", "latency_ms")}

    def search_api(self, question: str, k: int = 5, region: str = "", year: str = "", genre: str = "") -> list[dict]:
        """API `search`: the passages for a question, with document, section, exact span and score."""
        try:
            question = check_question(question, self.settings)
        except BadQuestion as exc:
            raise gr.Error(str(exc)) from exc
        hits = self.assistant.retriever.search(question, k=max(1, min(int(k or 5), 50)),
                                               filters=self.filters(region, year, genre))
        return [h.to_dict() for h in hits]

    # --- 起草 ------------------------------------------------------------------------------------------------------
    def draft(self, instruction, place, year, engine):
        from .drafting.docx_export import write_docx

        try:
            draft = make_draft(self.assistant, instruction, self.engine(engine), place or "",
                                         int(year) if year not in (None, "") and int(year) > 0 else None)
        except (BadQuestion, LLMUnavailable) as exc:
            raise gr.Error(str(exc)) from exc
        req = draft.request
        understood = (f"已按以下理解起草：地区 {req.place or '（未指定）'}，年份 {req.year}，文种 {req.genre}，"
                      f"主题 {req.topic or '全面工作'}" + ("，提纲" if req.outline else "") + "。")
        notes = "\n".join(f"- ⚠ {w}" for w in draft.warnings)
        info = f"{understood}\n\n待填项 {len(draft.placeholders)} 处（【待填：…】），引用往年原文 {len(draft.citations)} 句。" \
            + (f"\n\n{notes}" if notes else "")
        folder = self.settings.drafts_path / time.strftime("%Y%m%d-%H%M%S")
        folder.mkdir(parents=True, exist_ok=True)
        stem = re.sub(r"[^\w\u4e00-\u9fff-]", "", draft.title)[:40] or "draft"
        md_path = folder / f"{stem}.md"
        md_path.write_text(draft.markdown(), encoding="utf-8")
        docx_path = write_docx(draft, folder / f"{stem}.docx")
        return (draft.markdown(with_sources=False), draft_sources_html(draft), info,
                [str(docx_path), str(md_path)])

    def draft_api(self, instruction: str, place: str = "", year: int | None = None, engine: str = "") -> dict:
        """API `draft`: an instruction → the draft (title, paragraphs with sources, citations, placeholders, markdown)."""
        try:
            draft = make_draft(self.assistant, instruction, self.engine(engine) if engine else None, place or "",
                               year)
        except (BadQuestion, LLMUnavailable) as exc:
            raise gr.Error(str(exc)) from exc
        return draft.to_dict()

    # --- 文档库 ----------------------------------------------------------------------------------------------------
    def docs_table(self) -> list[list]:
        return [[r.name, r.title, r.region, "、".join(map(str, r.years)), r.genre, r.chunks, r.size_kb]
                for r in list_docs(self.settings, self.assistant.index_path)]

    def doc_names(self) -> list[str]:
        return [r.name for r in list_docs(self.settings, self.assistant.index_path)]

    def reindex(self, progress=None) -> str:
        from .ingest.build import build_index

        if not self._index_lock.acquire(blocking=False):
            raise gr.Error("正在建立索引，请稍候再试。")
        try:
            def step(done, total, message=""):
                if progress is not None:
                    progress(done / max(total, 1), desc=message or "正在计算向量")

            report = build_index(self.settings, self.corpora, self.assistant.index_path,
                                 progress=step, embeddings=self.assistant.retriever.embeddings)
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
        self.require_admin(request)
        if not files:
            raise gr.Error("请先选择要上传的文件。")
        added, refused = [], []
        for f in files if isinstance(files, list) else [files]:
            path = Path(getattr(f, "name", f))
            original_name = getattr(f, "orig_name", None) or path.name
            try:
                added.append(add_file(self.settings, path, original_name))
            except (LibraryError, OSError) as exc:
                refused.append(str(exc))
        msg = ""
        if added:
            msg = f"已加入：{'、'.join(added)}。" + self.reindex(progress)
        if refused:
            msg += ("\n" if msg else "") + "未加入：" + "；".join(refused)
        return msg, self.docs_table(), gr.update(choices=self.doc_names())

    def delete(self, name, request: gr.Request, progress=gr.Progress()):
        self.require_admin(request)
        if not name:
            raise gr.Error("请先选择一个文档。")
        try:
            delete_doc(self.settings, name)
        except LibraryError as exc:
            raise gr.Error(str(exc)) from exc
        msg = f"已删除 {name}。" + self.reindex(progress)
        return msg, self.docs_table(), gr.update(choices=self.doc_names(), value=None)

    def load_meta(self, name):
        if not name:
            return "", "", "", "", "", ""
        try:
            meta = read_meta(self.settings, name)
            original, cleaned = texts(self.settings, name)
        except Exception as exc:  # noqa: BLE001 -- any unreadable file is shown, not raised
            return "", "", "", "", f"无法读取：{exc}", ""
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
        return msg, self.docs_table()

    def reindex_clicked(self, request: gr.Request, progress=gr.Progress()):
        self.require_admin(request)
        return self.reindex(progress), self.docs_table()

    # --- 评测 ------------------------------------------------------------------------------------------------------
    def question_sets(self) -> list[str]:
        folder = self.settings.eval_path
        return sorted(str(p.relative_to(folder)) for p in folder.glob("**/*.jsonl") if "results" not in p.parts)

    def run_eval(self, chosen, uploaded, engine, progress=gr.Progress()):
        from .evaluation.answers import run_retrieval
        from .evaluation.questions import QuestionSetError, read_questions
        from .evaluation.report import failures, write_report

        path = Path(getattr(uploaded, "name", uploaded)) if uploaded else (
            self.settings.eval_path / chosen if chosen else None)
        if path is None:
            raise gr.Error("请选择或上传一个问题集（JSONL）。")
        try:
            questions = read_questions(path)
        except (OSError, UnicodeDecodeError, QuestionSetError) as exc:
            raise gr.Error(f"无法读取问题集：{exc}") from exc
        name = self.engine(engine)
        if name == "llm" and not self.assistant.llm_configured():
            raise gr.Error("尚未配置大模型接口，请选择抽取式引擎。")

        def step(done, total):
            progress(done / total, desc=f"第 {done}/{total} 题")

        result = run_retrieval(self.assistant.retriever, questions, progress=step, assistant=self.assistant,
                               engine=name)
        result["summary"].update(engine=name, corpus=[str(c) for c in self.corpora], question_set=path.name)
        out = self.settings.eval_path / "results" / f"web-{time.strftime('%Y%m%d-%H%M%S')}-{path.stem}"
        files = write_report(result, out, title=f"问答评测报告：{path.name}")
        md = (out / "report.md").read_text(encoding="utf-8")
        summary_md = md.split("## 未通过的问题")[0].split("![")[0]
        fails = failures(result)
        fail_md = "\n".join(f"- **{r['id']}** {r['problem']}：{r['question']} → 期望 "
                            f"{'、'.join(r['answers']) or '拒答'}；回答 {r.get('answer', '')[:80]}" for r in fails[:50])
        images = [str(out / n) for n in ("accuracy_by_type.png", "latency.png") if (out / n).exists()]
        return (summary_md, images[0] if images else None, images[1] if len(images) > 1 else None,
                fail_md or "全部通过。", [str(f) for f in files if f.suffix in (".json", ".html", ".md")])


def build(app: WebApp) -> gr.Blocks:
    regions, years, genres = app.choices()
    examples = example_questions(app.assistant.metas, app.assistant.retriever.data.chunks)
    engines = [ENGINE_LABELS["extractive"]] + ([ENGINE_LABELS["llm"]] if app.assistant.llm_configured() else [])
    with gr.Blocks(title="教育局工作文档助手") as demo:
        gr.Markdown("## 教育局工作文档助手\n在本单位的工作计划、总结和报告中提问，回答带出处；资料中没有的会直接说明。")
        with gr.Tab("问答", id="ask"):
            with gr.Row():
                region = gr.Dropdown(regions, value=ALL, label="地区")
                year = gr.Dropdown(years, value=ALL, label="年份")
                genre = gr.Dropdown(genres, value=ALL, label="体裁")
                engine = gr.Radio(engines, value=ENGINE_LABELS.get(app.settings.engine, engines[0]), label="回答引擎",
                                  visible=len(engines) > 1)
            with gr.Row():
                with gr.Column(scale=3):
                    sources = gr.HTML(sources_html(None), render=False, elem_id="sources")
                    chat = gr.ChatInterface(
                        app.chat, additional_inputs=[region, year, genre, engine], additional_outputs=[sources],
                        api_name="chat",
                        textbox=gr.Textbox(placeholder="例如：中方县2023年在编教师多少人？", submit_btn="提问",
                                           stop_btn="停止", elem_id="question"),
                        chatbot=gr.Chatbot(label="对话", height=480, elem_id="chatbot",
                                           examples=[{"text": q} for q in examples] or None,
                                           placeholder="可以问数字、名称、时间、列举和两地对比；回答中的 [1] 可点开看出处。"),
                        concurrency_limit=4, fill_height=False)
                    new = gr.Button("新对话", variant="secondary", elem_id="new-conversation")
                with gr.Column(scale=2):
                    gr.Markdown("### 来源")
                    sources.render()
            new.click(lambda: ([], [], sources_html(None)), None, [chat.chatbot, chat.chatbot_state, sources],
                      api_visibility="private")

        with gr.Tab("起草", id="draft"):
            with gr.Row():
                instruction = gr.Textbox(label="起草要求", scale=4, elem_id="draft-instruction",
                                         placeholder="例如：参照往年表述，为中方县起草2025年校园安全工作计划要点")
                draft_place = gr.Textbox(label="地区（要求中没写时）", scale=1)
                draft_year = gr.Number(label="年份（要求中没写时）", precision=0, scale=1)
            with gr.Row():
                draft_engine = gr.Radio(engines, value=engines[0], label="起草引擎（大模型：在草稿上润色）",
                                        visible=len(engines) > 1)
                draft_btn = gr.Button("起草", variant="primary", elem_id="draft-button")
            draft_info = gr.Markdown()
            with gr.Row():
                with gr.Column(scale=3):
                    draft_md = gr.Markdown(elem_id="draft-text")
                with gr.Column(scale=2):
                    gr.Markdown("### 文字来源")
                    draft_src = gr.HTML(elem_id="draft-sources")
            draft_files = gr.File(label="下载（Word 公文格式 / Markdown）", file_count="multiple")
            draft_btn.click(app.draft, [instruction, draft_place, draft_year, draft_engine],
                            [draft_md, draft_src, draft_info, draft_files], api_name="draft_page", concurrency_limit=2)
            instruction.submit(app.draft, [instruction, draft_place, draft_year, draft_engine],
                               [draft_md, draft_src, draft_info, draft_files], api_name="draft_submit",
                               api_visibility="private")

        with gr.Tab("评测", id="eval"):
            with gr.Row():
                chosen = gr.Dropdown(app.question_sets(), label="问题集（eval/ 中）",
                                     value=(app.question_sets() or [None])[0])
                uploaded = gr.File(label="或上传问题集（JSONL）", file_types=[".jsonl"])
                eval_engine = gr.Radio(engines, value=engines[0], label="回答引擎")
            run = gr.Button("运行评测", variant="primary")
            summary = gr.Markdown()
            with gr.Row():
                chart1 = gr.Image(label="按题型", type="filepath")
                chart2 = gr.Image(label="延迟", type="filepath")
            fails = gr.Markdown()
            downloads = gr.File(label="下载结果与报告", file_count="multiple")
            run.click(app.run_eval, [chosen, uploaded, eval_engine], [summary, chart1, chart2, fails, downloads],
                      api_name="evaluate", concurrency_limit=1)

        with gr.Tab("文档库", id="library"):
            status = gr.Markdown()
            table = gr.Dataframe(app.docs_table(), headers=["文件", "标题", "地区", "年份", "体裁", "片段数", "大小(KB)"],
                                 interactive=False, label="文档")
            with gr.Row():
                files = gr.File(label="上传文档（txt、md、html、docx、pdf）", file_count="multiple")
                with gr.Column():
                    upload_btn = gr.Button("上传并建立索引", variant="primary")
                    reindex_btn = gr.Button("重新建立索引")
            doc = gr.Dropdown(app.doc_names(), label="选择文档", value=None)
            with gr.Row():
                title = gr.Textbox(label="标题")
                region_box = gr.Textbox(label="地区")
                years_box = gr.Textbox(label="年份（如 2023、2024）")
                genre_box = gr.Textbox(label="体裁")
            with gr.Row():
                save_btn = gr.Button("保存元数据")
                delete_btn = gr.Button("删除此文档", variant="stop")
            with gr.Row():
                original = gr.Textbox(label="原文", lines=16, max_lines=30)
                cleaned = gr.Textbox(label="清洗后（检索用）", lines=16, max_lines=30)
            upload_btn.click(app.upload, [files], [status, table, doc], api_name="upload", concurrency_limit=1)
            reindex_btn.click(app.reindex_clicked, None, [status, table], api_name="reindex", concurrency_limit=1)
            doc.change(app.load_meta, [doc], [title, region_box, years_box, genre_box, original, cleaned],
                       api_visibility="private")
            save_btn.click(app.save_meta, [doc, title, region_box, years_box, genre_box], [status, table],
                           api_name="save_metadata", concurrency_limit=1)
            delete_btn.click(app.delete, [doc], [status, table, doc], api_name="delete_document", concurrency_limit=1)

        gr.api(app.ask_api, api_name="ask", concurrency_limit=4)
        gr.api(app.search_api, api_name="search", concurrency_limit=4)
        gr.api(app.draft_api, api_name="draft", concurrency_limit=2)
        gr.api(lambda: app.doc_names(), api_name="documents")
    return demo


def launch(settings: Settings, host: str, port: int, index: Path | None = None, block: bool = True,
           corpora: list[Path] | None = None):
    """Starts the server. Beyond loopback a users file is required (checked by the caller)."""
    users = UsersFile(settings.users_path)
    assistant = Assistant(settings, index)
    app = WebApp(settings, assistant, users, corpora)
    demo = build(app)
    demo.queue(default_concurrency_limit=4)
    auth = app.login if app.users else None
    demo.launch(server_name=host, server_port=port, auth=auth, auth_message="请用管理员分配的账号登录。",
                prevent_thread_lock=not block, show_error=True, quiet=False, head=HEAD_JS, css=CSS,
                allowed_paths=[str(settings.eval_path / "results"), str(settings.drafts_path)],
                footer_links=["api"])
    return demo
