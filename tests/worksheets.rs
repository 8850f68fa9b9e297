//! The no-JavaScript end of the incident path: the static level tree's
//! question help and "not sure" answers, the level result's channels and
//! links, the hand-calculation worksheet of every level and reader, and the
//! report worksheet; on the bundled handbook and on `examples/nis2`, whose
//! policy has no readers.
//!
//! Expected times are worked out here with chrono on the wall clock, not
//! through the crate's deadline code, so a worked example that drifted from
//! the rules would fail.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate, Timelike};
use common::{bundled, compiled};
use incident_handbook::domain::LevelId;
use incident_handbook::ruleset::Ruleset;
use incident_handbook::ruleset::deadlines::{IncidentFacts, compute, parse_time};
use incident_handbook::site::{self, BuildOptions};

const YEAR: i32 = 2027;

fn build(root: &Path) -> BTreeMap<String, String> {
    let tmp = tempfile::tempdir().expect("tmp");
    let out = tmp.path().join("public");
    site::build(&BuildOptions {
        root: root.to_path_buf(),
        out: out.clone(),
        force: false,
        year: Some(YEAR),
    })
    .expect("builds");
    let mut files = BTreeMap::new();
    for entry in walkdir::WalkDir::new(&out) {
        let entry = entry.expect("walk");
        if entry.path().extension().is_some_and(|e| e == "html") {
            let rel = entry.path().strip_prefix(&out).expect("inside");
            let text = std::fs::read_to_string(entry.path()).expect("UTF-8");
            files.insert(rel.to_string_lossy().replace('\\', "/"), text);
        }
    }
    files
}

fn manifest() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

/// The `data-event` ids of a worksheet's hand-calculation lines, in order.
fn line_events(page: &str) -> Vec<String> {
    const LINE: &str = "<li class=\"worksheet-line\" data-event=\"";
    page.match_indices(LINE)
        .map(|(i, _)| {
            let rest = &page[i + LINE.len()..];
            rest[..rest.find('"').expect("id ends")].to_owned()
        })
        .collect()
}

/// The text of the element that starts at the first `marker` after `from`.
fn element_text<'a>(page: &'a str, marker: &str) -> &'a str {
    let at = page.find(marker).unwrap_or_else(|| panic!("no {marker}"));
    let rest = &page[at..];
    let end = rest.find("</li>").expect("closed");
    &rest[..end]
}

/// The events `compute` lists at `level` that `actor` does (every one when
/// `actor` is `None`), with every condition set, as the worksheet does.
fn computed_events(level: &LevelId, r: &Ruleset, actor: Option<&str>) -> Vec<String> {
    let zone = r.zone();
    let facts = IncidentFacts {
        zone,
        level: level.clone(),
        discovered: parse_time("2027-06-30T23:30", zone).expect("a time"),
        discovery: r.handbook.discovery.clone(),
        conditions: r.conditions.iter().map(|c| c.id.clone()).collect(),
        actual: BTreeMap::new(),
    };
    compute(&r.event_specs(), &facts)
        .into_iter()
        .filter(|d| actor.is_none_or(|a| d.actor == a))
        .map(|d| d.event)
        .collect()
}

const WEEKDAYS: [&str; 7] = [
    "星期日",
    "星期一",
    "星期二",
    "星期三",
    "星期四",
    "星期五",
    "星期六",
];

fn zh_time(t: chrono::NaiveDateTime) -> String {
    format!(
        "{} 年 {} 月 {} 日（{}）{:02}:{:02}",
        t.year(),
        t.month(),
        t.day(),
        WEEKDAYS[t.weekday().num_days_from_sunday() as usize],
        t.hour(),
        t.minute()
    )
}

