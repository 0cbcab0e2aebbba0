"""Area-code arithmetic (core/areacode.py), pinned to the 统计用区划代码 layout: 2+2+2+3+3 digits."""

from laoxiao.core import areacode

VILLAGE = "640104001002"  # 宁夏 · 银川市 · 兴庆区 · 凤凰北街街道 · 崇安社区


def test_a_code_is_cut_at_its_level_and_padded_back():
    assert [areacode.prefix(VILLAGE, level) for level in areacode.LENGTH] == [
        "64",
        "6401",
        "640104",
        "640104001",
        "640104001002",
    ]
    assert areacode.code_of("6401") == "640100000000" and areacode.last_code("6401") == "640199999999"
    assert areacode.county(VILLAGE) == "640104" and areacode.at_level(VILLAGE, "township") == "640104001000"


def test_ancestors_run_from_the_province_down_and_leave_out_the_area_itself():
    assert areacode.ancestors(VILLAGE) == ["640000000000", "640100000000", "640104000000", "640104001000"]
    assert areacode.ancestors("640104000000") == ["640000000000", "640100000000"]
