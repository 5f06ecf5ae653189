#!/bin/sh
# ZGW (issue 16): `zaakflow zgw export` of every shipped process and the Zaak
# view and Zaken API requests of every case of the chain scenario, validated
# against the JSON Schemas of schemas/zgw/ (Catalogi API 1.3.1, Zaken API
# 1.5.1) with Debian's python3-jsonschema; determinism, incremental
# synchronisation, and the errors: a missing configuration field, a too long
# omschrijving. No network. Exit 77 only when python3-jsonschema is missing.
set -u

cli=${ZF_CLI:-../tools/zaakflow}
srcdir=${ZF_SRCDIR:-..}
cfg=$srcdir/examples/zgw/config.json
schemas=$srcdir/schemas/zgw
validate=$srcdir/tests/zgw_validate.py
pass=0
fail=0
tmp=${TMPDIR:-/tmp}/zf-zgw-$$
mkdir -p "$tmp" || exit 99
trap 'rm -rf "$tmp"' EXIT INT TERM

ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

# A Python with jsonschema: configure's, Debian's, or the first on PATH.
py=
for p in ${ZF_PYTHON:-} /usr/bin/python3 python3; do
    if "$p" -c 'import jsonschema' 2>/dev/null; then
        py=$p
        break
    fi
done
if [ -z "$py" ]; then
    echo "SKIP: python3-jsonschema is not installed (scripts/install-deps.sh installs it)"
    exit 77
fi

# --- the declarations: schemas/zgw.xsd together with schemas/process.xsd ----
if command -v xmllint >/dev/null 2>&1; then
    abs=$(cd "$srcdir" && pwd)
    cat >"$tmp/all.xsd" <<EOF
<?xml version="1.0"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema">
  <xs:import namespace="urn:zaakflow:process:1" schemaLocation="file://$abs/schemas/process.xsd"/>
  <xs:import namespace="urn:zaakflow:zgw:1" schemaLocation="file://$abs/schemas/zgw.xsd"/>
