//! Contact files: a vCard per org unit or role that owns contact channels,
//! and a QR code (SVG) per phone number, so staff can save or dial the
//! hotline from a printed card.

use qrcode::QrCode;
use qrcode::render::svg;

use super::locale::Locale;
use super::rfc_text::{escape_text as escape, fold_line};
use crate::diagnostics::Diagnostic;
use crate::ruleset::{Contact, Ruleset};

pub fn vcard_path(owner: &str) -> String {
    format!("contacts/{owner}.vcf")
}

/// The QR code's path, for phone contacts only.
pub fn qr_path(c: &Contact) -> Option<String> {
    // A placeholder has no number to dial.
    (c.kind == "phone" && c.href.is_some()).then(|| format!("contacts/{}-qr.svg", c.id))
}

/// The name a card stands on: the owner's name, with a leading reference to
/// its parent by the parent's `short` (本會報資通安全組 under 行政院國家資通安全會報,
/// `short` 本會報) spelled out as the parent's full name, so a contact saved
/// on a phone says whose it is without the handbook around it.
pub fn card_name(r: &Ruleset, owner: &str) -> Option<String> {
    let name = r.text_of(r.actor_name(owner)?);
    let expanded = r
        .units
        .iter()
        .find(|u| u.id == owner)
        .and_then(|u| u.parent.as_deref())
        .and_then(|p| r.units.iter().find(|u| u.id == p))
        .and_then(|parent| {
            let short = r.text_of(parent.short.as_ref()?);
            let rest = name.strip_prefix(short).filter(|_| !short.is_empty())?;
            Some(format!("{}{rest}", r.text_of(&parent.name)))
        });
    Some(expanded.unwrap_or_else(|| name.to_owned()))
}

/// What a reader of an owner without a phone contact is told instead of a
/// number (never an invented one): the owner's own channels, and the
/// policy's phone line (`[handbook] phone_line`) to call.
pub struct NoPhone<'a> {
    pub owner: String,
    pub channels: Vec<&'a str>,
    pub phone_line: &'a Contact,
}

/// `None` when the owner has a phone contact (the phone line is one).
pub fn no_phone<'a>(r: &'a Ruleset, owner: &str) -> Option<NoPhone<'a>> {
    let own: Vec<&Contact> = r.contacts.iter().filter(|c| c.owner == owner).collect();
    if own.iter().any(|c| c.kind == "phone") {
        return None;
    }
    let phone_line = r.contacts.iter().find(|c| c.id == r.handbook.phone_line)?;
    Some(NoPhone {
        owner: r.text_of(r.actor_name(owner)?).to_owned(),
        channels: own.iter().map(|c| r.text_of(&c.name)).collect(),
        phone_line,
    })
}

/// A vCard 3.0 (the version every phone imports) for one owner; each
/// contact's note is the locale's `cards.note` (`{name}`, `{purpose}`).
///
/// A placeholder contact is never a property a phone would dial, mail or
/// open: it appears only in the note, in the words of the locale's
/// `contacts.placeholder_note`.
pub fn vcard(r: &Ruleset, locale: &Locale, owner: &str) -> Result<String, Box<Diagnostic>> {
    let note = locale.get("cards.note")?;
    let name = card_name(r, owner).unwrap_or_else(|| owner.to_owned());
    let parent = r
        .units
        .iter()
        .find(|u| u.id == owner)
        .and_then(|u| u.parent.as_deref())
        .and_then(|p| r.actor_name(p))
        .map(|t| r.text_of(t));
    let mut lines = vec![
        "BEGIN:VCARD".to_owned(),
        "VERSION:3.0".to_owned(),
        format!("FN:{}", escape(&name)),
        format!("N:;{};;;", escape(&name)),
    ];
    if let Some(p) = parent {
        lines.push(format!("ORG:{}", escape(p)));
    }
    let mut notes = Vec::new();
    for c in r.contacts.iter().filter(|c| c.owner == owner) {
        if c.placeholder {
            notes.push(locale.fill(
                "contacts.placeholder_note",
                &[
                    ("name", r.text_of(&c.name)),
                    ("value", &c.value),
                    ("purpose", r.text_of(&c.purpose)),
                ],
            )?);
            continue;
        }
        // A fax has no link (`href`), but a vCard keeps it as what it is, a
        // fax number: phones do not dial a TEL;TYPE=FAX.
        match (c.kind.as_str(), &c.number) {
            ("phone", Some(number)) => lines.push(format!("TEL;TYPE=WORK,VOICE:{number}")),
            ("fax", Some(number)) => lines.push(format!("TEL;TYPE=WORK,FAX:{number}")),
            ("email", _) => lines.push(format!("EMAIL;TYPE=INTERNET:{}", escape(&c.value))),
            // `compile` gives every phone and fax that is no placeholder its
            // number.
            ("phone" | "fax", None) => continue,
            _ => lines.push(format!("URL:{}", c.value)),
        }
        notes.push(
            note.replace("{name}", r.text_of(&c.name))
                .replace("{purpose}", r.text_of(&c.purpose)),
        );
    }
    if let Some(n) = no_phone(r, owner).filter(|n| !n.phone_line.placeholder) {
        notes.push(locale.fill(
            "cards.no_phone",
            &[
                ("owner", &n.owner),
                ("phone", r.text_of(&n.phone_line.name)),
                ("value", &n.phone_line.value),
            ],
        )?);
    }
    lines.push(format!("NOTE:{}", escape(&notes.join("\n"))));
    lines.push("END:VCARD".to_owned());
    let mut out = String::new();
    for line in lines {
        out.push_str(&fold_line(&line));
    }
    Ok(out)
}

/// A QR code that dials `href` when scanned, as standalone SVG.
pub fn qr_svg(href: &str, label: &str) -> Option<String> {
    let code = QrCode::new(href.as_bytes()).ok()?;
    let svg = code
        .render::<svg::Color>()
        .min_dimensions(200, 200)
        .dark_color(svg::Color("#000000"))
        .light_color(svg::Color("#ffffff"))
        .quiet_zone(true)
        .build();
    // Give the image a text alternative for screen readers.
    let title = format!("<title>{}</title>", html_escape(label));
    Some(match svg.find("?>") {
        Some(i) => {
            let (head, body) = svg.split_at(i + 2);
            let body = body.replacen("<svg ", "<svg role=\"img\" ", 1);
            let close = body.find('>').map(|j| j + 1).unwrap_or(0);
            format!("{head}{}{title}{}", &body[..close], &body[close..])
        }
        None => svg,
    })
}

pub fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// Every vCard and QR code of the site.
pub fn files(r: &Ruleset, locale: &Locale) -> Result<Vec<(String, Vec<u8>)>, Box<Diagnostic>> {
    let mut owners: Vec<&str> = r.contacts.iter().map(|c| c.owner.as_str()).collect();
    owners.sort_unstable();
    owners.dedup();
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    for o in owners {
        out.push((vcard_path(o), vcard(r, locale, o)?.into_bytes()));
    }
    for c in &r.contacts {
        if let Some(path) = qr_path(c)
            && let Some(href) = &c.href
            && let Some(svg) = qr_svg(
                href,
                &locale.fill(
                    "cards.qr_title",
                    &[("name", r.text_of(&c.name)), ("value", &c.value)],
                )?,
            )
        {
            out.push((path, svg.into_bytes()));
        }
    }
    Ok(out)
}
