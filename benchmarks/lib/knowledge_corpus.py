"""A generated knowledge base with paraphrased questions, for the knowledge search's hit
rate (benchmarks/knowledge_search.py, tests/unit/test_knowledge_search_hit_rate.py).

Deterministic (one seeded Random): products x tasks, in Chinese and English. Each
article is "how to <task> <product>", with the task's usual wording in its title,
questions and keywords, another wording among its synonyms, and a body that names
both. A paraphrase asks the same thing as a visitor would, in words other than the
title's: the product (sometimes by its nickname from the center dictionary) and the
task in its other wording, with the filler of a question around them. Every article
shares its product with the product's other tasks and its task with the other
products, so only an article holding both is a right answer: a search that counts
words without weighing what they cover ranks the wrong ones first.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

# (product, nickname the dictionary knows or None)
PRODUCTS_ZH = [("扫地机器人", "扫地机"), ("空气净化器", None), ("智能音箱", "小音箱"), ("电动牙刷", None),
               ("蓝牙耳机", "耳机"), ("智能手表", "手表"), ("净水器", None), ("洗碗机", None),
               ("投影仪", None), ("路由器", "无线路由"), ("电饭煲", None), ("加湿器", None),
               ("体脂秤", None), ("行车记录仪", "记录仪"), ("门铃摄像头", "可视门铃"), ("电热水器", "热水器"),
               ("空调伴侣", None), ("智能门锁", "指纹锁"), ("平板电脑", "平板"), ("游戏手柄", "手柄")]
PRODUCTS_EN = [("robot vacuum", "roomba"), ("air purifier", None), ("smart speaker", "speaker"),
               ("electric toothbrush", None), ("wireless earbuds", "earbuds"), ("smartwatch", "watch"),
               ("water filter", None), ("dishwasher", None), ("projector", None), ("router", "wifi"),
               ("rice cooker", None), ("humidifier", None), ("bathroom scale", "scale"),
               ("dashcam", None), ("video doorbell", "doorbell"), ("water heater", "boiler"),
               ("thermostat", None), ("smart lock", "deadbolt"), ("tablet", "ipad"), ("game controller", "gamepad")]
# (the task's usual wording, its other wording, a sentence of the answer)
TASKS_ZH = [("退货", "退回商品", "七天内在订单页申请，快递上门取件"),
            ("开发票", "开票", "在订单详情页填写抬头和税号"),
            ("申请保修", "报修", "凭购买凭证在一年内免费维修"),
            ("查询物流", "查快递", "在我的订单里查看运单号和配送进度"),
            ("取消订单", "撤销订单", "发货前可以直接取消，款项原路退回"),
            ("修改收货地址", "换地址", "发货前在订单页修改地址"),
            ("升级固件", "更新系统", "在应用的设备设置里检查新版本"),
            ("恢复出厂设置", "重置", "长按电源键十秒直到指示灯闪烁"),
            ("连接网络", "配网", "打开应用按提示选择家里的网络"),
            ("更换配件", "买配件", "在官方商城搜索型号购买原装配件")]
TASKS_EN = [("return", "send back", "start a return from the order page within 30 days"),
            ("invoice", "receipt", "download the invoice from the order details"),
            ("warranty", "repair", "the warranty covers repairs for two years with the proof of purchase"),
            ("tracking", "shipment", "the tracking number is on the order page"),
            ("cancel", "cancellation", "an order can be cancelled before it ships"),
            ("address", "deliver elsewhere", "the delivery address can be changed before shipping"),
            ("firmware", "update", "check for a new version in the app's device settings"),
            ("factory reset", "wipe", "hold the power button for ten seconds until the light blinks"),
            ("pairing", "connect", "open the app and follow the steps to pair"),
            ("accessories", "spare parts", "original spare parts are sold in the official store")]
ASK_ZH = ["请问{p}怎么{t}？", "我的{p}想{t}，要怎么操作", "{p}能不能{t}啊", "{t}的话{p}要怎么弄",
          "买的{p}需要{t}，在哪里办"]
ASK_EN = ["how can I {t} my {p}?", "I need help with {t} for the {p}", "{p} {t} - what should I do",
          "is there a way to get {t} on a {p}", "where do I go for {t} of my {p}"]


@dataclass(frozen=True)
class Article:
    key: str
    title: str
    body_html: str
    keywords: list[str]
    synonyms: list[str]
    questions: list[str]


@dataclass(frozen=True)
class Paraphrase:
    text: str
    article_key: str


@dataclass(frozen=True)
class Corpus:
    articles: list[Article]
    paraphrases: list[Paraphrase]
    dictionary: list[tuple[str, list[str]]]  # (term, synonyms)


def generate(products_per_language: int = 20, seed: int = 12) -> Corpus:
    """2 x products x 10 articles (400 at the default) and one paraphrase each."""
    rng = random.Random(seed)
    articles: list[Article] = []
    paraphrases: list[Paraphrase] = []
    dictionary: list[tuple[str, list[str]]] = []
    for language, products, tasks, asks in (("zh", PRODUCTS_ZH, TASKS_ZH, ASK_ZH),
                                            ("en", PRODUCTS_EN, TASKS_EN, ASK_EN)):
        for index, (product, nickname) in enumerate(products[:products_per_language]):
            if nickname:
                dictionary.append((product, [nickname]))
            for task, other, answer in tasks:
                key = f"{language}-{index}-{task}"
                if language == "zh":
                    title = f"{product}如何{task}"
                    questions = [f"{product}怎么{task}？"]
                    body = f"<p>{product}{task}说明：{answer}。</p><p>如有疑问请联系在线客服。</p>"
                else:
                    title = f"{task.capitalize()} for your {product}"
                    questions = [f"How do I get {task} for my {product}?"]
                    body = f"<p>{product.capitalize()}: {answer}.</p><p>Contact support with any question.</p>"
                articles.append(Article(key, title, body, [task, product], [other], questions))
                asked_product = nickname if nickname and rng.random() < 0.4 else product
                text = rng.choice(asks).format(p=asked_product, t=other)
                paraphrases.append(Paraphrase(text, key))
    return Corpus(articles, paraphrases, dictionary)


TOPICS_ZH = ["清洁保养", "耗电说明", "包装清单", "安全须知", "噪音说明", "产品参数", "使用环境", "存放方法"]
TOPICS_EN = ["cleaning", "power use", "in the box", "safety", "noise", "specifications", "where to use",
             "storage"]


def filler(count: int, seed: int = 7) -> list[Article]:
    """More articles (model numbers, other topics of the same products), for timing a
    large base: they share a product with the questions, never their task."""
    rng = random.Random(seed)
    made = []
    for n in range(count):
        if n % 2:
            product, _ = rng.choice(PRODUCTS_ZH)
            topic = rng.choice(TOPICS_ZH)
            title = f"{product} M{n} 型号{topic}"
            body = f"<p>型号 M{n} 的{product}{topic}，详见说明书第{n % 40 + 1}页。</p>"
        else:
            product, _ = rng.choice(PRODUCTS_EN)
            topic = rng.choice(TOPICS_EN)
            title = f"{product.capitalize()} model M{n}: {topic}"
            body = f"<p>Model M{n} {product}: {topic}, see page {n % 40 + 1} of the manual.</p>"
        made.append(Article(f"filler-{n}", title, body, [topic], [], []))
    return made
