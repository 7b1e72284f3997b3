"""评测: run a question set from eval/ (or an uploaded one) with a progress bar; tables, charts, failures and
downloads of the results and report."""

from __future__ import annotations

from pathlib import Path

import gradio as gr

from ..evaluation.dialogues import is_dialogue_set
from ..evaluation.questions import is_question_set, is_test_split
from ..ingest.store import IndexMissing
from ..text.markup import escape_markdown as e
from .base import WebBase
from .fair_share import AlreadyRunning


class EvalHandlers(WebBase):
    def question_sets(self) -> list[str]:
        """The question and dialogue sets of eval/ (drafting task sets and training records are other kinds of
        file), the ones not held out first."""
        folder = self.settings.eval_path
        found = [p for p in folder.glob("**/*.jsonl") if "results" not in p.parts and "training" not in p.parts
                 and (is_question_set(p) or is_dialogue_set(p))]
        return sorted((str(p.relative_to(folder)) for p in found), key=lambda n: (is_test_split(n), n))

    def run_eval(self, chosen, uploaded, engine, request: gr.Request = None, progress=gr.Progress()):
        self.require_user(request)
        path = Path(getattr(uploaded, "name", uploaded)) if uploaded else (
            self.settings.eval_path / chosen if chosen else None)
        if path is None:
            raise gr.Error("请选择或上传一个问题集（JSONL）。")
        me = self.owner(request)
        try:
            if uploaded and not self.staging.may_use(path, me, self.role(request) == "admin"):
                raise gr.Error("找不到这个上传的问题集，请重新上传。")  # another user's upload is not yours to read
            return self._run_eval(path, engine, request, progress)
        finally:
            if uploaded:  # read or refused: the upload is not kept in the staging area
                self.staging.release([path], me)

    def _run_eval(self, path: Path, engine, request, progress):
        from ..evaluation.answers import run_retrieval
        from ..evaluation.dialogues import read_dialogues, run_dialogues
        from ..evaluation.questions import QuestionSetError, read_questions
        from ..evaluation.report import failures, write_report

        dialogues = None
        try:
            if is_dialogue_set(path):
                dialogues = read_dialogues(path)
                questions = [t for d in dialogues for t in d.turns]
            else:
                questions = read_questions(path)
        except UnicodeDecodeError as exc:
            raise gr.Error("无法读取问题集：文件不是 UTF-8 编码的文本。") from exc
        except OSError as exc:
            raise gr.Error("无法读取问题集：文件打不开，请重新上传。") from exc
        except QuestionSetError as exc:
            raise gr.Error(f"无法读取问题集：{exc}") from exc
        long = next((q for q in questions if len(q.question) > self.settings.max_question_chars), None)
        if long is not None:
            raise gr.Error(f"问题集中第 {long.id} 题太长（{len(long.question)} 字），每题不超过 "
                           f"{self.settings.max_question_chars} 字。")
        if len(questions) > self.settings.max_eval_questions:
            raise gr.Error(f"问题集太大（{len(questions)} 题），每次最多评测 {self.settings.max_eval_questions} 题，请拆分后再试。")
        name = self.engine(engine)
        if name in ("llm", "cascade") and not self.assistant.llm_configured():
            raise gr.Error("尚未配置大模型接口，请选择抽取式引擎。")

        try:
            with self.eval_turns.run(self.owner(request)) as turns:
                def step(done, total):
                    progress(done / total, desc=f"第 {done}/{total} 题")
                    turns.next()  # other users' runs answer a question each before this one goes on

                if dialogues is not None:
                    result = run_dialogues(self.assistant, dialogues, name, progress=step)
                else:
                    result = run_retrieval(self.assistant.retriever, questions, progress=step,
                                           assistant=self.assistant, engine=name)
        except (AlreadyRunning, IndexMissing) as exc:
            raise gr.Error(str(exc)) from exc
        result["summary"].update(engine=name, corpus=[str(c) for c in self.corpora], question_set=path.name)
        out = self.user_folder(self.settings.results_path, request)
        kind = "对话评测报告" if dialogues is not None else "问答评测报告"
        files = write_report(result, out, title=f"{kind}：{path.name}")
        md = (out / "report.md").read_text(encoding="utf-8")
        summary_md = md.split("## 未通过的问题")[0].split("![")[0]
        fails = failures(result)
        fail_md = "\n".join(f"- **{e(r['id'])}** {r['problem']}：{e(r['question'])} → 期望 "
                            f"{e('、'.join(r['answers'])) or '拒答'}；回答 {e(r.get('answer', '')[:80])}" for r in fails[:50])
        images = self.hand_out(request, [str(out / n) for n in ("accuracy_by_type.png", "latency.png")
                                         if (out / n).exists()])
        downloads = self.hand_out(request, [str(f) for f in files if f.suffix in (".json", ".html", ".md")])
        return (summary_md, images[0] if images else None, images[1] if len(images) > 1 else None,
                fail_md or "全部通过。", downloads)
