"""ZGW through the Python binding: export, the Zaak view of a case, errors."""
import datetime
import json
import os
import sys
import tempfile
import unittest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from zfpytest import import_zaakflow, src  # noqa: E402

zaakflow = import_zaakflow()

CONFIG = src("examples", "zgw", "config.json")
BEZWAAR = src("processes", "bezwaar.xml")
ZAAK = "https://openzaak.gemeente.example/zaken/api/v1/zaken/1"


class ZgwTest(unittest.TestCase):
    def setUp(self):
        self.cfg = zaakflow.ZgwConfig.load(CONFIG)

    def test_export(self):
        out = zaakflow.zgw_export([BEZWAAR, src("processes", "dwangsom.xml")], self.cfg)
        self.assertEqual(sorted(out), sorted(zaakflow.ZGW_RESOURCES + ("requests",)))
        zt = out["ZaakType"][0]
        self.assertEqual(zt["identificatie"], "BEZWAAR-SD")
        self.assertEqual(zt["doorlooptijd"], "P12W")  # Awb 7:10 lid 1 with 7:13
        self.assertEqual(zt["deelzaaktypen"], [out["ZaakType"][1]["url"]])
        self.assertEqual([s["volgnummer"] for s in out["StatusType"][:7]], list(range(1, 8)))
        self.assertEqual(out["requests"][0]["ref"], "zaaktype:bezwaar")

    def test_case_view(self):
        proc = zaakflow.ZgwProcess.load(BEZWAAR)
        defn = zaakflow.Definition.load(BEZWAAR)
        d = datetime.date
        case = defn.start(d(2026, 3, 2), verzonden=d(2026, 3, 2), commissie_gemeld=True)
        case.fire("bezwaarschrift_ontvangen", d(2026, 3, 20), actor="jan",
                  roles=["behandelaar"], ontvangen=d(2026, 3, 20), per_post=False)
        view = proc.case(case, self.cfg, ZAAK, vervolg_op=ZAAK + "0")
        # twelve weeks from the end of the bezwaartermijn (Awb 7:10 lid 1, 7:13)
        self.assertEqual(view["zaak"]["uiterlijkeEinddatumAfdoening"],
                         case.term("beslistermijn").end.isoformat())
        self.assertEqual(view["status"]["datumStatusGezet"], "2026-03-20T00:00:00+01:00")
        self.assertIsNone(view["resultaat"])
        reqs = proc.case_requests(case, self.cfg, ZAAK)
        # 2026-03-20 is the case date: not completed, so only the start date is sent
        self.assertEqual(reqs["through"], 1)
        self.assertEqual(reqs["requests"][0]["method"], "POST")
        case.advance(d(2026, 3, 21))
        more = proc.case_requests(case, self.cfg, ZAAK, after=reqs["through"])
        self.assertEqual([r["method"] for r in more["requests"]], ["PATCH", "POST"])
        with self.assertRaises(zaakflow.InvalidArgumentError):
            proc.case(case, self.cfg, "not a url")

    def test_missing_fields(self):
        with tempfile.TemporaryDirectory() as tmp:
            path = os.path.join(tmp, "c.json")
            with open(path, "w") as f:
                json.dump({"catalogus": "https://oz.example/catalogi/api/v1/catalogussen/1",
                           "rsin": "002220647"}, f)
            cfg = zaakflow.ZgwConfig.load(path)
            with self.assertRaises(zaakflow.ValidationError) as cm:
                zaakflow.zgw_export([BEZWAAR], cfg)
            msgs = [x.message for x in cm.exception.diagnostics]
            self.assertIn("zaaktype 'bezwaar' (%s): missing verantwoordelijke" % BEZWAAR, msgs)
            self.assertGreater(len(msgs), 10)
            with open(path, "w") as f:
                f.write('{"rsin": "1"}')
            with self.assertRaises(zaakflow.SchemaError) as cm:
                zaakflow.ZgwConfig.load(path)
            self.assertEqual((cm.exception.line, cm.exception.column), (1, 2))


if __name__ == "__main__":
    unittest.main()
