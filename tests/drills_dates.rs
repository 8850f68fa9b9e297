//! The drills page through the real binary: for the build year (from
//! `SOURCE_DATE_EPOCH`) and the next, every deadline and report date of
//! every drill is on the page as a date with its weekday, worked out here
//! independently from the policy's rules (plain day counting, not
//! `ruleset::drills`); the worked example of each drill with reports holds
//! it on its earliest deadline; the helper is there for the script (hidden
//! without it) and carries each report's rules as the compiled rule set has
//! them; the calendar links point at files the build wrote. A copy of the
//! NIS 2 example with a drill of every rule kind (a month after 31 January,
//! hours after a start time, a yearly date at February's end) shows the
//! same in English, across a leap year.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use chrono::{Datelike, NaiveDate};
use incident_handbook::ruleset::deadlines::Within;
use incident_handbook::ruleset::{DrillReport, Ruleset};

/// 1 June 2027 12:00 UTC: the build year is 2027 in Taipei and Brussels.
const EPOCH_2027: &str = "1811851200";

/// Builds `root` into a temporary folder with the clock at `epoch`.
fn build(root: &Path, epoch: &str) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("site");
    let status = Command::new(env!("CARGO_BIN_EXE_handbook"))
        .args(["build", "--out"])
        .arg(&out)
        .arg("--root")
        .arg(root)
        .env("SOURCE_DATE_EPOCH", epoch)
        .output()
        .expect("binary runs");
    assert!(
        status.status.success(),
        "build: {}",
        String::from_utf8_lossy(&status.stderr)
    );
    (tmp, out)
}

/// The last day of a month, counted without chrono's month arithmetic: the
/// day before the first of the next month.
fn month_end(year: i32, month: u32) -> NaiveDate {
    let (y, m) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    NaiveDate::from_ymd_opt(y, m, 1)
        .expect("a date")
        .pred_opt()
        .expect("a date")
}

fn yearly(year: i32, month: u32, day: Option<u32>) -> NaiveDate {
    let end = month_end(year, month);
    match day {
        Some(d) if d <= end.day() => NaiveDate::from_ymd_opt(year, month, d).expect("a date"),
        _ => end,
    }
}

/// How the zh-TW theme writes a date.
fn zh_date(d: NaiveDate) -> String {
    let weekday =
        ["日", "一", "二", "三", "四", "五", "六"][d.weekday().num_days_from_sunday() as usize];
    format!(
        "{} 年 {} 月 {} 日（星期{weekday}）",
        d.year(),
        d.month(),
        d.day()
    )
}

/// How the English theme writes a date.
fn en_date(d: NaiveDate) -> String {
    let weekdays = [
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
    ];
    let months = [
        "January",
        "February",
        "March",
        "April",
        "May",
        "June",
        "July",
        "August",
        "September",
        "October",
        "November",
        "December",
    ];
    format!(
        "{} {} {} {}",
        weekdays[d.weekday().num_days_from_sunday() as usize],
        d.day(),
        months[d.month0() as usize],
        d.year()
    )
}

/// The `<section>` of one drill on the page.
fn drill_section<'a>(page: &'a str, id: &str) -> &'a str {
    let start = page
        .find(&format!("<section class=\"drill\" id=\"drill-{id}\""))
        .unwrap_or_else(|| panic!("no section for drill {id}"));
    let rest = &page[start..];
    let end = rest[1..]
        .find("<section class=\"drill\"")
        .map_or(rest.len(), |e| e + 1);
    &rest[..end]
}

/// The part of a drill's section that lists one year's dates.
fn year_block<'a>(section: &'a str, heading: &str) -> &'a str {
    let start = section
        .find(&format!(">{heading}</h4>"))
        .unwrap_or_else(|| panic!("no `{heading}` block in\n{section}"));
    let rest = &section[start..];
    &rest[..rest.find("</ul>").expect("the list ends")]
}

/// The days a report counted in days after the drill takes.
fn days_of(x: &DrillReport) -> Option<i64> {
    match x.within {
        Some(Within::Days(d)) => Some(d),
        _ => None,
    }
}

/// Every date of `year` for the drill, as the test works it out: the due
/// dates, each `by`, and each day-counted report after each due date.
fn expected_dates(r: &Ruleset, id: &str, year: i32) -> Vec<NaiveDate> {
    let d = r.drills.iter().find(|d| d.id == id).expect("the drill");
    let dues: Vec<NaiveDate> = d.due.iter().map(|x| yearly(year, x.month, x.day)).collect();
    let mut out = dues.clone();
    for x in &d.report {
        if let Some(by) = x.by {
            out.push(yearly(year, by.month, by.day));
        }
        if let Some(days) = days_of(x) {
            out.extend(dues.iter().map(|held| *held + chrono::Duration::days(days)));
        }
    }
    out.sort();
    out
}

