# Tolerant headers (SPEC §5, issue 10 item 1): header names match ignoring
# case, surrounding spaces and tabs and a BOM; columns no field reads are
# ignored and listed once (--strict refuses them, naming file:1:column);
# every missing required column is named in one message; --map names a
# column with a comma in it, on its own or in a --map-file (YAML), whose
# mistakes are told with file:line:column.
. "$(dirname "$0")/lib.sh"

REAL=${SHARED:?}/data/real
SHOP=$REAL/shopify_orders_export_1_ExplorerClothing_REDACTED.csv
GITLAB=$REAL/gitlab_csv_gitlab_export.csv
q() { sqlite3 "$MERIT_DB" "$1"; }
ind() { q "select count(*) || ' ' || printf('%.2f', coalesce(sum(value), 0)) from measurement m join subject s on s.id = m.subject_id where s.indicator = '$1' and ifnull(s.login, '') = '$2'"; }

run_ok "init" init --goal sales
run_ok "staff" staff add sup --name Sup --position support
run_ok "staff" staff add lina --name Lina --position promoter
run_ok "own site" own site shop.example --who sup

# The real Shopify export as is, then with its header re-cased and padded:
# the same preset, the same figures.
run_ok "shopify as exported" import orders "$SHOP"
contains "preset shopify" "$T/out" "preset shopify"
want=$(ind online_sales '')
run_ok "batch rm" batch rm "$(q 'select max(id) from batch')"
sed '1s/.*/\L&/; 1s/,/ , /g' "$SHOP" > shop-lower.csv
head -1 shop-lower.csv | grep -q '^name , email , financial status' && ok || fail "the sed did not re-case the header: $(head -c 80 shop-lower.csv)"
run_ok "shopify, header in lower case with spaces" import orders shop-lower.csv
contains "still the shopify preset" "$T/out" "preset shopify"
expect "the same sales" "$(ind online_sales '')" "$want"
contains "unused columns listed once, counted" "$T/err" 'shop-lower.csv: ignored [0-9]+ columns not used by the shopify preset: "paid at", "fulfillment status", .*… and [0-9]+ more'
expect "listed once" "$(grep -c 'ignored' "$T/err")" "1"
run_ok "batch rm" batch rm "$(q 'select max(id) from batch')"

# The real GitLab export in upper case: the gitlab preset still fits.
sed '1s/.*/\U&/' "$GITLAB" > gitlab-upper.csv
run_fail "gitlab, header in upper case" 1 "nothing to count, so no batch was made: no row gave a measurement" import tasks gitlab-upper.csv
contains "gitlab preset" "$T/err" "not used by the gitlab preset"

# A generic file: BOM, case, spaces and tabs; extra columns listed once.
printf '\357\273\277 Date ,SITE,\tUp\t, Total,status,latency_ms,error\n2026-11-01,shop.example,1439,1440,ok,35,\n' > up.csv
run_ok "uptime: BOM, case, spaces" import uptime up.csv
expect "uptime written" "$(q "select count(*) || ' ' || sum(value) || '/' || sum(denominator) from measurement m join subject s on s.id = m.subject_id where s.indicator = 'uptime'")" "1 1439.0/1440.0"
contains "ignored columns named" "$T/err" '^up.csv: ignored 3 columns not used by uptime files: "status", "latency_ms", "error"$'

# --strict: the first unused column is an error at its column; nothing written
printf 'date,site,up,total,status,latency_ms\n2026-11-02,shop.example,1440,1440,ok,30\n' > strict.csv
run_fail "--strict refuses an unused column" 1 'strict.csv:1:5: column "status" is not used by uptime files \(strict\); other unused columns: "latency_ms"' import uptime strict.csv --strict
run_ok "--strict with the columns let be" import uptime strict.csv --strict --map status=- --map latency_ms=-

# every missing required column in one message, with what the layout needs
printf 'Date,Site,Status\n2026-11-03,shop.example,ok\n' > missing.csv
run_fail "two missing columns named at once" 1 'missing.csv:1: 2 required columns missing: "up", "total"\. uptime files \(generic layout\) need date, site, up, total in the header \(line 1 of missing.csv\)' import uptime missing.csv
if grep -q 'the header is' "$T/err"; then fail "the message reads as if it were the user's header: $(cat "$T/err")"; else ok; fi
sed '1s/,Total,/,Grand Total,/; 1s/,Created at,/,Created,/' "$SHOP" > shopmiss.csv
run_fail "a preset's missing columns, with their fields" 1 'shopmiss.csv:1: 2 required columns missing: "Total" \(total\), "Created at" \(date\)|shopmiss.csv:1: 2 required columns missing: "Created at" \(date\), "Total" \(total\)' import orders shopmiss.csv --preset shopify
contains "what the preset needs" "$T/err" 'the shopify preset needs .* in the header \(line 1 of shopmiss.csv\)'

# a column whose name holds a comma: --map on its own, and --map-file
printf 'Day,"Site, main",Up,Total\n2026-11-04,shop.example,1440,1440\n' > comma.csv
run_ok "--map with a comma in the column" import uptime comma.csv --map 'Day=date' --map 'Site, main=site'
expect "mapped row written" "$(q "select count(*) from measurement m join subject s on s.id = m.subject_id where s.indicator = 'uptime'")" "3"
run_ok "batch rm" batch rm "$(q 'select max(id) from batch')"
run_ok "--map list form still works" import uptime comma.csv --map 'Day=date,Up=up' --map 'Site, main=site'
printf 'Day,Site,Up,Total\n2026-11-05,shop.example,1440,1440\n' > nocomma.csv
run_fail "a value that is no list and no column" 1 'mapping Site, main=site: nocomma.csv has no column "Site, main" in its header \(line 1\)' import uptime nocomma.csv --map Day=date --map 'Site, main=site'
run_ok "batch rm" batch rm "$(q 'select max(id) from batch')"
cat > map.yaml <<'EOF'
# how our monitoring tool names its columns
"Site, main": site
Day: date
EOF
run_ok "--map-file with a comma in the column" import uptime comma.csv --map-file map.yaml
expect "map-file row written" "$(q "select count(*) from measurement m join subject s on s.id = m.subject_id where s.indicator = 'uptime'")" "3"
cat > bad.yaml <<'EOF'
"Site, main": site
Day: dat
EOF
run_fail "--map-file: unknown field at line:column" 1 'bad.yaml:2:6: uptime files have no field "dat"' import uptime comma.csv --map-file bad.yaml --replace
printf '"Site, main": site\nDay: [date\n' > syntax.yaml
run_fail "--map-file: YAML syntax at line:column" 1 'syntax.yaml:[0-9]+:[0-9]+: ' import uptime comma.csv --map-file syntax.yaml --replace
printf '"Site, main": site\nDay: date\nWhen: date\n' > absent.yaml
run_fail "--map-file: a column not in the header" 1 'absent.yaml:3:1: column "When" is not in the header of comma.csv' import uptime comma.csv --map-file absent.yaml --replace

finish
