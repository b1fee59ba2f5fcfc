"""Mainland China's provinces as ip2region names them, and their ISO 3166-2:CN codes.

Routing rules match regions by code ("CN-ZJ" lies within "CN"); agents read the
names. Hong Kong, Macao and Taiwan count as countries of their own here (their ISO
3166-1 codes), as the issue asks for province and city in the mainland only.
"""

from __future__ import annotations

PROVINCE_CODES: dict[str, str] = {
    "北京": "BJ", "天津": "TJ", "河北": "HE", "山西": "SX", "内蒙古": "NM", "辽宁": "LN",
    "吉林": "JL", "黑龙江": "HL", "上海": "SH", "江苏": "JS", "浙江": "ZJ", "安徽": "AH",
    "福建": "FJ", "江西": "JX", "山东": "SD", "河南": "HA", "湖北": "HB", "湖南": "HN",
    "广东": "GD", "广西": "GX", "海南": "HI", "重庆": "CQ", "四川": "SC", "贵州": "GZ",
    "云南": "YN", "西藏": "XZ", "陕西": "SN", "甘肃": "GS", "青海": "QH", "宁夏": "NX",
    "新疆": "XJ",
}
OUTSIDE_MAINLAND: dict[str, str] = {"香港": "HK", "澳门": "MO", "台湾": "TW"}
# ip2region writes "浙江省", "广西壮族自治区", "北京市": the short name is the key above.
_SUFFIXES = ("维吾尔自治区", "壮族自治区", "回族自治区", "特别行政区", "自治区", "省", "市")


def short_name(name: str) -> str:
    for suffix in _SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name