fn datetimes(block: &str) -> Vec<String> {
    let re = regex::Regex::new(r#"<time datetime="(\d{4}-\d{2}-\d{2})">"#).expect("regex");
    re.captures_iter(block).map(|c| c[1].to_owned()).collect()
}

#[test]
fn the_bundled_drills_show_this_years_and_next_years_dates() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let r = common::bundled();
    let (_tmp, out) = build(root, EPOCH_2027);
    let page = std::fs::read_to_string(out.join("drills.html")).expect("drills page");

    for year in [2027, 2028] {
        let file = format!("drills-{year}.ics");
        assert!(
            page.contains(&format!("href=\"{file}\"")),
            "no link to {file}"
        );
        assert!(out.join(&file).is_file(), "{file} not written");
    }
    assert!(!page.contains("drills-2026.ics") && !page.contains("drills-2029.ics"));

    let mut with_dates = 0;
    for d in &r.drills {
        let section = drill_section(&page, &d.id);
        for year in [2027, 2028] {
            let expected = expected_dates(&r, &d.id, year);
            if expected.is_empty() {
                assert!(
                    !section.contains(&format!(">{year} 年</h4>")),
                    "{}: dates without rules",
                    d.id
                );
                continue;
            }
            with_dates += 1;
            let block = year_block(section, &format!("{year} 年"));
            // Every date, in date order, each shown with its weekday.
            let iso: Vec<String> = expected
                .iter()
                .map(|x| x.format("%Y-%m-%d").to_string())
                .collect();
            assert_eq!(datetimes(block), iso, "{} in {year}", d.id);
            for x in &expected {
                assert!(
                    block.contains(&format!(
                        "<time datetime=\"{}\">{}</time>",
                        x.format("%Y-%m-%d"),
                        zh_date(*x)
                    )),
                    "{}: {} not shown as {}",
                    d.id,
                    x,
                    zh_date(*x)
                );
            }
        }
    }
    assert!(
        with_dates >= 4,
        "only {with_dates} year blocks: the bundled drills have dates in both years"
    );

    // The same dates spelled out by hand, against a shared mistake of the
    // page and the test's own counting: 30 September 2027 is a Thursday,
    // two weeks later (14 October 2028) a Saturday, 31 October 2027 a Sunday.
    for shown in [
        "<time datetime=\"2027-09-30\">2027 年 9 月 30 日（星期四）</time>",
        "<time datetime=\"2028-10-14\">2028 年 10 月 14 日（星期六）</time>",
        "<time datetime=\"2027-10-31\">2027 年 10 月 31 日（星期日）</time>",
        "<time datetime=\"2028-04-30\">2028 年 4 月 30 日（星期日）</time>",
    ] {
        assert!(page.contains(shown), "the page lacks {shown}");
    }
}

#[test]
fn each_drill_with_reports_has_a_worked_example_and_helper_rules() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let r = common::bundled();
    let (_tmp, out) = build(root, EPOCH_2027);
    let page = std::fs::read_to_string(out.join("drills.html")).expect("drills page");

    // Without the script the helper stays hidden; the examples stand alone.
    let helper = &page[page
        .find("<section id=\"drill-helper\"")
        .expect("the helper")..];
    let helper = &helper[..helper.find("</section>").expect("its end")];
    assert!(
        helper.contains(" hidden"),
        "the helper must be hidden until drills.js runs"
    );
    assert!(page.contains("assets/drills.js"));

    let mut examples = 0;
    for d in &r.drills {
        let section = drill_section(&page, &d.id);
        if d.report.is_empty() {
            assert!(
                !section.contains("drill-example"),
                "{}: an example without reports",
                d.id
            );
            assert!(!helper.contains(&format!("data-drill=\"{}\"", d.id)));
            continue;
        }
        examples += 1;
        let held = d
            .due
            .iter()
            .map(|x| yearly(2027, x.month, x.day))
            .min()
            .expect("the bundled drills with reports have deadlines");
        let example = &section[section.find("drill-example").expect("an example")..];
        assert!(
            example.contains(&format!(
                "<time datetime=\"{}\">{}</time>",
                held.format("%Y-%m-%d"),
                zh_date(held)
            )),
            "{}: the example is not held on {held}",
            d.id
        );
        for x in &d.report {
            let due = match (days_of(x), x.by) {
                (Some(days), _) => held + chrono::Duration::days(days),
                (None, Some(by)) => {
                    let this_year = yearly(2027, by.month, by.day);
                    if this_year >= held {
                        this_year
                    } else {
                        yearly(2028, by.month, by.day)
                    }
                }
                _ => panic!("{}: a bundled report rule this test does not count", d.id),
            };
            assert!(
                example.contains(&format!(
                    "<time datetime=\"{}\">{}</time>",
                    due.format("%Y-%m-%d"),
                    zh_date(due)
                )),
                "{}: the example lacks the report due {due}",
                d.id
            );
        }
        // The helper carries the report rules as the rule set compiles them.
        let block = &helper[helper
            .find(&format!("data-drill=\"{}\"", d.id))
            .expect("a helper block")..];
        for x in &d.report {
            let rule = serde_json::json!({"within": x.within, "by": x.by}).to_string();
            let attr = rule.replace('"', "&quot;");
            assert!(
                block.contains(&format!("data-rule=\"{attr}\"")),
                "{}: no data-rule {rule}",
                d.id
            );
        }
    }
    assert!(examples >= 2, "only {examples} worked examples");
}

