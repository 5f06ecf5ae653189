#!/usr/bin/env python3
"""Validate zaakflow's ZGW documents against the JSON Schemas in schemas/zgw/.

usage: zgw_validate.py SCHEMADIR export DIR...   (zaakflow zgw export --out DIR)
       zgw_validate.py SCHEMADIR case FILE...    (zaakflow zgw case; *.requests.json
                                                  from --requests)

Exits 0 when every document is valid, 1 when any is not, 77 when the Debian
package python3-jsonschema is missing (scripts/install-deps.sh installs it).
No network: the schemas are local files; formats are checked here.
"""
import datetime
import json
import os
import re
import sys

try:
    import jsonschema
except ImportError:
    print("python3-jsonschema is not installed: skipped")
    sys.exit(77)

DURATION = re.compile(r"^P(?!$)(\d+Y)?(\d+M)?(\d+W)?(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$")
DATE_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$")
UUID = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")

checker = jsonschema.FormatChecker(formats=())


@checker.checks("uri")
def _uri(v):
    return not isinstance(v, str) or re.match(r"^https?://[^\s/]+(/\S*)?$", v) is not None


@checker.checks("date", raises=ValueError)
def _date(v):
    if isinstance(v, str):
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", v):
            raise ValueError(v)
        datetime.date.fromisoformat(v)
    return True


@checker.checks("date-time", raises=ValueError)
def _date_time(v):
    if isinstance(v, str):
        if not DATE_TIME.match(v):
            raise ValueError(v)
        datetime.datetime.fromisoformat(v.replace("Z", "+00:00"))
    return True


@checker.checks("duration")
def _duration(v):
    return not isinstance(v, str) or DURATION.match(v) is not None


@checker.checks("uuid")
def _uuid(v):
    return not isinstance(v, str) or UUID.match(v) is not None


class Validator:
    def __init__(self, schemadir):
        self.dir = schemadir
        self.cache = {}
        self.count = 0
        self.errors = []

    def schema(self, name):
        if name not in self.cache:
            with open(os.path.join(self.dir, name), encoding="utf-8") as f:
                s = json.load(f)
            jsonschema.Draft7Validator.check_schema(s)
            self.cache[name] = jsonschema.Draft7Validator(s, format_checker=checker)
        return self.cache[name]

    def check(self, name, doc, where):
        self.count += 1
        for e in self.schema(name).iter_errors(doc):
            path = "/".join(str(p) for p in e.absolute_path)
            self.errors.append("%s: %s: /%s: %s" % (where, name, path, e.message))

    def fail(self, where, msg):
        self.errors.append("%s: %s" % (where, msg))


RESOURCES = ["ZaakType", "StatusType", "ResultaatType", "RolType", "Eigenschap"]
CREATE = {
    "zaaktypen": "catalogi/ZaakTypeCreate.request.json",
    "statustypen": "catalogi/StatusType.request.json",
    "resultaattypen": "catalogi/ResultaatTypeCreate.request.json",
    "roltypen": "catalogi/RolType.request.json",
    "eigenschappen": "catalogi/Eigenschap.request.json",
}


def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def check_export(v, d):
    for r in RESOURCES:
        path = os.path.join(d, r + ".json")
        items = load(path)
        if not isinstance(items, list) or not items:
            v.fail(path, "expected a non-empty JSON array")
            continue
        urls = set()
        for i, item in enumerate(items):
            v.check("catalogi/%s.json" % r, item, "%s[%d]" % (path, i))
            if item.get("url") in urls:
                v.fail(path, "url %s twice" % item.get("url"))
            urls.add(item.get("url"))
    path = os.path.join(d, "requests.json")
    refs = set()
    for i, rq in enumerate(load(path)):
        where = "%s[%d]" % (path, i)
        if set(rq) != {"method", "url", "ref", "refs", "body"} or rq["method"] != "POST":
            v.fail(where, "not a POST request {method, url, ref, refs, body}")
            continue
        coll = rq["url"].rsplit("/", 1)[-1]
        if coll not in CREATE:
            v.fail(where, "unknown collection %s" % coll)
            continue
        for field, ref in rq["refs"].items():
            if ref not in refs:
                v.fail(where, "refers to %s before it is created" % ref)
            if field not in rq["body"]:
                v.fail(where, "refs names %s, which the body lacks" % field)
        if rq["ref"] in refs:
            v.fail(where, "ref %s twice" % rq["ref"])
        refs.add(rq["ref"])
        v.check(CREATE[coll], rq["body"], where)


def check_case_view(v, path):
    doc = load(path)
    v.check("zaken/ZaakView.json", doc, path)


def check_case_requests(v, path):
    doc = load(path)
    if set(doc) != {"after", "requests", "through"}:
        v.fail(path, "expected {after, requests, through}")
        return
    dates = []
    for i, rq in enumerate(doc["requests"]):
        where = "%s.requests[%d]" % (path, i)
        m, url, body = rq.get("method"), rq.get("url", ""), rq.get("body")
        if m == "POST" and url.endswith("/zaken"):
            v.check("zaken/Zaak.request.json", body, where)
        elif m == "PATCH":
            v.check("zaken/PatchedZaak.request.json", body, where)
        elif m == "POST" and url.endswith("/statussen"):
            v.check("zaken/Status.request.json", body, where)
            dates.append(body.get("datumStatusGezet"))
        elif m == "POST" and url.endswith("/resultaten"):
            v.check("zaken/Resultaat.request.json", body, where)
        else:
            v.fail(where, "unexpected request %s %s" % (m, url))
    # One status per date, in order: datumStatusGezet unique and increasing.
    if len(set(dates)) != len(dates) or dates != sorted(dates):
        v.fail(path, "datumStatusGezet not unique and increasing: %s" % dates)


def main(argv):
    if len(argv) < 4 or argv[2] not in ("export", "case"):
        print(__doc__)
        return 2
    v = Validator(argv[1])
    for arg in argv[3:]:
        if argv[2] == "export":
            check_export(v, arg)
        elif arg.endswith(".requests.json"):
            check_case_requests(v, arg)
        else:
            check_case_view(v, arg)
    for e in v.errors:
        print("invalid: " + e)
    print("%d documents checked, %d errors" % (v.count, len(v.errors)))
    return 1 if v.errors else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
