"""Synthetic Chinese comments with a known truth: campaigns of edited copies plus individual comments."""

from __future__ import annotations

import random

GREETINGS = ["", "", "尊敬的领导：", "您好，", "各位领导：", "尊敬的县交通运输局：", "你好！"]
CLOSINGS = ["", "", "谢谢！", "望采纳。", "以上建议，望采纳。", "此致敬礼", "谢谢大家"]
CAMPAIGN_TEMPLATES = [
    "建议将首次免费停车时间由十五分钟延长至三十分钟，方便群众接送孩子、看病取药和临时办事，避免刚停车就被收费。",
    "我们小区是九十年代建成的老旧小区，停车位严重不足，希望在改造中利用小区周边空地增设停车位，并建设充电设施。",
    "学校周边限时停车三十分钟不够用，家长会和放学高峰时段经常排队，建议在上下学时段适当延长并增加临时泊位。",
    "停车收费标准应当举行听证会，充分听取市民意见，特别是对老年人、残疾人和低收入家庭给予减免优惠。",
    "残疾人专用车位比例百分之二明显偏低，而且经常被普通车辆占用，建议提高比例并加大执法和处罚力度。",
    "建议机关事业单位的内部停车场在夜间和节假日向社会开放，并在门口公示开放时间、收费标准和联系电话。",
    "夜间停车应当免费或者大幅降低收费标准，鼓励居民夜间使用道路泊位，缓解老旧小区停车难的问题。",
    "共享停车平台应当由政府统一建设，实时发布空余车位信息，避免市民绕路找车位，减少交通拥堵和尾气排放。",
]
TOPICS = [
    "停车收费",
    "充电桩",
    "老旧小区",
    "学校周边",
    "夜间停车",
    "残疾人车位",
    "执法",
    "共享停车",
    "医院周边",
    "商户门前",
]
VERBS = ["建议", "希望", "请求", "呼吁", "恳请"]
ACTIONS = [
    "明确标准",
    "加强监管",
    "增加投入",
    "公开信息",
    "简化手续",
    "延长时间",
    "降低收费",
    "统一规划",
    "分类管理",
    "试点推行",
]
SWAPS = [
    ("延长至", "延长到"),
    ("建议", "希望"),
    ("应当", "应该"),
    ("方便", "便于"),
    ("严重不足", "非常紧张"),
    ("经常", "常常"),
    ("并且", "而且"),
]


def edit(text: str, rng: random.Random) -> str:
    """A copy as people make them: synonyms swapped, a word dropped, punctuation and spacing changed."""
    for a, b in rng.sample(SWAPS, k=rng.randint(0, 3)):
        text = text.replace(a, b)
    if rng.random() < 0.3:
        cut = rng.randint(5, len(text) - 5)
        text = text[:cut] + text[cut + 2 :]
    if rng.random() < 0.3:
        text = text.replace("，", ", ").replace("。", ".")
    if rng.random() < 0.2:
        text = text + rng.choice(["强烈支持！", "请尽快落实。", "刻不容缓。"])
    return rng.choice(GREETINGS) + text + rng.choice(CLOSINGS)


CLAUSES = [
    "我每天早上七点送孩子上学",
    "医院门口经常堵车半小时以上",
    "小区里的车位早就被占满了",
    "商场地下车库收费太贵",
    "菜市场周边没有任何停车位",
    "晚上下班回家找车位要转好几圈",
    "老人看病只能打车",
    "新能源车充电桩经常坏",
    "路边划线车位离路口太近很危险",
    "共享单车把人行道都占了",
    "外卖电动车乱停影响通行",
    "公交站台旁边总有私家车临停",
    "节假日景区周边停车困难",
    "学校放学时家长车辆排成长队",
    "老城区道路太窄无法划线",
    "收费员不给开发票",
    "手机缴费页面经常打不开",
    "夜里货车占道停放噪音很大",
    "消防通道被长期占用",
    "单位内部停车场周末空着没人用",
    "残疾人车位被普通车占用",
    "停车诱导牌显示的数字不准",
    "路口监控抓拍标准不统一",
    "小区物业私自收取停车管理费",
    "雨天积水导致地下车库无法使用",
    "郊区停车场没有照明",
    "停车场出口排队缴费很慢",
    "临时停车五分钟也被罚款",
]
WANTS = [
    "希望出台细则",
    "建议增加巡查",
    "请求公开收费依据",
    "建议试点错峰共享",
    "希望设置临时停车区",
    "建议完善投诉渠道",
    "请统筹规划建设立体车库",
    "建议对困难群体减免",
    "希望提高违停处罚标准",
    "建议统一收费平台",
]


PLACES = [
    "县医院",
    "实验小学",
    "人民路",
    "锦东小区",
    "汽车站",
    "农贸市场",
    "老城区",
    "开发区",
    "体育馆",
    "图书馆",
    "第二中学",
    "府前街",
    "滨河公园",
    "高铁站",
    "工业园",
    "商业街",
    "幸福里小区",
    "中心广场",
    "东关菜场",
    "西城社区",
]
TIMES = ["早高峰", "晚上九点以后", "周末", "节假日", "雨天", "放学时", "中午", "凌晨", "每月月初", "冬天"]


def individual(rng: random.Random, i: int) -> str:
    """An individual comment: its own situation in its own words (two or three of many clauses)."""
    clauses = [f"{rng.choice(PLACES)}{rng.choice(TIMES)}{c}" for c in rng.sample(CLAUSES, rng.randint(2, 3))]
    return "，".join(clauses) + f"。{rng.choice(WANTS)}，在{rng.choice(TOPICS)}方面{rng.choice(ACTIONS)}。"


def generate(n: int, campaign_share: float = 0.6, seed: int = 42) -> tuple[list[str], list[int]]:
    """Texts and their true campaign (index into CAMPAIGN_TEMPLATES, or -1 for an individual comment)."""
    rng = random.Random(seed)
    texts, truth = [], []
    weights = [rng.random() + 0.2 for _ in CAMPAIGN_TEMPLATES]
    for i in range(n):
        if rng.random() < campaign_share:
            c = rng.choices(range(len(CAMPAIGN_TEMPLATES)), weights=weights)[0]
            texts.append(edit(CAMPAIGN_TEMPLATES[c], rng))
            truth.append(c)
        else:
            texts.append(individual(rng, i))
            truth.append(-1)
    return texts, truth


def pair_scores(assignment: list[str | None], truth: list[int]) -> tuple[float, float]:
    """Pairwise precision and recall over campaign members (counted by cluster sizes, not pairs listed)."""
    from collections import Counter

    together = Counter((a, t) for a, t in zip(assignment, truth, strict=True) if a is not None)
    by_cluster = Counter(a for a in assignment if a is not None)
    by_truth = Counter(t for t in truth if t >= 0)

    def pairs(n: int) -> int:
        return n * (n - 1) // 2

    true_positive = sum(pairs(n) for (_, t), n in together.items() if t >= 0)
    predicted = sum(pairs(n) for n in by_cluster.values())
    actual = sum(pairs(n) for n in by_truth.values())
    return (true_positive / predicted if predicted else 1.0), (true_positive / actual if actual else 1.0)
