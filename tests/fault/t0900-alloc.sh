# The Nth allocation fails, for every N (merit's own allocations, with
# jansson's through merit's allocator, and SQLite's; see shim.c) in
# import, ingest, score, report (xlsx, pdf, html), rate and cycle close,
# and libyaml's reading the plan: each run exits 1 with a message and the
# database as before, or exits 0 with the good run's output and database.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/common.sh"

fault_setup
cp "$MERIT_DB" open.db
# Every command first opens the database (SQLite reads the schema: some
# 1400 allocations, the same in each); import tries those in full, the
# others every 10th of them (PRE) and every one after.
sweep alloc --before open.db --label import -- import measurements more.csv
PRE="--prefix-args=batch rm 99"

FF='"Mozilla/5.0 (X11; Linux x86_64; rv:120.0) Gecko/20100101 Firefox/120.0"'
{
	echo "10.0.0.1 - - [05/Jan/2026:08:00:00 +0800] \"GET /?utm_source=weibo HTTP/1.1\" 200 100 \"-\" $FF"
	echo "10.0.0.1 - - [05/Jan/2026:08:20:00 +0800] \"GET /blog/a HTTP/1.1\" 200 100 \"-\" $FF"
	echo "10.0.0.2 - - [05/Jan/2026:09:00:00 +0800] \"GET / HTTP/1.1\" 200 100 \"https://m.weibo.cn/x\" $FF"
	echo 'not a log line'
} >small.log
run_ok "own channel" own channel weibo --who ana
cp "$MERIT_DB" owned.db
sweep alloc "$PRE" --before owned.db --label ingest -- ingest small.log

sweep alloc "$PRE" --before open.db --label score -- score 2026-01
# libyaml's allocations, reading the plan (every 3rd: they repeat)
sweep alloc --scope libyaml-0 --stride $((3 * ${FAULT_STRIDE:-1})) --before open.db \
	--label "score (libyaml)" -- score 2026-01
sweep alloc "$PRE" --before open.db --label rate -- rate ana --period 2026-01 --by self \
	--criterion analysis=4 --criterion strategy=4.5 --criterion execution=3
run_ok "review" cycle review 2026-01
cp "$MERIT_DB" review.db
for f in xlsx pdf html; do
	sweep alloc "$PRE" --before review.db --label "report $f" --out "$T/r.$f" -- \
		report 2026-01 --format $f -o "$T/r.$f"
done
sweep alloc "$PRE" --before review.db --label "cycle close" -- cycle close 2026-01 --force

finish
