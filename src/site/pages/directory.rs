//! Who to call and who does what: contact cards, the organisation chart and
//! a card per unit and role, the process flow, the agency directory.

use serde_json::{Value, json};

use super::timing::Timings;
use super::{PageOut, actor_url, agency_url, contact_url, duty_url, event_url};
use crate::diagnostics::Diagnostic;
use crate::ruleset::Ruleset;
use crate::site::duration::DurationWords;
use crate::site::locale::Locale;
use crate::site::{cards, diagrams};

fn contact_card(
    r: &Ruleset,
    locale: &Locale,
    c: &crate::ruleset::Contact,
) -> Result<Value, Box<Diagnostic>> {
    Ok(json!({
        "id": c.id,
        "name": r.text_of(&c.name),
        "kind": c.kind,
        "kind_label": locale.get(&format!("contact_kind.{}", c.kind))?,
        "value": c.value,
        "href": c.href,
        "placeholder": c.placeholder,
        "hours": c.hours.as_ref().map(|t| r.text_of(t)),
        "purpose": r.text_of(&c.purpose),
        "owner": r.actor_name(&c.owner).map(|t| r.text_of(t)),
        "owner_url": actor_url(&c.owner),
        "qr": cards::qr_path(c),
        "source": c.source,
    }))
}

/// The first card of each owner without a phone says so and names the
/// phone line to call instead (`cards::no_phone`): `no_phone` in the card.
fn with_no_phone_notes(r: &Ruleset, mut cards: Vec<Value>) -> Vec<Value> {
    for (owner, at) in owners_in_policy_order(r).into_iter().filter_map(|o| {
        let at = r.contacts.iter().position(|c| c.owner == o)?;
        Some((o, at))
    }) {
        if let (Some(n), Some(Value::Object(card))) = (cards::no_phone(r, owner), cards.get_mut(at))
        {
            card.insert(
                "no_phone".into(),
                json!({
                    "owner": n.owner,
                    "channels": n.channels,
                    "line": {
                        "name": r.text_of(&n.phone_line.name),
                        "value": n.phone_line.value,
                        "href": n.phone_line.href,
                        "placeholder": n.phone_line.placeholder,
                        "url": contact_url(&n.phone_line.id),
                    },
                }),
            );
        }
    }
    cards
}

/// The owners of contacts, each once, in the order their first contact is
/// listed in the policy (the order readers see the cards in), not by id.
fn owners_in_policy_order(r: &Ruleset) -> Vec<&str> {
    let mut seen = std::collections::BTreeSet::new();
    r.contacts
        .iter()
        .map(|c| c.owner.as_str())
        .filter(|id| seen.insert(*id))
        .collect()
}

/// A page's `[handbook.intro]` sentence for the template (`intro`).
fn intro(r: &Ruleset, i: &Option<crate::ruleset::roles::PageIntro>) -> Value {
    match i {
        Some(i) => json!({"text": r.text_of(&i.text), "source": i.source}),
        None => Value::Null,
    }
}

