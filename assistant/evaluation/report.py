"""A readable evaluation report: Markdown and HTML pages with the tables, PNG charts, and the failures."""

from __future__ import annotations

import html
import json
from pathlib import Path

from ..text.markup import escape_markdown as e
from ..text.markup import unescape_markdown

TYPE_NAMES = {"figure": "数字", "fact": "事实", "list": "列举", "name": "名称", "when": "时间",
              "comparison": "对比", "unanswerable": "无答案"}

METRICS = [  # key, label, is a rate
    ("wrong_answers_shown", "错误答案展示率（答错的可回答题 + 未拒答的无答案题，占全部问题）", True),
    ("answer_accuracy", "答案准确率", True),
    ("citation_accuracy", "引用正确率", True),
    ("correct_cited", "正确答案中引用正确的比例", True),
    ("refusal_rate", "无答案问题的拒答率", True),
    ("false_refusal_rate", "可回答问题的误拒率", True),
    ("year_named", "未给年份（或相对年份）的问题中，答案写明数据年份的比例", True),
    ("hit@1", "检索 hit@1", True),
    ("hit@5", "检索 hit@5", True),
    ("mrr@10", "检索 MRR@10", False),
    ("answer_latency_p50_ms", "回答延迟 p50（毫秒）", False),
    ("answer_latency_p95_ms", "回答延迟 p95（毫秒）", False),
    ("latency_p50_ms", "检索延迟 p50（毫秒）", False),
]


def _fmt(value, rate: bool) -> str:
    if value is None:
        return "—"
    return f"{value:.1%}" if rate else f"{value:,.3f}".rstrip("0").rstrip(".")