</xs:schema>
EOF
    if xmllint --noout --nonet --schema "$tmp/all.xsd" "$srcdir"/processes/*.xml 2>"$tmp/err"; then
        ok
    else
        bad "processes do not validate against process.xsd + zgw.xsd: $(grep -v validates "$tmp/err")"
    fi
    sed 's/zgw:resultaat="Ongegrond"/zgw:resultaat="Ongegrond na horen van de commissie"/' \
        "$srcdir/processes/bezwaar.xml" >"$tmp/long-resultaat.xml"
    if xmllint --noout --nonet --schema "$tmp/all.xsd" "$tmp/long-resultaat.xml" 2>/dev/null; then
        bad "zgw.xsd admits a resultaat of more than 30 characters"
    else
        ok
    fi
fi

# --- export of every shipped process --------------------------------------
if "$cli" zgw export "$srcdir"/processes/*.xml --config "$cfg" --out "$tmp/export" 2>"$tmp/err"; then
    ok
else
    bad "zgw export of processes/*.xml: $(cat "$tmp/err")"
fi
for r in ZaakType StatusType ResultaatType RolType Eigenschap requests; do
    if [ -s "$tmp/export/$r.json" ]; then ok; else bad "export wrote no $r.json"; fi
done
if "$py" "$validate" "$schemas" export "$tmp/export" >"$tmp/out"; then
    ok
else
    bad "exported documents do not validate: $(cat "$tmp/out")"
fi
# Every process has its zaaktype (twelve), in the order given.
n=$("$py" -c 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$tmp/export/ZaakType.json")
# Twelve processes, and an earlier version of dwangsom (processes/dwangsom_2018.xml).
if [ "$n" = 13 ]; then ok; else bad "ZaakType.json has $n zaaktypen, want 13"; fi
# Deterministic: the same inputs give the same bytes.
"$cli" zgw export "$srcdir"/processes/*.xml --config "$cfg" --out "$tmp/export2" 2>/dev/null
for r in ZaakType StatusType ResultaatType RolType Eigenschap requests; do
    if cmp -s "$tmp/export/$r.json" "$tmp/export2/$r.json"; then ok; else bad "$r.json differs between runs"; fi
done
# The mapping of bezwaar (docs/zgw.md): doorlooptijd is the longest length of the
# beslistermijn (7:10 lid 1: 12 weeks with a committee), verlenging 6 weeks (7:10 lid 3).
"$py" - "$tmp/export/ZaakType.json" "$tmp/export/StatusType.json" >"$tmp/out" 2>&1 <<'EOF' || bad "bezwaar mapping: $(cat "$tmp/out")"
import json, sys
# The current version of each zaaktype (an earlier one has an eindeGeldigheid).
zt = {z["identificatie"]: z for z in json.load(open(sys.argv[1])) if not z["eindeGeldigheid"]}
b = zt["BEZWAAR-SD"]
assert b["doorlooptijd"] == "P12W", b["doorlooptijd"]
assert "commissie_gemeld ? 12w : 6w" in b["toelichting"], b["toelichting"]
assert b["opschortingEnAanhoudingMogelijk"] is True
assert b["verlengingMogelijk"] is True and b["verlengingstermijn"] == "P6W"
assert [r["aardRelatie"] for r in b["gerelateerdeZaaktypen"]] == ["vervolg"]
assert b["deelzaaktypen"] == [zt["DWANGSOM-NTB"]["url"]], b["deelzaaktypen"]
st = [s for s in json.load(open(sys.argv[2])) if s["zaaktype"] == b["url"]]
assert [s["volgnummer"] for s in st] == [1, 2, 3, 4, 5, 6, 7]
assert [s["isEindstatus"] for s in st] == [False] * 6 + [True]
assert zt["KLACHT"]["doorlooptijd"] == "P10W"
EOF
ok

# --- the chain scenario: every case's Zaak view and requests ------------------
mkdir -p "$tmp/snap" "$tmp/case"
if "$cli" run "$srcdir/processes/wmo_melding.xml" \
    --scenario "$srcdir/tests/scenarios/keten_wmo_tot_hoger_beroep.xml" \
    --snapshots "$tmp/snap" >/dev/null 2>"$tmp/err"; then
    ok
else
    bad "run --snapshots: $(cat "$tmp/err")"
fi
zaken=https://openzaak.gemeente.example/zaken/api/v1/zaken
ncases=0
while read -r name process parent relation; do
    ncases=$((ncases + 1))
    set -- --process "$srcdir/processes/$process.xml" --config "$cfg" --zaak "$zaken/keten-$name"
    case $relation in
    deelzaak) set -- "$@" --hoofdzaak "$zaken/keten-$parent" ;;
    vervolg) set -- "$@" --vervolg-op "$zaken/keten-$parent" ;;
    esac
    if "$cli" zgw case "$tmp/snap/$name.xml" "$@" >"$tmp/case/$name.view.json" 2>"$tmp/err" &&
        "$cli" zgw case "$tmp/snap/$name.xml" "$@" --requests >"$tmp/case/$name.requests.json" 2>>"$tmp/err"; then
        ok
    else
        bad "zgw case $name: $(cat "$tmp/err")"
        continue
    fi
    # Incremental synchronisation, cut at every date: the parts together are the
    # whole, a repeated synchronisation sends nothing, a cut inside a date is refused.
    "$py" - "$cli" "$tmp/snap/$name.xml" "$tmp/case/$name.requests.json" "$@" >"$tmp/out" 2>&1 <<'EOF' || bad "incremental $name: $(cat "$tmp/out")"
import json, re, subprocess, sys
cli, snap, full = sys.argv[1], sys.argv[2], json.load(open(sys.argv[3]))
args = sys.argv[4:]
def sync(after):
    p = subprocess.run([cli, "zgw", "case", snap] + args + ["--requests", "--after", str(after)],
                       capture_output=True, text=True)
    return p.returncode, (json.loads(p.stdout) if p.returncode == 0 else p.stderr)
entries = re.findall(r'<entry seq="(\d+)" date="([\d-]+)"', open(snap).read())
last_of_date = [int(s) for i, (s, d) in enumerate(entries)
                if i + 1 == len(entries) or entries[i + 1][1] != d]
through = full["through"]
rc, again = sync(through)
assert rc == 0 and again["requests"] == [] and again["through"] == through, again
for cut in [c for c in last_of_date if c <= through]:
    # the requests after a cut are the whole's tail
    rc, b = sync(cut)
    assert rc == 0, b
    assert b["after"] == cut and b["through"] == through
    tail = b["requests"]
    assert full["requests"][len(full["requests"]) - len(tail):] == tail, (cut, tail)
for i, (s, d) in enumerate(entries[:-1]):
    if entries[i + 1][1] == d:
        rc, err = sync(int(s))
        assert rc == 2 and "synchronise whole dates" in err, (s, rc, err)
        break
EOF
    ok
done <"$tmp/snap/cases.txt"
if [ "$ncases" = 5 ]; then ok; else bad "the chain scenario has $ncases cases, want 5"; fi
if "$py" "$validate" "$schemas" case "$tmp"/case/*.json >"$tmp/out"; then
    ok
else
    bad "case documents do not validate: $(cat "$tmp/out")"
fi
# The bezwaar case of the chain (tests/scenarios/keten_wmo_tot_hoger_beroep.xml):
# uiterlijkeEinddatumAfdoening is the beslistermijn's last day, twelve weeks from the
# Atw-extended end of the bezwaartermijn (Awb 7:10 lid 1, 7:13; Atw art 1): 2026-03-23.
"$py" - "$tmp/case/bezwaar.view.json" "$tmp/case/dwangsom.view.json" >"$tmp/out" 2>&1 <<'EOF' || bad "bezwaar view: $(cat "$tmp/out")"
import json, sys
v = json.load(open(sys.argv[1]))
assert v["zaak"]["uiterlijkeEinddatumAfdoening"] == "2026-03-23", v["zaak"]
assert v["zaak"]["einddatum"] == "2026-03-12"
assert v["status"]["datumStatusGezet"] == "2026-03-12T00:00:00+01:00"
assert v["resultaat"]["toelichting"] == "ongegrond"
assert v["zaak"]["relevanteAndereZaken"][0]["aardRelatie"] == "vervolg"
d = json.load(open(sys.argv[2]))
assert d["zaak"]["hoofdzaak"].endswith("/keten-main"), d["zaak"]
EOF
ok

# --- errors -------------------------------------------------------------------
# A configuration that lacks host fields: every missing field is named, with the
# position of its zaaktype entry.
cat >"$tmp/missing.json" <<'EOF'
{
  "catalogus": "https://openzaak.gemeente.example/catalogi/api/v1/catalogussen/7c0e6595-7a8a-4f9c-b2f0-f0a2c0a5c1d4",
  "rsin": "002220647",
  "zaaktypen": {
    "bezwaar": {
      "identificatie": "BEZWAAR-SD",
      "vertrouwelijkheidaanduiding": "vertrouwelijk"
    }
  }
}
EOF
"$cli" zgw export "$srcdir/processes/bezwaar.xml" --config "$tmp/missing.json" --out "$tmp/none" >"$tmp/out" 2>"$tmp/err"
st=$?
if [ "$st" = 1 ]; then ok; else bad "missing fields: exit $st, want 1"; fi
for f in productenOfDiensten verantwoordelijke referentieproces selectielijstProcestype \
    beginGeldigheid versiedatum "roltypen.behandelaar" "resultaattypen.gegrond.archiefnominatie"; do
    if grep -q "missing.json:5:5: error: zaaktype 'bezwaar' (.*bezwaar.xml): missing $f" "$tmp/err"; then
        ok
    else
        bad "missing field $f not reported: $(cat "$tmp/err")"
    fi
done
if [ ! -e "$tmp/none/ZaakType.json" ]; then ok; else bad "export wrote files despite errors"; fi
# A too long omschrijving in the configuration: refused with its position.
sed 's/"identificatie": "BEZWAAR-SD",/"identificatie": "BEZWAAR-SD", "omschrijving": "Bezwaar tegen een besluit in het sociaal domein van de gemeente, behandeld door de commissie",/' \
    "$cfg" >"$tmp/long.json"
"$cli" zgw check "$srcdir/processes/bezwaar.xml" --config "$tmp/long.json" >/dev/null 2>"$tmp/err"
st=$?
if [ "$st" = 1 ] && grep -q "long.json:.*zaaktypen.bezwaar.omschrijving has more than 80 characters" "$tmp/err"; then
    ok
else
    bad "too long omschrijving: exit $st: $(cat "$tmp/err")"
fi
# A too long resultaat omschrijving in a definition: refused at its line.
sed 's/zgw:resultaat="Ongegrond"/zgw:resultaat="Ongegrond na horen van de commissie"/' \
    "$srcdir/processes/bezwaar.xml" >"$tmp/bezwaar.xml"
"$cli" zgw check "$tmp/bezwaar.xml" --config "$cfg" >/dev/null 2>"$tmp/err"
st=$?
line=$(grep -n '<final id="ongegrond"' "$tmp/bezwaar.xml" | cut -d: -f1)
if [ "$st" = 1 ] && grep -q "bezwaar.xml:$line:3: error: the resultaat omschrijving of final state 'ongegrond' has more than 30 characters" "$tmp/err"; then
    ok
else
    bad "too long resultaat: exit $st: $(cat "$tmp/err")"
fi
# Not JSON: line and column.
printf '{\n  "rsin": "002220647",\n  "catalogus": x\n}\n' >"$tmp/bad.json"
"$cli" zgw check "$srcdir/processes/bezwaar.xml" --config "$tmp/bad.json" >/dev/null 2>"$tmp/err"
if grep -q "bad.json:3:16: error: unexpected character" "$tmp/err"; then ok; else bad "bad JSON: $(cat "$tmp/err")"; fi
# A status that is not a number, an end status on a non-final state.
sed 's/id="registratie" zgw:status="1"/id="registratie" zgw:status="een"/' \
    "$srcdir/processes/bezwaar.xml" >"$tmp/status.xml"
"$cli" zgw check "$tmp/status.xml" --config "$cfg" >/dev/null 2>"$tmp/err"
if grep -q "zgw:status 'een' of state 'registratie' is not a number from 1 to 9999" "$tmp/err"; then ok; else bad "bad status: $(cat "$tmp/err")"; fi

echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
