//! Contact channels as readers meet them, on the bundled site rendered in
//! memory: a tree outcome shows each of its contacts right under its text
//! with the visible value and the right link (`tel:` for a phone, none for
//! a fax, `mailto:`, the URL); no page links a fax number as `tel:`; an
//! owner without a phone says so and names the phone line instead of a
//! number; a vCard's name stands on its own.

mod common;
use common::bundled;

use std::collections::BTreeMap;
use std::path::Path;

use incident_handbook::ruleset::Ruleset;
use incident_handbook::site;

fn rendered() -> BTreeMap<String, Vec<u8>> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let prepared = site::prepare(root).expect("bundled project prepares");
    site::render(&prepared, 2026).expect("bundled site renders")
}

fn text(files: &BTreeMap<String, Vec<u8>>, path: &str) -> String {
    String::from_utf8(
        files
            .get(path)
            .unwrap_or_else(|| panic!("{path} built"))
            .clone(),
    )
    .expect("UTF-8")
}

/// The entities Tera's escaping writes, back to characters.
fn unescape(s: &str) -> String {
    s.replace("&#x2F;", "/")
        .replace("&#x27;", "'")
        .replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// `href` values of every link in `html`, unescaped.
fn hrefs(html: &str) -> Vec<String> {
    let re = regex::Regex::new(r#"<a\b[^>]*\bhref="([^"]*)""#).expect("regex");
    re.captures_iter(html).map(|c| unescape(&c[1])).collect()
}

fn outcome_contacts(r: &Ruleset) -> Vec<(String, Vec<&incident_handbook::ruleset::Contact>)> {
    let mut out = Vec::new();
    for tree in &r.trees {
        for o in &tree.outcomes {
            let contacts: Vec<_> = o
                .contacts
                .iter()
                .map(|id| r.contacts.iter().find(|c| &c.id == id).expect("resolved"))
                .collect();
            if !contacts.is_empty() {
                out.push((format!("trees/{}/outcome-{}.html", tree.id, o.id), contacts));
            }
        }
    }
    out
}

#[test]
fn every_tree_outcome_shows_its_contacts_right_under_its_text() {
    let r = bundled();
    let files = rendered();
    let outcomes = outcome_contacts(&r);
    assert!(
        outcomes.len() >= 5,
        "the bundled trees have outcomes with contacts"
    );
    let item = regex::Regex::new(r#"(?s)<li class="outcome-contact contact-([a-z]+)">(.*?)</li>"#)
        .expect("regex");
    for (path, contacts) in outcomes {
        let html = text(&files, &path);
        let result = &html[html.find(r#"<section class="result""#).expect("result")..];
        // Right under the outcome's text: the lead paragraph, then the list.
        let lead_end = result.find("</p>").expect("lead") + "</p>".len();
        let after = result[lead_end..].trim_start();
        assert!(
            after.starts_with(r#"<ul class="outcome-contacts""#),
            "{path}: contacts right after the outcome text, got {}",
            &after[..after.len().min(120)]
        );
        let list = &after[..after.find("</ul>").expect("list end")];
        let items: Vec<_> = item.captures_iter(list).collect();
        assert_eq!(items.len(), contacts.len(), "{path}: one item per contact");
        for (c, li) in contacts.iter().zip(&items) {
            assert_eq!(&li[1], c.kind, "{path}: in the outcome's order");
            let li = unescape(&li[2]);
            let value = match c.kind.as_str() {
                "fax" => format!(r#"<span class="contact-value">{}</span>"#, c.value),
                _ => format!(
                    r#"<a class="contact-value" href="{}">{}</a>"#,
                    c.href.as_deref().expect("a link"),
                    c.value
                ),
            };
            assert!(
                li.contains(&value),
                "{path}: {} shown as {value}: {li}",
                c.id
            );
            let expected_scheme = match c.kind.as_str() {
                "phone" => Some("tel:+"),
                "email" => Some("mailto:"),
                "url" => Some(c.value.as_str()),
                _ => None,
            };
            match (expected_scheme, &c.href) {
                (Some(p), Some(h)) => assert!(h.starts_with(p), "{path}: {h}"),
                (None, None) => {}
                other => panic!("{path}: {}: {other:?}", c.id),
            }
        }
    }
}

#[test]
fn no_page_links_a_fax_number_and_every_tel_link_is_a_phone() {
    let r = bundled();
    let files = rendered();
    let phones: Vec<&str> = r
        .contacts
        .iter()
        .filter(|c| c.kind == "phone")
        .filter_map(|c| c.number.as_deref())
        .collect();
    let faxes: Vec<&str> = r
        .contacts
        .iter()
        .filter(|c| c.kind == "fax")
        .filter_map(|c| c.number.as_deref())
        .collect();
    assert!(!faxes.is_empty(), "the bundled policy has a fax");
    let mut tel_links = 0;
    for (path, bytes) in &files {
        let Ok(s) = std::str::from_utf8(bytes) else {
            continue;
        };
        if !path.ends_with(".html") && !path.ends_with(".js") {
            continue;
        }
        for h in hrefs(s) {
            if let Some(number) = h.strip_prefix("tel:") {
                tel_links += 1;
                assert!(!faxes.contains(&number), "{path}: a fax as a tel: link");
                assert!(
                    phones.contains(&number),
                    "{path}: tel:{number} is no phone contact"
                );
            }
        }
        for fax in &faxes {
            assert!(
                !s.contains(&format!("tel:{fax}")),
                "{path}: the fax {fax} as a tel: link"
            );
        }
    }
    assert!(tel_links > 0, "the site does link the phone line");
}

#[test]
fn an_owner_without_a_phone_says_so_and_names_the_phone_line() {
    let r = bundled();
    let files = rendered();
    let line = r
        .contacts
        .iter()
        .find(|c| c.id == r.handbook.phone_line)
        .expect("phone line");
    let line_href = line.href.as_deref().expect("the phone line is dialable");
    let page = text(&files, "contacts/index.html");
    let mut owners: Vec<&str> = r.contacts.iter().map(|c| c.owner.as_str()).collect();
    owners.dedup();
    let digits = regex::Regex::new(r"\d[\d\-()]{5,}").expect("regex");
    let mut without = 0;
    for owner in owners {
        let own: Vec<_> = r.contacts.iter().filter(|c| c.owner == owner).collect();
        let has_phone = own.iter().any(|c| c.kind == "phone");
        let card_start = page
            .find(&format!(r#"id="contact-{}""#, own[0].id))
            .expect("card");
        let card = &page[card_start..card_start + page[card_start..].find("</li>").expect("end")];
        let vcf = text(&files, &format!("contacts/{owner}.vcf"));
        if has_phone {
            assert!(!card.contains("no-phone"), "{owner} has a phone");
            continue;
        }
        without += 1;
        let note = &card[card.find(r#"<p class="no-phone">"#).expect("no-phone note")..];
        let note = unescape(&note[..note.find("</p>").expect("end")]);
        assert!(
            note.contains(&format!(r#"<a href="{line_href}">{}</a>"#, line.value)),
            "{owner}: the phone line's number, dialable: {note}"
        );
        // Only the phone line's number: nothing invented for the owner.
        for m in digits.find_iter(&note) {
            assert!(
                line.value.contains(m.as_str()) || line_href.contains(m.as_str()),
                "{owner}: a number not of the phone line: {}",
                m.as_str()
            );
        }
        let unfolded = vcf.replace("\r\n ", "");
        assert!(
            !unfolded.contains("\r\nTEL"),
            "{owner}: no phone in its vCard"
        );
        assert!(
            unfolded.contains(&line.value),
            "{owner}: its vCard names the phone line's number"
        );
    }
    assert!(without >= 1, "the technical service centre has no phone");
}

#[test]
fn vcard_names_stand_on_their_own() {
    let r = bundled();
    let files = rendered();
    let shorts: Vec<&str> = r
        .units
        .iter()
        .filter_map(|u| u.short.as_ref().map(|s| r.text_of(s)))
        .collect();
    let mut cards = 0;
    for (path, bytes) in files.iter().filter(|(p, _)| p.ends_with(".vcf")) {
        cards += 1;
        let s = String::from_utf8(bytes.clone())
            .expect("UTF-8")
            .replace("\r\n ", "");
        let fn_line = s.lines().find_map(|l| l.strip_prefix("FN:")).expect("FN");
        for short in &shorts {
            assert!(
                !fn_line.starts_with(short),
                "{path}: FN {fn_line} leans on the short name {short}"
            );
        }
    }
    assert!(cards >= 2);
    let group = text(&files, "contacts/security-group.vcf");
    assert!(
        group.contains("\r\nFN:行政院國家資通安全會報資通安全組\r\n"),
        "{group}"
    );
}
