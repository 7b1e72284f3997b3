"""Metadata extracted from the seed documents, and sidecar overrides."""

import json
import shutil

import pytest

from assistant.text.clean import clean
from assistant.ingest.load import load_file
from assistant.ingest.metadata import extract_metadata

from .conftest import CORPUS, EXTRA, SEEDS


def meta(path):
    raw = load_file(path)
    return extract_metadata(raw, clean(raw.text))


@pytest.mark.parametrize("name,region,years,genre", [
    ("zhongfang", "中方县", [2023, 2024], "工作总结及计划"),
    ("zhuzhou", "株洲市", [2023], "新闻报道"),
    ("jingzhou", "荆州市", [2024], "新闻报道"),
    ("huangshi", "黄石市", [2024], "工作要点"),
    ("xinzhou", "忻州市", [], "新闻报道"),
])
def test_seed_metadata(name, region, years, genre):
    m = meta(CORPUS / SEEDS[name])
    assert m.region == region
    assert m.years == years
    assert m.genre == genre
    assert m.title and m.sha256 and m.filename == SEEDS[name]


def test_title_from_first_line_and_from_subtitle():
    assert meta(CORPUS / SEEDS["zhongfang"]).title.startswith("中方縣教育局2023年工作總結")
    assert "荆州市教育改革发展工作纪实" in meta(CORPUS / SEEDS["jingzhou"]).title


def test_sidecar_overrides(tmp_path):
    src = CORPUS / SEEDS["zhuzhou"]
    dest = tmp_path / src.name
    shutil.copy(src, dest)
    (tmp_path / (src.name + ".meta.json")).write_text(json.dumps({"title": "株洲教育年度综述", "years": [2022, 2023]}, ensure_ascii=False), encoding="utf-8")
    m = meta(dest)
    assert m.title == "株洲教育年度综述" and m.years == [2022, 2023] and m.region == "株洲市"


def test_broken_sidecar_is_ignored(tmp_path):
    src = CORPUS / SEEDS["zhuzhou"]
    shutil.copy(src, tmp_path / src.name)
    (tmp_path / (src.name + ".meta.json")).write_text("{not json", encoding="utf-8")
    assert meta(tmp_path / src.name).region == "株洲市"


@pytest.mark.skipif(not EXTRA.is_dir(), reason="../shared/extra-corpus not present")
@pytest.mark.parametrize("file,region", [
    ("001_urumqi_2024_gov_work_report.txt", "乌鲁木齐市"),
    ("009_shenzhen_2024_gov_work_report.txt", "深圳市"),
    ("006_qiandongnan_2024_gov_work_report.txt", "黔东南苗族侗族自治州"),
    ("024_national_2019_gov_work_report.txt", "全国"),
    # Written 凉山 and 全州 (the whole prefecture) throughout; its seat 西昌市 is named less often.
    ("005_liangshan_2024_gov_work_report.txt", "凉山彝族自治州"),
])
def test_extra_corpus_regions(file, region):
    m = meta(EXTRA / file)
    assert m.region == region and m.genre == "政府工作报告"


@pytest.mark.skipif(not EXTRA.is_dir(), reason="../shared/extra-corpus not present")
@pytest.mark.parametrize("file", ["009_shenzhen_2024_gov_work_report.txt", "012_wuhan_2024_gov_work_report.txt"])
def test_a_report_is_about_the_year_it_reviews_and_the_year_it_plans(file):
    # 一、2023年工作回顾 … 二、2024年工作安排: both years, however often each is named.
    assert {2023, 2024} <= set(meta(EXTRA / file).years)


def test_autonomous_places_have_their_short_names():
    from assistant.text.gazetteer import load_gazetteer, short_name

    assert short_name("凉山彝族自治州") == "凉山" and short_name("黔东南苗族侗族自治州") == "黔东南"
    assert short_name("恩施土家族苗族自治州") == "恩施" and short_name("株洲市") == "株洲"
    gaz = load_gazetteer()
    assert [p.name for p, _, _ in gaz.find("凉山州和凉山")] == ["凉山彝族自治州", "凉山彝族自治州"]
    assert not gaz.find("全州上下")  # the whole prefecture, not 全州县
