"""Realistic Chinese names for demo people: Faker zh_CN's weighted surnames, given names by generation."""

from __future__ import annotations

import random
from itertools import accumulate

from faker.providers.person.zh_CN import Provider as ChineseNames

SURNAMES = list(ChineseNames.last_names.keys())
SURNAME_WEIGHTS = list(accumulate(ChineseNames.last_names.values()))
SINGLE_CHARACTERS = [n for n in ChineseNames.first_names if len(n) == 1]
TWO_CHARACTERS = [n for n in ChineseNames.first_names if len(n) == 2]

# Given names common among people born 1925-1965, and among children born in the 2020s.
ELDER_FEMALE = [
    "秀英",
    "桂英",
    "秀兰",
    "玉兰",
    "桂兰",
    "淑珍",
    "凤英",
    "玉珍",
    "秀珍",
    "玉梅",
    "凤兰",
    "桂芳",
    "秀云",
    "兰英",
    "翠兰",
    "玉芳",
    "金凤",
    "淑英",
    "秀荣",
    "桂香",
    "梅",
    "兰",
    "芳",
    "英",
    "霞",
    "琴",
]
ELDER_MALE = [
    "建国",
    "建华",
    "国强",
    "德明",
    "志强",
    "永华",
    "文华",
    "国华",
    "明",
    "军",
    "平",
    "伟",
    "福",
    "德",
    "海",
    "成",
    "祥",
    "忠",
    "林",
    "志明",
    "建军",
    "国庆",
    "卫东",
    "振华",
    "德胜",
    "学文",
    "万福",
    "长青",
]
CHILD_FEMALE = [
    "子涵",
    "梓萱",
    "一诺",
    "欣怡",
    "若汐",
    "诗涵",
    "语桐",
    "可馨",
    "梓涵",
    "雨桐",
    "思语",
    "佳怡",
    "安然",
    "沐晴",
    "芷若",
]
CHILD_MALE = [
    "浩宇",
    "宇轩",
    "梓睿",
    "子墨",
    "一鸣",
    "俊熙",
    "沐阳",
    "睿泽",
    "博文",
    "天佑",
    "明轩",
    "皓轩",
    "宇航",
    "子轩",
    "奕辰",
]


def person_name(rng: random.Random, *, female: bool, birth_year: int) -> str:
    surname = rng.choices(SURNAMES, cum_weights=SURNAME_WEIGHTS)[0]
    if rng.random() < 0.3:  # a fair share of names come straight from Faker's given names
        given = rng.choice(SINGLE_CHARACTERS + TWO_CHARACTERS)
    elif birth_year < 1970:
        given = rng.choice(ELDER_FEMALE if female else ELDER_MALE)
    elif birth_year >= 2015:
        given = rng.choice(CHILD_FEMALE if female else CHILD_MALE)
    else:
        given = "".join(rng.choices(SINGLE_CHARACTERS, k=2))
    return surname + given