const TEST_DRILL: &str = r#"
[[drill]]
id = "exercise"
name = { en = "Tabletop exercise" }
organiser = "ccb"
cadence = "yearly"
times_per_year = 1
source = "Art. 23"

[[drill.due]]
month = 1
day = 31
text = { en = "Hold it in January." }
source = "Art. 23"

[[drill.report]]
text = { en = "Lessons learnt." }
to = "ccb"
within = "1mo"
source = "Art. 23"

[[drill.report]]
text = { en = "First summary." }
to = "ccb-cert"
within = "36h"
source = "Art. 23"

[[drill.report]]
text = { en = "Yearly summary." }
to = "ccb"
by = { month = 2, day = "end" }
source = "Art. 23"
"#;

#[test]
fn every_rule_kind_in_english_across_a_leap_year() {
    let tmp = tempfile::tempdir().expect("tmp");
    let root = tmp.path().join("nis2");
    common::copy_dir(
        Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/nis2")),
        &root,
    );
    std::fs::write(root.join("policy/drills.toml"), TEST_DRILL).expect("write");
    let (code, _, err) = common::handbook_at(&root, &["check", "--deny-warnings"]);
    assert_eq!(code, 0, "check: {err}");
    let (_out_tmp, out) = build(&root, EPOCH_2027);
    let page = std::fs::read_to_string(out.join("drills.html")).expect("drills page");
    let section = drill_section(&page, "exercise");

    let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day).expect("a date");
    let time = |x: NaiveDate| {
        format!(
            "<time datetime=\"{}\">{}</time>",
            x.format("%Y-%m-%d"),
            en_date(x)
        )
    };
    // 2027: due 31 January, February's end the 28th; a month after 31
    // January is 28 February. 2028: 29 February, both.
    let y2027 = year_block(section, "In 2027");
    assert_eq!(datetimes(y2027), ["2027-01-31", "2027-02-28", "2027-02-28"]);
    assert!(y2027.contains(&time(d(2027, 1, 31))) && y2027.contains(&time(d(2027, 2, 28))));
    let y2028 = year_block(section, "In 2028");
    assert_eq!(datetimes(y2028), ["2028-01-31", "2028-02-29", "2028-02-29"]);
    assert!(y2028.contains("<time datetime=\"2028-02-29\">Tuesday 29 February 2028</time>"));
    // Hours need a start time: the year blocks leave that report out, the
    // example starts at 09:00 and counts 36 elapsed hours.
    let example = &section[section.find("drill-example").expect("an example")..];
    assert!(
        example.contains("Sunday 31 January 2027, 09:00"),
        "{example}"
    );
    assert!(example.contains("<time datetime=\"2027-02-28\">Sunday 28 February 2027</time>"));
    assert!(
        example
            .contains("<time datetime=\"2027-02-01T21:00\">Monday 1 February 2027, 21:00</time>")
    );
    // The helper asks for the time for this drill only.
    assert!(page.contains("id=\"drill-helper-time\""));
    assert!(page.contains("data-needs-time=\"true\""));
}

#[test]
fn a_policy_without_drills_has_no_dates_and_no_helper() {
    let root = Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/examples/nis2"));
    assert!(common::compiled(root).drills.is_empty());
    let (_tmp, out) = build(root, EPOCH_2027);
    let page = std::fs::read_to_string(out.join("drills.html")).expect("drills page");
    assert!(!page.contains("drill-helper"));
    assert!(!page.contains("<time"));
    assert!(page.contains("href=\"drills-2027.ics\"") && page.contains("href=\"drills-2028.ics\""));
}