#[test]
fn every_level_and_reader_has_a_worksheet_with_only_their_deadlines() {
    let r = bundled();
    let files = build(manifest());
    assert!(!r.handbook.readers.is_empty());
    for level in &r.levels {
        for reader in &r.handbook.readers {
            let path = format!("worksheets/{}-{reader}.html", level.id);
            let page = files
                .get(&path)
                .unwrap_or_else(|| panic!("{path} is missing"));
            let expected = computed_events(&level.id, &r, Some(reader));
            assert_eq!(line_events(page), expected, "{path}");
            // The phone line, as a tel: link with the number shown.
            let hotline = r
                .contacts
                .iter()
                .find(|c| c.id == r.handbook.phone_line)
                .expect("phone line");
            let href = hotline.href.as_deref().expect("a phone has a link");
            assert!(
                page.contains(&format!("href=\"{href}\">{}</a>", hotline.value)),
                "{path} has no tel: link to the phone line"
            );
            assert!(page.contains("report.html"), "{path} links the report");
        }
        // The static result of the level links every reader's worksheet.
        let result = files
            .iter()
            .find(|(p, html)| {
                p.starts_with("classify/n")
                    && html.contains(&format!(" data-level=\"{}\"", level.id))
            })
            .map(|(_, html)| html)
            .expect("a result page of the level");
        for reader in &r.handbook.readers {
            assert!(
                result
                    .replace("&#x2F;", "/")
                    .contains(&format!("worksheets/{}-{reader}.html", level.id)),
                "the result of {} does not link {reader}'s worksheet",
                level.id
            );
        }
    }
    let count = files
        .keys()
        .filter(|p| p.starts_with("worksheets/"))
        .count();
    assert_eq!(count, r.levels.len() * r.handbook.readers.len());
}

#[test]
fn the_reporting_agencys_level_3_worksheet_states_the_hour_and_crosses_midnight() {
    let files = build(manifest());
    let page = &files["worksheets/3-reporting-agency.html"];
    // The hand-calculation line of the report: from the discovery, 1 hour.
    let line = element_text(page, "<li class=\"worksheet-line\" data-event=\"report\"");
    assert!(line.contains("寫下「發現資安事件」的時間"), "{line}");
    assert!(line.contains("要在這個時間起 1 小時內完成"), "{line}");
    assert!(line.contains("class=\"blank\""), "{line}");

    // The worked example: discovered at 23:30 on 30 June, reported by 00:30
    // the next day; recovery 36 hours later.
    let start = NaiveDate::from_ymd_opt(YEAR, 6, 30)
        .and_then(|d| d.and_hms_opt(23, 30, 0))
        .expect("a time");
    let report_due = start + Duration::hours(1);
    assert_ne!(report_due.date(), start.date(), "crosses midnight");
    assert!(page.contains(&format!("在 {}", zh_time(start))));
    let example = element_text(page, "<li data-event=\"report\"");
    assert!(
        example.contains(&format!("從 {} 起", zh_time(start))),
        "{example}"
    );
    assert!(
        example.contains(&format!("期限 {}", zh_time(report_due))),
        "{example}"
    );
    let recover = element_text(page, "<li data-event=\"recover\"");
    let recover_due = start + Duration::hours(36);
    assert!(
        recover.contains(&format!("期限 {}", zh_time(recover_due))),
        "{recover}"
    );
}

#[test]
fn another_bodys_event_is_written_down_as_received() {
    let files = build(manifest());
    let page = &files["worksheets/3-competent-authority.html"];
    let line = element_text(page, "<li class=\"worksheet-line\" data-event=\"review\"");
    assert!(line.contains("寫下收到「通報資安事件」的時間"), "{line}");
    // The example counts from the report's deadline, and says so.
    let example = element_text(page, "<li data-event=\"review\"");
    assert!(example.contains("先從它的期限起算"), "{example}");
    let start = NaiveDate::from_ymd_opt(YEAR, 6, 30)
        .and_then(|d| d.and_hms_opt(23, 30, 0))
        .expect("a time");
    let due = start + Duration::hours(2);
    assert!(
        example.contains(&format!("期限 {}", zh_time(due))),
        "{example}"
    );
    // A time the guideline does not set is worded so, with no blank.
    let office = &files["worksheets/3-office.html"];
    let recheck = element_text(
        office,
        "<li class=\"worksheet-line\" data-event=\"recheck\"",
    );
    assert!(
        recheck.contains("綱要沒有訂「資安辦複核」的時限"),
        "{recheck}"
    );
    assert!(!recheck.contains("class=\"blank\""), "{recheck}");
}