def _charts(result: dict, out: Path) -> list[tuple[str, str]]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    charts = []
    by_type = result["summary"].get("by_type", {})
    types = [t for t in by_type if by_type[t].get("answerable", t != "unanswerable")]
    # Labels stay ASCII: the machines this runs on may have no CJK font.
    if types and "answer_accuracy" in next(iter(by_type.values())):
        fig, ax = plt.subplots(figsize=(7, 3.6))
        xs = range(len(types))
        acc = [by_type[t].get("answer_accuracy", 0) for t in types]
        cit = [by_type[t].get("citation_accuracy", 0) for t in types]
        hit = [by_type[t].get("hit@5", 0) for t in types]
        ax.bar([x - 0.27 for x in xs], acc, 0.27, label="answer accuracy")
        ax.bar(list(xs), cit, 0.27, label="citation accuracy")
        ax.bar([x + 0.27 for x in xs], hit, 0.27, label="retrieval hit@5")
        ax.set_xticks(list(xs), [f"{t}\n(n={by_type[t]['questions']})" for t in types])
        ax.set_ylim(0, 1.05)
        ax.legend(loc="lower right", fontsize=8)
        ax.set_title("Accuracy by question type")
        fig.tight_layout()
        fig.savefig(out / "accuracy_by_type.png", dpi=110)
        plt.close(fig)
        charts.append(("accuracy_by_type.png", "按题型的答案准确率、引用正确率与检索命中率"))
    lat = [r.get("answer_latency_ms", r["latency_ms"]) for r in result["results"]]
    if lat:
        fig, ax = plt.subplots(figsize=(7, 3.2))
        ax.hist(lat, bins=min(30, max(5, len(lat) // 4)), color="#4c72b0")
        ax.set_xlabel("latency per question (ms)")
        ax.set_ylabel("questions")
        ax.set_title("Answer latency")
        fig.tight_layout()
        fig.savefig(out / "latency.png", dpi=110)
        plt.close(fig)
        charts.append(("latency.png", "每题回答延迟分布"))
    return charts


def failures(result: dict) -> list[dict]:
    rows = []
    for r in result["results"]:
        if "answer" not in r:
            if r["answerable"] and not (r["hit_rank"] and r["hit_rank"] <= 5):
                rows.append({**r, "problem": "检索未命中"})
            continue
        if r.get("error"):
            rows.append({**r, "problem": "出错：" + r["error"]})
        elif r["answerable"] and r["refused"]:
            rows.append({**r, "problem": "误拒答"})
        elif r["answerable"] and r["answer_score"] < 1.0:
            rows.append({**r, "problem": "答案不完整" if r["answer_score"] > 0 else "答案错误"})
        elif r["answerable"] and not r["citation_correct"]:
            rows.append({**r, "problem": "引用不对"})
        elif not r["answerable"] and not r["refused"]:
            rows.append({**r, "problem": "应拒答却作答"})
    return rows


def write_report(result: dict, out_dir: Path, title: str = "问答评测报告") -> list[Path]:
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    s = result["summary"]
    charts = _charts(result, out)
    md = [f"# {e(title)}", ""]
    meta = [f"问题 {s['questions']} 个（可回答 {s['answerable']}，无答案 {s['unanswerable']}）"]
    if s.get("engine"):
        meta.append(f"引擎：{s['engine']}")
    if s.get("corpus"):
        meta.append("文档库：" + "、".join(e(Path(c).name) for c in s["corpus"]))  # names, not server paths
    md += ["；".join(meta), "", "## 总体", "", "| 指标 | 数值 |", "|---|---|"]
    md += [f"| {label} | {_fmt(s.get(key), rate)} |" for key, label, rate in METRICS if key in s]
    by_type = s.get("by_type", {})
    if by_type:
        per_type = ("wrong_answers_shown", "answer_accuracy", "citation_accuracy", "correct_cited", "refusal_rate",
                    "false_refusal_rate", "hit@1", "hit@5")
        cols = [(k, lbl, rate) for k, lbl, rate in METRICS if k in per_type and any(k in b for b in by_type.values())]
        md += ["", "## 按题型", "", "| 题型 | 数量 | " + " | ".join(lbl for _, lbl, _ in cols) + " |",
               "|---|---|" + "---|" * len(cols)]
        for t, b in by_type.items():
            md.append(f"| {e(TYPE_NAMES.get(t, t))}（{e(t)}） | {b['questions']} | "
                      + " | ".join(_fmt(b.get(k), rate) for k, _, rate in cols) + " |")
    if s.get("first_turns") or s.get("follow_ups"):
        keys = ("answer_accuracy", "wrong_answers_shown", "false_refusal_rate", "refusal_rate", "year_named")
        cols = [(k, lbl, rate) for k, lbl, rate in METRICS if k in keys]
        md += ["", f"## 首轮与追问（{s.get('dialogues', 0)} 段对话）", "",
               "| 轮次 | 数量 | " + " | ".join(lbl for _, lbl, _ in cols) + " |", "|---|---|" + "---|" * len(cols)]
        for name, key in (("首轮", "first_turns"), ("追问", "follow_ups")):
            part = s.get(key) or {}
            if part:
                md.append(f"| {name} | {part['questions']} | " + " | ".join(_fmt(part.get(k), r) for k, _, r in cols) + " |")
    for name, caption in charts:
        md += ["", f"![{caption}]({name})", "", f"*{caption}*"]
    fails = failures(result)
    md += ["", f"## 未通过的问题（{len(fails)}）", ""]
    if not fails:
        md.append("全部通过。")
    for r in fails:
        # What the question set and the answers say is shown as text, never as Markdown or HTML of its own.
        md += [f"### {e(r['id'])} · {e(r['problem'])}", "", f"- 问题：{e(r['question'])}",
               f"- 期望：{e('、'.join(r['answers'])) if r['answers'] else '（应拒答）'}"
               + (f"（{e('、'.join(r['gold_docs']))}）" if r["gold_docs"] else "")]
        if "answer" in r:
            md.append(f"- 回答：{e(r['answer']) or '（空）'}")
            for c in r.get("citations", [])[:3]:
                md.append(f"  - \\[{c['n']}\\] {e(c['title'])}｜{e(c['section'] or '正文')}｜{e(c['quote'][:80])}")
        top = r["retrieved"][0] if r["retrieved"] else None
        if top:
            md.append(f"- 检索第一：{e(top['doc'])}｜{e(top['section'] or '正文')}（正确段落排名：{r['hit_rank'] or '前10未出现'}）")
        md.append("")
    md_path = out / "report.md"
    md_path.write_text("\n".join(md), encoding="utf-8")
    html_path = out / "report.html"
    html_path.write_text(_html(title, md), encoding="utf-8")
    json_path = out / "results.json"
    json_path.write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    return [md_path, html_path, json_path] + [out / name for name, _ in charts]


def _text(md: str) -> str:
    """A line of the report's Markdown as HTML text: its escapes undone, then everything escaped."""
    return html.escape(unescape_markdown(md))


def _html(title: str, md_lines: list[str]) -> str:
    """A small Markdown subset (headings, tables, lists, images) is all the report uses."""
    body, table = [], []

    def flush_table():
        if table:
            rows = [r for r in table if not set(r.replace("|", "").strip()) <= set("-")]
            cells = [[_text(c.strip()) for c in r.strip().strip("|").split("|")] for r in rows]
            head = "".join(f"<th>{c}</th>" for c in cells[0])
            rest = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in cells[1:])
            body.append(f"<table><thead><tr>{head}</tr></thead><tbody>{rest}</tbody></table>")
            table.clear()

    for line in md_lines:
        if line.startswith("|"):
            table.append(line)
            continue
        flush_table()
        if line.startswith("#"):
            level = len(line) - len(line.lstrip("#"))
            body.append(f"<h{level}>{_text(line[level:].strip())}</h{level}>")
        elif line.startswith("!["):
            alt, src = line[2:].split("](", 1)
            body.append(f'<p><img src="{html.escape(src.rstrip(")"))}" alt="{html.escape(alt)}"></p>')
        elif line.lstrip().startswith("- "):
            indent = " style=\"margin-left:2em\"" if line.startswith("  ") else ""
            body.append(f"<div{indent}>• {_text(line.lstrip()[2:])}</div>")
        elif line.strip():
            body.append(f"<p>{_text(line.strip('*'))}</p>")
    flush_table()
    style = ("body{font-family:'Noto Sans CJK SC','Microsoft YaHei',sans-serif;max-width:980px;margin:2em auto;"
             "line-height:1.6}table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:4px 10px}"
             "th{background:#f3f3f3}img{max-width:100%}")
    return (f"<!doctype html><html lang=\"zh-CN\"><head><meta charset=\"utf-8\"><title>{html.escape(title)}</title>"
            f"<style>{style}</style></head><body>{''.join(body)}</body></html>")