pub fn pages(
    r: &Ruleset,
    locale: &Locale,
    timings: &Timings,
) -> Result<Vec<PageOut>, Box<Diagnostic>> {
    let durations = DurationWords::new(locale)?;
    let title = |key: &str| locale.get(key).map(str::to_owned);
    let cards: Vec<Value> = r
        .contacts
        .iter()
        .map(|c| contact_card(r, locale, c))
        .collect::<Result<_, _>>()?;
    let cards = with_no_phone_notes(r, cards);
    let mut out = Vec::new();
    let owners = owners_in_policy_order(r);
    out.push(PageOut {
        path: "contacts/index.html".into(),
        template: "contacts.html",
        title: title("nav.contacts")?,
        context: json!({
            // The initial report's time at the least severe level (the last
            // listed): the time every incident has at the latest; null when that
            // level has no initial report.
            "report_within": r.event(&r.handbook.initial_report).and_then(|e| e.within.get(r.level_order().least_severe()?)).map(|w| durations.text(*w)),
            "intro": intro(r, &r.handbook.intro.contacts),
            "contacts": cards,
            "owners": owners.iter().map(|id| json!({
                "name": r.actor_name(id).map(|t| r.text_of(t)),
                "url": actor_url(id),
                "vcf": cards::vcard_path(id),
            })).collect::<Vec<_>>(),
        }),
    });

    // One card per unit and role.
    let actors: Vec<(String, Value)> = r
        .units
        .iter()
        .map(|u| {
            (
                u.id.clone(),
                json!({
                    "is_unit": true,
                    "name": r.text_of(&u.name),
                    "short": u.short.as_ref().map(|t| r.text_of(t)),
                    "kind": u.kind,
                    "parent": u.parent.as_ref().map(|p| json!({"name": r.actor_name(p).map(|t| r.text_of(t)), "url": actor_url(p)})),
                    "children": u.children.iter().map(|c| json!({"name": r.actor_name(c).map(|t| r.text_of(t)), "url": actor_url(c)})).collect::<Vec<_>>(),
                    "lead": u.lead.iter().filter_map(|a| r.agencies.iter().find(|x| &x.id == a)).map(|a| json!({"name": r.text_of(&a.name), "url": agency_url(a.number)})).collect::<Vec<_>>(),
                    "lead_note": u.lead_note.as_ref().map(|t| r.text_of(t)),
                    "jurisdiction": u.jurisdiction.as_ref().map(|t| r.text_of(t)),
                    "remit": u.remit.as_ref().map(|t| r.text_of(t)),
                    "source": u.source,
                }),
            )
        })
        .chain(r.roles.iter().map(|x| {
            (
                x.id.clone(),
                json!({
                    "is_unit": false,
                    "name": r.text_of(&x.name),
                    "parent": x.part_of.as_ref().map(|p| json!({"name": r.actor_name(p).map(|t| r.text_of(t)), "url": actor_url(p)})),
                    "children": r.roles.iter().filter(|c| c.part_of.as_deref() == Some(&x.id)).map(|c| json!({"name": r.text_of(&c.name), "url": actor_url(&c.id)})).collect::<Vec<_>>(),
                    "remit": x.remit.as_ref().map(|t| r.text_of(t)),
                    "source": x.source,
                }),
            )
        }))
        .collect();
    for (id, mut card) in actors {
        let duties: Vec<_> = r
            .duties
            .iter()
            .filter(|d| d.actor == id)
            .map(
                |d| json!({"text": r.text_of(&d.text), "url": duty_url(&d.id), "source": d.source}),
            )
            .collect();
        let deadlines: Vec<_> = r
            .events
            .iter()
            .filter(|e| e.actor == id && e.anchor.is_some())
            .map(|e| {
                json!({
                    "name": r.text_of(&e.name),
                    "url": event_url(&e.id),
                    "id": e.id,
                    "timing": timings.all(&e.id),
                    "source": e.source,
                })
            })
            .collect();
        let contacts: Vec<_> = r
            .contacts
            .iter()
            .filter(|c| c.owner == id)
            .map(|c| contact_card(r, locale, c))
            .collect::<Result<_, _>>()?;
        let has_contacts = !contacts.is_empty();
        if let Value::Object(map) = &mut card {
            map.insert("id".into(), json!(id));
            map.insert("duties".into(), json!(duties));
            map.insert("deadlines".into(), json!(deadlines));
            map.insert("contacts".into(), json!(contacts));
            map.insert(
                "vcf".into(),
                json!(has_contacts.then(|| cards::vcard_path(&id))),
            );
            map.insert(
                "provisions".into(),
                json!(
                    r.rewards
                        .iter()
                        .chain(&r.penalties)
                        .chain(&r.mitigations)
                        .filter(|p| p.applies_to.contains(&id))
                        .map(|p| json!({"text": r.text_of(&p.text), "source": p.source}))
                        .collect::<Vec<_>>()
                ),
            );
        }
        let name = card
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or_default()
            .to_owned();
        out.push(PageOut {
            path: actor_url(&id),
            template: "unit.html",
            title: name,
            context: json!({"card": card}),
        });
    }

    let chart = diagrams::org_chart(r, locale, "../")?;
    out.push(PageOut {
        path: "org/index.html".into(),
        template: "org.html",
        title: title("nav.org")?,
        context: json!({
            "intro": intro(r, &r.handbook.intro.org),
            "svg": chart,
            "outline": outline(r, r.units.iter().find(|u| u.parent.is_none()).map(|u| u.id.as_str())),
            "roles": r.roles.iter().map(|x| json!({"name": r.text_of(&x.name), "url": actor_url(&x.id), "part_of": x.part_of.as_ref().and_then(|p| r.actor_name(p)).map(|t| r.text_of(t))})).collect::<Vec<_>>(),
        }),
    });

    out.push(PageOut {
        path: "flow.html".into(),
        template: "flow.html",
        title: title("nav.flow")?,
        context: json!({
            "intro": intro(r, &r.handbook.intro.flow),
            "svg": diagrams::process_flow(r, locale, "", timings)?,
            "rows": super::reference::deadline_rows(r, "", timings, &durations),
        }),
    });

    out.push(PageOut {
        path: "agencies.html".into(),
        template: "agencies.html",
        title: title("nav.agencies")?,
        context: json!({
            "intro": intro(r, &r.handbook.intro.agencies),
            "agencies": r.agencies.iter().map(|a| json!({
                "number": a.number,
                "name": r.text_of(&a.name),
                "aliases": a.aliases,
                "groups": a.leads.iter().map(|u| json!({"name": r.actor_name(u).map(|t| r.text_of(t)), "url": actor_url(u)})).collect::<Vec<_>>(),
                "source": a.source,
            })).collect::<Vec<_>>(),
        }),
    });
    let _ = contact_url;
    Ok(out)
}

