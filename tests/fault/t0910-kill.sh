# kill -9 at every database write (each write/pwrite to the .db, -wal or
# -journal file, counted by the shim) of an import (whole, and in parts), a cycle close and a
# web upload (merit serve killed while it handles POST /api/import): the
# database then passes integrity_check and equals the one before or the
# one after, and the command run again works.
. "$(dirname "$0")/../e2e/lib.sh"
. "$(dirname "$0")/common.sh"

fault_setup
cp "$MERIT_DB" open.db
sweep kill --before open.db --label import -- import measurements more.csv
# the same, written in parts (3 rows each: MERIT_LOAD_PART makes a small
# import behave as a 3,000,000-row one does): killed between two parts,
# `score` reads the database as before, and the import run again first
# removes what the killed one wrote, then ends as the good run did
printf 'date,indicator,login,value,denominator\n' >long.csv
for d in 15 16 17 18 19 20; do
	printf '2026-01-%s,promo_posts,ana,%s,\n2026-01-%s,site_visits,bo,%s00,\n' $d $d $d $d >>long.csv
done
MERIT_LOAD_PART=3 sweep kill --before open.db --label "import in parts" \
	--look "score 2026-01 --csv" --want-parts -- import measurements long.csv

run_ok "review" cycle review 2026-01
cp "$MERIT_DB" review.db
sweep kill --before review.db --label "cycle close" -- cycle close 2026-01 --force

cp open.db "$MERIT_DB"
rm -f "$MERIT_DB-wal" "$MERIT_DB-shm"
printf 'pw-boss-secret\n' | "$MERIT" user add boss --role admin >"$T/out" 2>"$T/err"
if [ $? -eq 0 ]; then ok; else fail "user add boss: $(cat "$T/err")"; fi
cp "$MERIT_DB" web.db
sweep webkill --before web.db --label "web upload" --login boss --password pw-boss-secret \
	--file "$T/more.csv"

finish
