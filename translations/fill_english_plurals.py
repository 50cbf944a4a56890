#!/usr/bin/env python3
"""Fills the English plural forms of translations/periscope_en.ts.

The sources write plurals as "%n partition(s)"; English needs "1 partition" and
"2 partitions". After `lupdate -pluralonly` has added new strings, run this to give every
numerus message its two forms: "(s)" dropped for one, "(s)" -> "s" for many.
"""
import re
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "translations/periscope_en.ts"
text = open(path, encoding="utf-8").read()


def forms(message):
    source = re.search(r"<source>(.*?)</source>", message, re.S).group(1)
    one, many = source.replace("(s)", ""), source.replace("(s)", "s")
    translation = (
        "<translation>\n"
        f"            <numerusform>{one}</numerusform>\n"
        f"            <numerusform>{many}</numerusform>\n"
        "        </translation>"
    )
    return re.sub(r"<translation[^>]*/>|<translation[^>]*>.*?</translation>", translation,
                  message, flags=re.S)


text = re.sub(r'<message numerus="yes">.*?</message>', lambda m: forms(m.group(0)), text,
              flags=re.S)
open(path, "w", encoding="utf-8").write(text)