/// The org tree as a flat list in document order, for the text alternative
/// of the chart. Templates may not recurse (see `theme`), so each row says
/// how deep it is, whether a nested list opens under it (`opens`) and how
/// many nested lists end after it (`closes`).
fn outline(r: &Ruleset, id: Option<&str>) -> Value {
    let mut rows = Vec::new();
    let mut stack: Vec<(&str, usize)> = id.map(|i| (i, 0)).into_iter().collect();
    let mut seen = std::collections::BTreeSet::new();
    while let Some((id, depth)) = stack.pop() {
        let Some(u) = r.units.iter().find(|u| u.id == id) else {
            continue;
        };
        if !seen.insert(id) {
            continue;
        }
        let children: Vec<&str> = u
            .children
            .iter()
            .map(String::as_str)
            .filter(|c| r.units.iter().any(|u| u.id == *c))
            .collect();
        rows.push(json!({
            "name": r.text_of(&u.name),
            "url": actor_url(&u.id),
            "lead": u.lead.iter().filter_map(|a| r.agencies.iter().find(|x| &x.id == a)).map(|a| r.text_of(&a.name)).collect::<Vec<_>>(),
            "depth": depth,
            "opens": !children.is_empty(),
            "closes": 0,
        }));
        stack.extend(children.iter().rev().map(|c| (*c, depth + 1)));
    }
    // A leaf ends every list it is the last descendant of: as many as the
    // depth drops to the next row (or to the root after the last row).
    let depths: Vec<usize> = rows
        .iter()
        .map(|r| r["depth"].as_u64().unwrap_or(0) as usize)
        .collect();
    for (i, row) in rows.iter_mut().enumerate() {
        if row["opens"] == Value::Bool(true) {
            continue;
        }
        let next = depths.get(i + 1).copied().unwrap_or(0);
        row["closes"] = json!(depths[i].saturating_sub(next));
    }
    Value::Array(rows)
}
