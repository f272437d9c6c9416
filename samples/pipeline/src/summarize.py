"""Summarize step: read the parallel step's appended predictions and write the accuracy per digit.

Each line the parallel step appended reads "digit_<index>_label<digit>.png: <predicted>"; the label in the
file name is the truth.
"""

import argparse
import os
import re

LINE = re.compile(r"^(\S+_label(\d)\.png): (\d+)$")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--results", required=True, help="the parallel step's output folder (append_row file inside)")
    parser.add_argument("--report", required=True, help="output folder for report.txt")
    args = parser.parse_args()

    # The cloud mounts the output folder; a local run may hand over the append_row file itself.
    if os.path.isdir(args.results):
        files = sorted(os.path.join(args.results, f) for f in os.listdir(args.results) if f.endswith(".txt"))
    else:
        files = [args.results]
    if not files:
        raise SystemExit(f"no append_row file in {args.results}")
    right, total = {}, {}
    for path in files:
        with open(path, encoding="utf-8") as lines:
            for line in lines:
                match = LINE.match(line.strip())
                if not match:
                    continue
                digit, predicted = match.group(2), match.group(3)
                total[digit] = total.get(digit, 0) + 1
                right[digit] = right.get(digit, 0) + (digit == predicted)
    if not total:
        raise ValueError(f"no prediction lines in {', '.join(files)}")

    os.makedirs(args.report, exist_ok=True)
    lines = [f"digit {d}: {right.get(d, 0)}/{n} right" for d, n in sorted(total.items())]
    lines.append(f"all: {sum(right.values())}/{sum(total.values())} right")
    with open(os.path.join(args.report, "report.txt"), "w", encoding="utf-8") as report:
        report.write("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
