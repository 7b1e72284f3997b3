"""The Gradio page: 问答, 起草, 评测, 文档库 tabs and the named API endpoints (`ask`, `search`, `chat`,
`evaluate`, `upload`, …) for gradio_client."""

from __future__ import annotations

import gradio as gr

from .app import WebApp
from .base import ALL, ENGINE_LABELS
from .render import sources_html


def build(app: WebApp) -> gr.Blocks:
    regions, years, genres = app.choices()
    examples = app.examples()
    engines = [ENGINE_LABELS["extractive"]] + ([ENGINE_LABELS["llm"], ENGINE_LABELS["cascade"]]
                                               if app.assistant.llm_configured() else [])
    # Every hour Gradio deletes what its cache got more than a day ago: uploads (read at once by the handlers;
    # refused ones must not pile up) and the copies of drafts and results it serves, whose links a page left open
    # for a day still needs. The cache also has a quota (guards.UploadQuota).
    with gr.Blocks(title="教育局工作文档助手", delete_cache=(3600, 86400)) as demo:
        gr.Markdown("## 教育局工作文档助手\n在本单位的工作计划、总结和报告中提问，回答带出处；资料中没有的会直接说明。")
        notice = gr.Markdown(app.index_notice(), elem_id="index-notice")
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
                # A text box, not gr.Number: a number box shows 0 when empty, which reads as a year asked for.
                draft_year = gr.Textbox(label="年份（要求中没写时）", scale=1, max_lines=1, max_length=4,
                                        placeholder="如 2025；不填按要求或默认")
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
            # Up to 8 users' runs at once, taking turns question by question (fair_share): one run per user; a run
            # waiting for its turn holds a thread and no core.
            run.click(app.run_eval, [chosen, uploaded, eval_engine], [summary, chart1, chart2, fails, downloads],
                      api_name="evaluate", concurrency_limit=8)

        with gr.Tab("文档库", id="library") as library_tab:
            status = gr.Markdown()
            table = gr.Dataframe(app.docs_table(), headers=["文件", "标题", "地区", "年份", "体裁", "片段数", "大小(KB)"],
                                 interactive=False, label="文档")
            with gr.Row():
                files = gr.File(label=f"上传文档（txt、md、html、docx、pdf；每个不超过 {app.settings.max_file_mb:g} MB）",
                                file_count="multiple")
                with gr.Column():
                    upload_btn = gr.Button("上传并建立索引", variant="primary")
                    reindex_btn = gr.Button("重新建立索引")
            # Any name may be sent (the handlers check it exists): a list frozen when the page was built would
            # refuse documents uploaded since, from any other session.
            doc = gr.Dropdown(app.doc_names(), label="选择文档", value=None, allow_custom_value=True)
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
            # What the library holds now, changed from any session: when the page opens, when the tab is shown,
            # and every 30 s while the page is open.
            library_tab.select(app.library_state, None, [notice, table, doc], api_visibility="private")
            gr.Timer(30).tick(app.library_state, None, [notice, table, doc], api_visibility="private",
                              show_progress="hidden", queue=False)
        demo.load(app.page_state, None, [notice, table, doc, region, year, genre], api_visibility="private")

        # Answers are CPU work: more at once than there are cores only makes each wait longer (the load bench).
        answering = app.settings.answer_concurrency
        gr.api(app.ask_api, api_name="ask", concurrency_limit=answering, concurrency_id="answer")
        gr.api(app.search_api, api_name="search", concurrency_limit=answering, concurrency_id="answer")
        gr.api(app.draft_api, api_name="draft", concurrency_limit=2)
        gr.api(app.documents_api, api_name="documents")
    return demo