#[test]
fn questions_explain_themselves_and_not_sure_takes_the_severe_branch() {
    let r = bundled();
    let files = build(manifest());
    let mut seen = BTreeSet::new();
    for (path, page) in files.iter().filter(|(p, _)| p.starts_with("classify/")) {
        let Some(q) = r
            .questions
            .iter()
            .find(|q| page.contains(&format!("<h2 id=\"q-title\">{}</h2>", q.text["zh-TW"])))
        else {
            continue;
        };
        if let Some(d) = &q.definition {
            assert!(page.contains(&d["zh-TW"]), "{path} lacks the definition");
        }
        for e in &q.examples {
            assert!(page.contains(&e["zh-TW"]), "{path} lacks an example");
        }
        let Some(unsure) = &q.unsure else { continue };
        let answer = q
            .answers
            .iter()
            .find(|a| &a.id == unsure)
            .expect("declared");
        let href_of = |marker: &str| {
            let at = page
                .find(marker)
                .unwrap_or_else(|| panic!("{path}: {marker}"));
            let start = page[..at].rfind("href=\"").expect("href") + 6;
            page[start..at].to_owned()
        };
        let severe = href_of(&format!("\">{}</a>", answer.text["zh-TW"]));
        let not_sure = href_of("\">不確定</a>");
        assert_eq!(not_sure, severe, "{path}: not sure leads elsewhere");
        seen.insert(q.id.clone());
    }
    let with_unsure: BTreeSet<String> = r
        .questions
        .iter()
        .filter(|q| q.unsure.is_some())
        .map(|q| q.id.clone())
        .collect();
    assert_eq!(seen, with_unsure);
}

#[test]
fn the_report_worksheet_has_the_items_and_the_fallback_numbers() {
    let r = bundled();
    let files = build(manifest());
    let page = &files["report.html"];
    for item in &r.handbook.report_items {
        assert!(page.contains(&item.text["zh-TW"]), "report item missing");
    }
    for q in &r.questions {
        assert!(page.contains(&format!("data-question=\"{}\"", q.id)));
    }
    // The fax of the report's contacts is shown, never as a link.
    let fax = r.contacts.iter().find(|c| c.kind == "fax").expect("a fax");
    assert!(page.contains(&format!("<span class=\"fax\">{}</span>", fax.value)));
    assert!(!page.contains(&format!(">{}</a>", fax.value)));
    assert!(page.contains("assets/report.js"));
}

#[test]
fn a_policy_without_readers_gets_one_worksheet_per_level() {
    let root = manifest().join("examples/nis2");
    let r = compiled(&root);
    assert!(r.handbook.readers.is_empty());
    let files = build(&root);
    for level in &r.levels {
        let path = format!("worksheets/{}.html", level.id);
        let page = files
            .get(&path)
            .unwrap_or_else(|| panic!("{path} is missing"));
        let expected = computed_events(&level.id, &r, None);
        assert_eq!(line_events(page), expected, "{path}");
        assert!(page.contains("<html lang=\"en\""));
    }
    let count = files
        .keys()
        .filter(|p| p.starts_with("worksheets/"))
        .count();
    assert_eq!(count, r.levels.len());
    // A level with an elapsed deadline phrases the hand calculation in English.
    let significant = files
        .iter()
        .find(|(p, html)| {
            p.starts_with("worksheets/") && html.contains("is due within 24 hours of that time")
        })
        .map(|(p, _)| p.clone());
    assert!(significant.is_some(), "no English hand calculation");
}
