"""A demo book for a newcomer: a small restaurant's few hundred customers, with calls, visits, texts, templates.

Deterministic (a fixed seed), so screenshots and tests see the same book.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta, timezone

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤单欧阳"  # noqa: E501
GIVEN = ("伟 芳 娜 秀英 敏 静 丽 强 磊 军 洋 勇 艳 杰 娟 涛 明 超 秀兰 霞 平 刚 桂英 建华 文 华 金凤 玉兰 海燕 志强 "
         "晓东 晨 思远 子涵 雨桐 浩然 欣怡 梓萱 宇轩 一诺 佳怡 俊杰 婷婷 建国 淑珍 红梅 丹 鑫 琳 博文").split()
LATIN = ["Tom Chen", "Lucy Wang", "Mike Zhang", "Anna Li"]
TIERS = ["普通"] * 10 + ["银卡"] * 5 + ["金卡"] * 3 + ["钻石"]
TAGS = ["常客", "包间", "外卖", "素食", "不吃辣", "生日宴", "公司客户", "老顾客", "带小孩"]
DISHES = ["宫保鸡丁", "水煮鱼", "红烧肉", "麻婆豆腐", "小笼包", "清蒸鲈鱼", "北京烤鸭", "回锅肉", "酸菜鱼", "糖醋排骨",
          "干锅花菜", "蒜蓉西兰花", "扬州炒饭", "酸辣汤"]
NOTES = ["喜欢靠窗的位置", "对花生过敏", "每周五来", "常订10人包间", "发票抬头：某某科技有限公司", "结账用会员卡", ""]
PREFIXES = ["130", "131", "132", "135", "136", "137", "138", "139", "150", "151", "152", "158", "159", "176", "177",
            "180", "181", "186", "187", "188", "189", "199"]
TEMPLATES = [
    ("生日祝福", "亲爱的{name}，{shop}祝您生日快乐！本周到店用餐赠送长寿面一份。", "care"),
    ("预订确认", "{name}您好，已为您预订{date}的座位，{shop}恭候光临。", "booking"),
    ("未接来电回复", "{name}您好，刚才没能接到您的电话，请问有什么可以帮您？——{shop}", "missed_call"),
    ("节日问候", "{shop}祝{name}节日快乐，阖家幸福！", "holiday"),
    ("感谢光临", "感谢{name}今天光临{shop}，期待您再来！", "care"),
    ("新菜推荐", "{shop}本周新菜上市，{tier}会员享九折，欢迎品尝。", "promotion"),
]


def _number(rng: random.Random) -> str:
    return f"+86{rng.choice(PREFIXES)}{rng.randrange(10**8):08d}"


DEMO_TEXTS = ["老板，今晚六点订一张四人桌，谢谢！", "请问明天中午还有包间吗？我们大概十个人。", "好的，谢谢！", ""]


def demo_scene(rng: random.Random | None = None) -> tuple[str, bool, float | None, str]:
    """What the demo's phone does next: (number, answered on the handset?, talk seconds, text after)."""
    from store.models import Phone

    rng = rng or random.Random()
    known = [n for (n,) in Phone.select(Phone.number).order_by(Phone.id).limit(400).tuples()]
    number = rng.choice(known) if known and rng.random() < 0.75 else _number(rng)
    answered = rng.random() < 0.5
    return number, answered, rng.uniform(4, 12) if answered else None, rng.choice(DEMO_TEXTS)


def book_is_empty() -> bool:
    """True when the open book has no customers and no calls yet."""
    from store.models import Call, Customer

    return not Customer.select().exists() and not Call.select().exists()


def seed_demo(customers: int = 300, *, seed: int = 8, now: datetime | None = None) -> None:
    """Fill the open (empty) book with a demo restaurant's customers, visits, calls, texts and templates."""
    from store import settings
    from store.customers import NewCustomer, add_many
    from store.models import Call, Customer, Message, Template, Visit

    rng = random.Random(seed)
    now = now or datetime.now(timezone.utc)
    settings.set("shop_name", "老王家常菜")
    people: list[NewCustomer] = []
    used: set[str] = set()
    for i in range(customers):
        name = rng.choice(LATIN) if i % 50 == 49 else rng.choice(SURNAMES) + rng.choice(GIVEN)
        numbers = []
        for _ in range(1 if rng.random() < 0.85 else 2):
            number = _number(rng)
            while number in used:
                number = _number(rng)
            used.add(number)
            numbers.append(number)
        birthday = date(rng.randrange(1950, 2005), rng.randrange(1, 13), rng.randrange(1, 29)) if rng.random() < 0.7 \
            else None
        people.append(NewCustomer(
            name=name, numbers=tuple(numbers), tier=rng.choice(TIERS), birthday=birthday,
            notes=rng.choice(NOTES), tags=tuple(rng.sample(TAGS, rng.randrange(0, 3))),
            created_at=now - timedelta(days=rng.randrange(30, 900)),
        ))
    ids = add_many(people)
    numbers = {cid: p.numbers[0] for cid, p in zip(ids, people)}

    db = Customer._meta.database
    with db.atomic():
        visits = []
        for cid in ids:
            for _ in range(rng.randrange(0, 15)):
                visits.append({
                    "customer": cid, "at": now - timedelta(days=rng.randrange(1, 600), hours=rng.randrange(0, 10)),
                    "amount_cents": rng.randrange(40, 1500) * 100, "items": "、".join(rng.sample(DISHES, 3)),
                })
        for i in range(0, len(visits), 500):
            Visit.insert_many(visits[i:i + 500]).execute()

        # Calls oldest first, so the newest has the highest id (the log pages by id).
        calls = []
        moments = sorted(now - timedelta(minutes=rng.randrange(5, 60 * 24 * 30)) for _ in range(customers * 2))
        for at in moments:
            known = rng.random() < 0.8
            cid = rng.choice(ids) if known else None
            number = numbers[cid] if cid else _number(rng)
            outcome = rng.choices(["answered", "missed", "rejected"], [70, 25, 5])[0]
            talk = rng.randrange(20, 400) if outcome == "answered" else 0
            pending = outcome == "missed" and at > now - timedelta(days=2)
            calls.append({
                "number": number, "customer": cid, "direction": "in", "started_at": at,
                "answered_at": at + timedelta(seconds=8) if talk else None,
                "ended_at": at + timedelta(seconds=8 + talk), "outcome": outcome, "duration_s": talk,
                "callback": "pending" if pending else ("done" if outcome == "missed" else "none"),
            })
        for i in range(0, len(calls), 500):
            Call.insert_many(calls[i:i + 500]).execute()

        texts = []
        for cid in rng.sample(ids, min(40, len(ids))):
            at = now - timedelta(hours=rng.randrange(1, 24 * 20))
            texts.append({"direction": "in", "number": numbers[cid], "customer": cid, "at": at,
                          "body": rng.choice(["明天中午两位，靠窗谢谢", "今晚还有包间吗？", "好的，谢谢！",
                                              "请问周日营业吗", "我晚点到，大概七点半"]),
                          "status": "received", "is_read": rng.random() < 0.7})
            texts.append({"direction": "out", "number": numbers[cid], "customer": cid,
                          "at": at + timedelta(minutes=5), "body": "收到，已为您安排。——老王家常菜",
                          "status": "delivered", "sent_at": at + timedelta(minutes=5),
                          "delivered_at": at + timedelta(minutes=6)})
        Message.insert_many(texts).execute()
        for order, (name, body, category) in enumerate(TEMPLATES):
            Template.create(name=name, body=body, category=category, sort_order=order)
