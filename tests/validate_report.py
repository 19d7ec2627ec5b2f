#!/usr/bin/env python3
"""Validates coreinspect --json output against docs/report.schema.json."""
import json
import os
import sys

import jsonschema

schema_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "docs", "report.schema.json")
schema = json.load(open(schema_path))
for path in sys.argv[1:]:
    try:
        jsonschema.validate(json.load(open(path)), schema)
    except (ValueError, jsonschema.ValidationError) as e:
        print("%s: %s" % (path, str(e).splitlines()[0]), file=sys.stderr)
        sys.exit(1)
