"""What a sentence states: a measure (要、将、推进、落实…: what a plan says it will do) or a result (已、累计、获评、
了…: what a summary reports as done). A plan's sections want measures, a summary's 主要成效 wants results; a
sentence of the other kind is left out of that section."""

from __future__ import annotations

import re

# Done: 已经、累计、获评, a figure after 了, 了 closing a clause.
RESULT_RE = re.compile(r"已经|已(?=[经有达完建实成形获将被])|累计|先后|获评|荣获|被评为|被确定为|入选|获批|成功(?:举办|创建|获|入选)|"
                       r"取得了?|实现了|完成了|达到了|建成了|新增了|[^为]了\d|[^为与除]了[，,。；;]|共计|共(?:开展|完成|建成|新增|培训|组织|举办|投入|发放|排查|检查|创建|资助|招聘|引进)|同比|较上年|比上年|"
                       r"获[\u4e00-\u9fff]{0,10}(?:奖|案例|称号|表彰|立项|命名)|被[^，,。]{0,14}(?:评为|作为|确定为|列为|授予|推广|推介|发布)|截至|目前|一年来|过去一年|今年以来|\d{4}年以来|未发生|无一例|\d+余[个所名人次场项家件]|"
                       r"(?:成立|开展|建立|建成|完成|实现|组织|举办|出台|制定|印发|召开|打造|创建|评选|获得|落实|推进|投入|"
                       r"发放|新增|改造|培训|引进|招聘|新建|启动|形成|构建|开通|上线)了|(?<![为除到])了(?![解])")
# To do: a plan's verbs and modal words, at the start of the sentence or of its first clause after a lead-in.
MEASURE_RE = re.compile(r"(?:^|[，,：:；;])\s*(?:要|将|须|必须|继续|持续|进一步|全面|深入|扎实|大力|积极|加快|加强|推进|推动|"
                        r"落实|完善|健全|深化|实施|开展|建立|构建|打造|强化|提升|提高|坚持|严格|规范|优化|扩大|巩固|"
                        r"创建|探索|引导|鼓励|支持|做好|抓好|办好|统筹|聚焦|压实|确保|力争|争取|启动|组织|指导|落细|"
                        r"着力|狠抓|筑牢|守牢|用好|发挥|健全|推行|督促|完善|配齐|配强|建好|管好|落地)")
FUTURE_RE = re.compile(r"计划|力争|争取|确保|将|要|拟")
# Intent opening a clause (计划从今年起……, 力争……): 特岗计划 or 重要 say nothing of what is to come.
INTENT_RE = re.compile(r"(?:^|[，,；;：:])\s*(?:下一步|今后|明年|将|要|拟|计划|力争|争取)(?![求点])")
# What a review says was done, as the deed itself: the verbs a clause may open with once its tally is gone.
DEED_RE = re.compile(MEASURE_RE.pattern.replace(r"(?:^|[，,：:；;])\s*", "^") + r"|^(?:举办|召开|取缔|关停|查处|"
                     r"开设|设立|成立|出台|制定|印发|推出|评选|选派|培训|招聘|引进|新建|改建|扩建|改造|建设|"
                     r"组建|开通|上线|举行|承办|遴选|认定|命名|表彰|慰问|资助|发放|减免|排查|整治|督查|检查)")
# The tally and timing a review adds to a deed: 一年来, 全县共, 了, 500所, 第八届.
TALLY_LEAD_RE = re.compile(r"^(?:一年来|今年以来|近年来|\d{4}年(?:以来)?|[春秋]季|目前|全(?:市|县|区|州|省|旗)|"
                           r"在全(?:国|省|市|区)(?:率先)?|率先|各地|共计|累计|先后|共|已经|已|成功|首次|相继|均)+")
TALLY_RE = re.compile(r"(?:共计|累计|共|达到?|超过|近|约)?\d[\d.,，]*(?:余|多)?(?:万|亿|千|百)?"
                      r"(?:人次|个|所|名|人|次|场|项|家|件|元|户|篇|条|期|批|台|套|间|支|节|门|份|处|起|类|种|座|亩|"
                      r"平方米|小时|天|周|年|%)?")
ORDINAL_RE = re.compile(r"(?:首届|第[一二三四五六七八九十\d]+(?:届|期|批|轮|次))")
PAST_LE_RE = re.compile(r"(?<=[\u4e00-\u9fff])(?<![为除到])了(?!解)")


def statement_kind(text: str) -> str:
    """"result", "measure" or "" (neither can be told: 新增学位3000个 is a target in a plan and a result in a
    summary)."""
    if RESULT_RE.search(text):
        return "result"
    if MEASURE_RE.search(text) or FUTURE_RE.search(text):
        return "measure"
    return ""


def as_measure(text: str) -> str:
    """A review's sentence as the measures it reports: each clause that opens with a deed once its tally (一年来,
    全县共, 了, figures, 第八届) is taken out; "" when no clause is left (工作成效明显, 95所学校全部注销).
    Clauses that still hold a figure or a result word are left out, so nothing done is restated as new."""
    kept = []
    for clause in re.split(r"[，,；;。]", text):
        clause = TALLY_LEAD_RE.sub("", clause.strip())
        deed = DEED_RE.match(clause)
        if deed:  # 组织1200多名教师 → 组织教师
            clause = clause[: deed.end()] + re.sub("^" + TALLY_RE.pattern, "", clause[deed.end():])
        clause = ORDINAL_RE.sub("", PAST_LE_RE.sub("", clause))
        clause = re.sub(r"(?:等)?\s*" + TALLY_RE.pattern + r"$", "", clause) if re.search(r"\d", clause) else clause
        if len(clause) < 4 or re.search(r"\d", clause) or RESULT_RE.search(clause) or not DEED_RE.search(clause):
            continue
        kept.append(clause)
    said = "，".join(kept)
    return said + "。" if len(said) >= 8 else ""


def reports_work(text: str, mode: str) -> bool:
    """A review's account of how the work was done (推动家校医协同，建立……机制): a summary may say it as it stands,
    though its verbs read like a plan's, unless it speaks of what is still to come (将、计划、力争)."""
    return mode == "result" and not INTENT_RE.search(text)


def fits(text: str, wanted: str, mode: str = "") -> bool:
    """Whether a sentence may stand in a section that wants `wanted` statements ("measure" or "result"): by its
    own words, else by where it stands (`mode`, "plan" or "result"): a sentence that says neither, 新增学位20.7万个,
    is a result in a review and a target in a plan."""
    kind = statement_kind(text)
    if kind:
        return kind == wanted
    return mode != {"measure": "result", "result": "plan"}[wanted]
