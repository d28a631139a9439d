#!/bin/sh
# A school's first week from the command line, the way the Student Affairs Office would script it:
# the roster template, the roster import, last winter's campaign, the visits it recorded on paper
# and in Excel (by counselors who have not signed in yet), and the campaign's report.
#
#   JIAFANG=path/to/jiafang DATABASE_URL=sqlite://jiafang.db tests/first-week.sh FOLDER
#
# FOLDER holds the school's files. The first run writes FOLDER/roster-template.xlsx and stops
# (exit 3) until FOLDER/roster.xlsx (the template, filled in) is there; then it imports it and
# FOLDER/visits.csv, and writes FOLDER/report.json and FOLDER/report.html.
# `tests/tests/api/first_week.rs` runs it on a fresh database and checks the report's figures
# against the files.
set -eu
folder=${1:?usage: first-week.sh FOLDER}
jiafang=${JIAFANG:-jiafang}
campaign=${CAMPAIGN:-2024年寒假家访}
run() { "$jiafang" --database-url "${DATABASE_URL:?set DATABASE_URL}" "$@"; }

if [ ! -f "$folder/roster.xlsx" ]; then
    run import roster --template "$folder/roster-template.xlsx"
    echo "填写 $folder/roster-template.xlsx 并另存为 $folder/roster.xlsx 后再运行 / fill in the template, save it as $folder/roster.xlsx and run again" >&2
    exit 3
fi
run import roster "$folder/roster.xlsx"
if ! run campaign list | grep -q "$campaign"; then
    run campaign add --name "$campaign" --starts "${STARTS:-2024-01-15}" --ends "${ENDS:-2024-02-25}" \
        --target-students "${TARGET_STUDENTS:-100}"
fi
run import visits --campaign "$campaign" "$folder/visits.csv"
run report --campaign "$campaign" --format json --output "$folder/report.json"
run report --campaign "$campaign" --format html --output "$folder/report.html"
echo "报告 / report: $folder/report.html"
