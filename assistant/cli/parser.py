"""The `assistant` command line: every command, its arguments and flags."""

from __future__ import annotations

import argparse

from .ask import cmd_ask
from .calibrate import cmd_calibrate
from .calibrate_cascade import cmd_calibrate_cascade
from .drafting import cmd_draft
from .evaluation import cmd_eval, cmd_eval_draft
from .models import cmd_check, cmd_export_embedding, cmd_llm_server
from .search import cmd_index, cmd_search
from .serve import cmd_serve, cmd_users
from .verifier import cmd_train_verifier


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="assistant", description="教育局工作文档问答助手")
    p.add_argument("-v", "--verbose", action="store_true", help="输出调试日志")
    sub = p.add_subparsers(dest="command", required=True)

    def corpus_opts(sp):
        sp.add_argument("--corpus", action="append", metavar="DIR", help="文档目录（可重复；默认 corpus/）")
        sp.add_argument("--index", metavar="DIR", help="索引目录（默认 index/）")

    def filter_opts(sp):
        sp.add_argument("--region", help="只看这个地区的文档")
        sp.add_argument("--year", type=int, help="只看涉及这一年的文档")
        sp.add_argument("--genre", help="只看这类文档（如 工作要点、工作总结）")
        sp.add_argument("--doc", action="append", help="只在这些文档（文件名）中检索")

    sp = sub.add_parser("index", help="建立或增量更新索引")
    corpus_opts(sp)
    sp.set_defaults(func=cmd_index)

    sp = sub.add_parser("search", help="检索相关段落（不带问题则进入交互模式）")
    sp.add_argument("question", nargs="?")
    sp.add_argument("--k", type=int, default=5)
    sp.add_argument("--json", action="store_true")
    filter_opts(sp)
    corpus_opts(sp)
    sp.set_defaults(func=cmd_search)

    sp = sub.add_parser("ask", help="提问，得到带引用的简短回答（不带问题则进入对话模式，可追问）")
    sp.add_argument("question", nargs="?")
    sp.add_argument("--engine", choices=["extractive", "llm", "cascade"],
                    help="回答引擎（默认取设置 engine）；cascade：抽取式有把握时直接回答，其余交给大模型")
    sp.add_argument("--json", action="store_true")
    filter_opts(sp)
    corpus_opts(sp)
    sp.set_defaults(func=cmd_ask)

    sp = sub.add_parser("eval", help="用问题集评测检索与回答")
    sp.add_argument("questions")
    sp.add_argument("--out", required=True, help="结果 JSON")
    sp.add_argument("--report", metavar="DIR", help="另写一份可读报告（Markdown、HTML、图表）到此目录")
    sp.add_argument("--engine", choices=["extractive", "llm", "cascade"])
    sp.add_argument("--retrieval-only", action="store_true", help="只评测检索")
    corpus_opts(sp)
    sp.set_defaults(func=cmd_eval)

    sp = sub.add_parser("calibrate", help="在开发集上校准回答的权重与拒答阈值（不要用测试集）")
    sp.add_argument("questions", nargs="+", help="一个或多个开发问题集（JSONL）")
    sp.add_argument("--max-false-refusals", type=float, default=0.05, help="可接受的误拒率（默认 0.05）")
    sp.add_argument("--allow-test", action="store_true", help="允许文件名含 test 的问题集（仅供核对，不要据此调参）")
    sp.add_argument("--verifier-only", action="store_true",
                    help="只选答案核验模型的权重与门限（及拒答阈值），其余权重保持当前设置")
    corpus_opts(sp)
    sp.set_defaults(func=cmd_calibrate)

    sp = sub.add_parser("calibrate-cascade", help="用开发集上两种引擎的评测结果校准级联的阈值（不要用测试集）")
    sp.add_argument("--extractive", nargs="+", required=True, help="--engine extractive 的评测结果 JSON")
    sp.add_argument("--llm", nargs="+", required=True, help="同一批问题集 --engine llm 的评测结果 JSON")
    sp.add_argument("--max-false-refusals", type=float, default=0.05, help="可接受的误拒率（默认 0.05）")
    sp.add_argument("--allow-test", action="store_true", help="允许文件名含 test 的结果（仅供核对）")
    sp.set_defaults(func=cmd_calibrate_cascade)

    sp = sub.add_parser("train-verifier", help="用版本库中的训练数据重新训练答案核验模型并导出 ONNX int8（CPU 上约一小时）")
    sp.add_argument("--data", metavar="DIR", help="训练数据目录（默认 eval/training/verifier/）")
    sp.add_argument("--dev", metavar="JSONL", default="eval/verifier_dev.jsonl", help="开发文档的问题集（只评测，不训练）")
    sp.add_argument("--epochs", type=float, default=2.0)
    sp.add_argument("--max-length", type=int, default=144, help="问题加候选句的最大词元数")
    sp.add_argument("--learning-rate", type=float, default=4e-5)
    sp.add_argument("--init", metavar="DIR", help="从此前训练好的模型（Hugging Face 格式）继续训练，而不是从 m3e-small 开始")
    sp.add_argument("--max-pairs", type=int, default=0, help="只用前 N 对（冒烟测试）")
    sp.add_argument("--work", metavar="DIR", help="中间文件目录（默认 build/verifier/）")
    sp.add_argument("--out", metavar="DIR", help="导出目录（默认覆盖随包的 assistant/resources/verifier/）")
    corpus_opts(sp)
    sp.set_defaults(func=cmd_train_verifier)

    sp = sub.add_parser("draft", help="参照往年表述起草工作计划、要点或总结（每段注明出处）")
    sp.add_argument("instruction", help="例如：参照往年表述，为中方县起草2025年校园安全工作计划要点")
    sp.add_argument("--engine", choices=["extractive", "llm"], help="llm：在抽取式草稿上由大模型润色")
    sp.add_argument("--place", help="地区（指令中没有写时）")
    sp.add_argument("--year", type=int, help="年份（指令中没有写时）")
    sp.add_argument("--docx", metavar="OUT.docx", help="另存为公文格式的 Word 文件")
    sp.add_argument("--md", metavar="OUT.md", help="另存为 Markdown")
    sp.add_argument("--json", action="store_true")
    corpus_opts(sp)
    sp.set_defaults(func=cmd_draft)

    sp = sub.add_parser("eval-draft", help="用起草任务集评测草稿")
    sp.add_argument("tasks")
    sp.add_argument("--out", required=True)
    sp.add_argument("--engine", choices=["extractive", "llm"])
    corpus_opts(sp)
    sp.set_defaults(func=cmd_eval_draft)

    sp = sub.add_parser("serve", help="启动网页（默认 http://127.0.0.1:7860）")
    sp.add_argument("--host", default="127.0.0.1", help="监听地址；非本机地址必须先用 assistant users add 建立用户")
    sp.add_argument("--port", type=int, default=7860)
    corpus_opts(sp)
    sp.set_defaults(func=cmd_serve)

    sp = sub.add_parser("users", help="管理网页登录用户（密码只保存哈希）")
    sp.add_argument("action", choices=["add", "remove", "list"])
    sp.add_argument("name", nargs="?", default="")
    sp.add_argument("--role", choices=["staff", "admin"], default="staff",
                    help="staff：问答、起草、评测；admin：另可修改文档库")
    sp.add_argument("--password-stdin", action="store_true", help="从标准输入读一行作为密码（脚本用）")
    sp.set_defaults(func=cmd_users)

    sp = sub.add_parser("llm-server", help="启动内置本地模型的 OpenAI 兼容服务（需安装 .[llm]）")
    sp.add_argument("--model", help="0.5b、1.5b 或 .gguf 文件路径（默认取设置 local_model）")
    sp.add_argument("--host", default="127.0.0.1")
    sp.add_argument("--port", type=int)
    sp.add_argument("--api-key", help="要求调用方提供此密钥")
    sp.set_defaults(func=cmd_llm_server)

    sp = sub.add_parser("export-embedding", help="从已安装的模型文件生成嵌入模型的 ONNX int8 导出（安装时运行；已是最新则不做事）")
    sp.add_argument("--force", action="store_true", help="即使已是最新也重新生成")
    sp.set_defaults(func=cmd_export_embedding)

    sp = sub.add_parser("check", help="校验嵌入模型文件及其 ONNX int8 导出；--llm 另在子进程中试运行本地模型，确认编译版本能在本机 CPU 上运行")
    sp.add_argument("--llm", action="store_true", help="同时自检本地大模型（需安装 .[llm]）")
    sp.add_argument("--model", help="0.5b、1.5b 或 .gguf 文件路径（默认取设置 local_model）")
    sp.set_defaults(func=cmd_check)
    return p
