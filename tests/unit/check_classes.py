#!/usr/bin/env python3
"""The crash classes have one owner, rules/classes.c: the JSON schema's class
enum, the corpus script's class list (and its short names) and the classes
documented in docs/classes.md must be exactly its names, in its order.

usage: check_classes.py PRINT_CLASSES SOURCE_ROOT"""
import importlib.util
import json
import os
import subprocess
import sys


def main():
    exe, root = sys.argv[1], sys.argv[2]
    table = [l.split("\t")[0] for l in subprocess.run([exe], check=True, capture_output=True, text=True).stdout.splitlines()]
    errors = []

    schema = json.load(open(os.path.join(root, "docs", "report.schema.json")))
    enum = schema["properties"]["classification"]["properties"]["class"]["enum"]
    if enum != table:
        errors.append("docs/report.schema.json class enum %s != rules table %s" % (enum, table))

    spec = importlib.util.spec_from_file_location("corpus", os.path.join(root, "tests", "corpus", "corpus.py"))
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    if corpus.CLASSES != table:
        errors.append("tests/corpus/corpus.py CLASSES %s != rules table %s" % (corpus.CLASSES, table))
    if sorted(corpus.SHORT) != sorted(table):
        errors.append("tests/corpus/corpus.py SHORT has %s, the table %s" % (sorted(corpus.SHORT), sorted(table)))

    doc = open(os.path.join(root, "docs", "classes.md")).read()
    for name in table:
        if "`%s`" % name not in doc:
            errors.append("docs/classes.md does not document `%s`" % name)

    for e in errors:
        print(e)
    print("%d classes; %s" % (len(table), "all lists agree" if not errors else "%d mismatches" % len(errors)))
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
