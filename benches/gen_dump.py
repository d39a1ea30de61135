"""Generate a realistic JSONL dump for benches/scan.sh: ~95% clean, ~5% flagged, zh/en mixed.

    python3 gen_dump.py OUT.jsonl SIZE_MB

Flagged posts are the project's own positive rows (corpora/*.jsonl with expect block/review);
clean posts are its own allow rows plus generated filler chat. Only project-written text is used.
"""
import glob
import json
import os
import random
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

ZH = ("今天 明天 周末 下班 同事 朋友 家人 孩子 老师 火锅 咖啡 电影 公园 商场 地铁 天气 下雨 "
      "加班 开会 项目 报告 晚饭 做饭 超市 买菜 跑步 健身 旅游 机票 酒店 照片 手机 电脑 游戏 "
      "小说 音乐 演唱会 医院 感冒 考试 学校 作业 宠物 小猫 小狗 花园 生日 蛋糕 礼物 快递").split()
ZH_GLUE = ["，", "。", "的", "了", "和", "去", "在", "很", "真", "挺好", "不错", "有点", "！"]
EN = ("the a we I my our kids weekend work coffee movie park weather rain meeting project report "
      "dinner cooking market groceries running gym trip flight hotel photos phone laptop game novel "
      "music concert doctor exam school homework cat dog garden birthday cake gift parcel train "
      "was is went had great nice tired busy finally really today tomorrow with and then").split()


def filler(rng):
    kind = rng.random()
    target = rng.randint(40, 300)
    out = []
    size = 0
    while size < target:
        if kind < 0.45:
            w = rng.choice(ZH) + rng.choice(ZH_GLUE)
        elif kind < 0.85:
            w = rng.choice(EN) + (". " if rng.random() < 0.08 else " ")
        else:
            w = rng.choice(ZH) + rng.choice(ZH_GLUE) if rng.random() < 0.5 else rng.choice(EN) + " "
        out.append(w)
        size += len(w.encode())
    return "".join(out).strip()


def main():
    out_path, size_mb = sys.argv[1], float(sys.argv[2])
    rng = random.Random(42)
    flagged, clean = [], []
    for path in sorted(glob.glob(os.path.join(ROOT, "corpora", "*.jsonl"))):
        if path.endswith("demo.jsonl"):
            continue
        with open(path, encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                (flagged if row.get("expect") in ("block", "review") else clean).append(row["text"])
    limit = int(size_mb * 1e6)
    written = n = 0
    accounts = [f"acct_{i:05d}" for i in range(20000)]
    with open(out_path, "w", encoding="utf-8") as out:
        while written < limit:
            r = rng.random()
            if r < 0.05:
                text = rng.choice(flagged)
            elif r < 0.15:
                text = rng.choice(clean)
            else:
                text = filler(rng)
            rec = {"id": f"p{n}", "account": rng.choice(accounts),
                   "time": f"2026-{1 + n % 12:02d}-{1 + n % 28:02d}T10:00:00Z", "text": text}
            line = json.dumps(rec, ensure_ascii=False) + "\n"
            out.write(line)
            written += len(line.encode())
            n += 1


if __name__ == "__main__":
    main()
