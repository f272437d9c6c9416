"""Prepare step: copy the first N images of each digit into the step's output folder.

The digits sample names its images digit_<index>_label<digit>.png; this keeps N of each label, so the
parallel step scores a small, balanced set.
"""

import argparse
import os
import re
import shutil

LABEL = re.compile(r"_label(\d)\.png$")


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--images", required=True, help="folder of digit_<index>_label<digit>.png images")
    parser.add_argument("--per_digit", type=int, required=True, help="images kept of each digit")
    parser.add_argument("--selected", required=True, help="output folder")
    args = parser.parse_args()

    kept = {}
    os.makedirs(args.selected, exist_ok=True)
    for name in sorted(os.listdir(args.images)):
        match = LABEL.search(name)
        if not match:
            continue
        digit = match.group(1)
        if kept.get(digit, 0) >= args.per_digit:
            continue
        shutil.copyfile(os.path.join(args.images, name), os.path.join(args.selected, name))
        kept[digit] = kept.get(digit, 0) + 1
    if not kept:
        raise SystemExit(f"no digit_<index>_label<digit>.png image in {args.images}: run ../digits/make_data.py first")
    print(f"kept {sum(kept.values())} images: " + ", ".join(f"{d}: {n}" for d, n in sorted(kept.items())))


if __name__ == "__main__":
    main()
