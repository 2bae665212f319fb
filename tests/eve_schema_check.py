#!/usr/bin/python3
"""Validate every line of an eve.json against Suricata's EVE JSON schema.

Usage: /usr/bin/python3 tests/eve_schema_check.py EVE_JSON [SCHEMA]

SCHEMA defaults to ../shared/verify/etc/eve-schema.json (Suricata 8.0's
etc/schema.json as shipped with suricata-verify). Prints one line per
violation ("LINE: event_type: path: message") and a summary; exits 0 when
every record is valid, 1 otherwise, 2 on usage or input errors.
"""
import json
import os
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed (apt-get install -y python3-jsonschema)",
          file=sys.stderr)
    sys.exit(2)

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_SCHEMA = os.path.normpath(
    os.path.join(HERE, "..", "..", "shared", "verify", "etc", "eve-schema.json"))


def path_of(error):
    return "/".join(str(p) for p in error.absolute_path) or "(record)"


def main(argv):
    if len(argv) not in (2, 3):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    eve_path = argv[1]
    schema_path = argv[2] if len(argv) == 3 else DEFAULT_SCHEMA
    try:
        with open(schema_path, encoding="utf-8") as f:
            schema = json.load(f)
    except (OSError, ValueError) as e:
        print(f"{schema_path}: {e}", file=sys.stderr)
        return 2
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    validator = cls(schema)

    records = 0
    bad_records = 0
    by_type = {}
    try:
        f = open(eve_path, encoding="utf-8")
    except OSError as e:
        print(f"{eve_path}: {e}", file=sys.stderr)
        return 2
    with f:
        for lineno, line in enumerate(f, 1):
            line = line.strip()
            if not line:
                continue
            records += 1
            try:
                record = json.loads(line)
            except ValueError as e:
                bad_records += 1
                print(f"{lineno}: not JSON: {e}")
                continue
            event_type = record.get("event_type", "?") if isinstance(record, dict) else "?"
            by_type[event_type] = by_type.get(event_type, 0) + 1
            errors = sorted(validator.iter_errors(record), key=lambda e: list(e.absolute_path))
            if errors:
                bad_records += 1
                for e in errors:
                    print(f"{lineno}: {event_type}: {path_of(e)}: {e.message}")
    kinds = ", ".join(f"{k} {v}" for k, v in sorted(by_type.items()))
    print(f"{records} records ({kinds}), {bad_records} with schema violations")
    return 0 if bad_records == 0 else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
