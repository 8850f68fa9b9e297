//! The home page, the chapters, the search page and the one-page print
//! version.

use serde_json::json;

use super::timing::Timings;
use super::{PageOut, chapter_url, classify_url, root_of};
use crate::diagnostics::Diagnostic;
use crate::ruleset::Ruleset;
use crate::site::Prepared;
use crate::site::cache::{RenderCache, hash_of};
use crate::site::content::{self, Heading};
use crate::site::duration::DurationWords;
use crate::site::locale::Locale;

/// A chapter rendered to HTML.
#[derive(Clone)]
pub struct Chapter {
    pub slug: String,
    pub title: String,
    pub description: String,
    pub html: String,
    /// The same chapter rendered for the print page, whose links start at
    /// the site root.
    pub print_html: String,
    /// The front matter's `print`: printed in full on `print.html`.
    pub print: bool,
    pub headings: Vec<Heading>,
    /// The events the chapter explains (front matter `events`).
    pub events: Vec<String>,
}

pub fn render_chapters(
    prepared: &Prepared,
    mut cache: Option<&mut RenderCache>,
    rendered: &mut usize,
) -> Vec<Chapter> {
    prepared
        .pages
        .iter()
        .map(|resolved| {
            let page = &resolved.page;
            let text = &prepared.sources.get(page.file).text;
            // What the chapter prints is a function of its text, the rule
            // set and the locale's words.
            let words = format!("{:?}", resolved.words);
            let key = hash_of(&[text, &prepared.ruleset.digest, &page.slug, &words]);
            if let Some(c) = cache.as_deref_mut()
                && let Some((k, chapter)) = c.chapters.get(&page.slug)
                && *k == key
            {
                return chapter.clone();
            }
            *rendered += 1;
            let path = chapter_url(&page.slug);
            let markdown = content::render(
                &content::expand(resolved, text, &root_of(&path)),
                &resolved.words,
            );
            let print = content::render_with_prefix(
                &content::expand(resolved, text, ""),
                &format!("{}-", page.slug),
                &resolved.words,
            );
            let chapter = Chapter {
                slug: page.slug.clone(),
                title: page.front.title.clone(),
                description: page.front.description.clone().unwrap_or_default(),
                html: markdown.html,
                print_html: print.html,
                print: page.front.print,
                headings: markdown.headings,
                events: page.front.events.clone(),
            };
            if let Some(c) = cache.as_deref_mut() {
                c.chapters.insert(page.slug.clone(), (key, chapter.clone()));
            }
            chapter
        })
        .collect()
}

pub fn pages(
    r: &Ruleset,
    locale: &Locale,
    chapters: &[Chapter],
    timings: &Timings,
) -> Result<Vec<PageOut>, Box<Diagnostic>> {
    let durations = DurationWords::new(locale)?;
    let mut out = Vec::new();
    let first_steps: Vec<_> = r
        .handbook
        .first_steps
        .iter()
        .filter_map(|id| r.event(id))
        .map(|e| {
            json!({
                "id": e.id,
                "name": r.text_of(&e.name),
                "from": timings.from(&e.id),
                "within": r.levels.iter().map(|l| json!({
                    "level": super::level_label(r, &l.id),
                    "label": e.within.get(&l.id).map(|w| durations.text(*w)).unwrap_or_default(),
                })).collect::<Vec<_>>(),
                "source": e.source,
            })
        })
        .collect();
    let hotline = r.contacts.iter().find(|c| c.id == r.handbook.phone_line);
    let portal = r
        .handbook
        .portal
        .as_ref()
        .and_then(|id| r.contacts.iter().find(|c| &c.id == id));
    out.push(PageOut {
        path: "index.html".into(),
        template: "index.html",
        title: r.text_of(&r.meta.title).to_owned(),
        context: json!({
            "phone_line": hotline.map(|c| json!({"value": c.value, "href": c.href, "placeholder": c.placeholder, "name": r.text_of(&c.name), "hours": c.hours.as_ref().map(|t| r.text_of(t)), "source": c.source})),
            "report_online": portal.map(|c| json!({"value": c.value, "href": c.href, "placeholder": c.placeholder, "name": r.text_of(&c.name), "source": c.source})),
            "first_steps": first_steps,
            "edition": super::reference::edition_context(r),
            "classify_url": classify_url(0),
            "incident_start": super::incident::start_form(r),
            "levels": r.levels.iter().map(|l| super::level_context(r, l)).collect::<Vec<_>>(),
            "chapter_list": chapters.iter().map(|c| json!({"url": chapter_url(&c.slug), "title": c.title, "description": c.description})).collect::<Vec<_>>(),
            "trees": r.trees.iter().map(|t| json!({"url": format!("trees/{}/index.html", t.id), "title": r.text_of(&t.title), "summary": r.text_of(&t.summary)})).collect::<Vec<_>>(),
        }),
    });
    for (i, c) in chapters.iter().enumerate() {
        let link = |c: &Chapter| json!({"url": chapter_url(&c.slug), "title": c.title});
        out.push(PageOut {
            path: chapter_url(&c.slug),
            template: "chapter.html",
            title: c.title.clone(),
            context: json!({
                "description": c.description,
                "content": c.html,
                "headings": c.headings.iter().filter(|h| h.level == 2).collect::<Vec<_>>(),
                "prev": i.checked_sub(1).and_then(|j| chapters.get(j)).map(link),
                "next": chapters.get(i + 1).map(link),
            }),
        });
    }
    out.push(PageOut {
        path: "search.html".into(),
        template: "search.html",
        title: locale.get("nav.search")?.to_owned(),
        context: json!({}),
    });
    out.push(PageOut {
        path: "print.html".into(),
        template: "print.html",
        title: locale.get("nav.print")?.to_owned(),
        context: json!({
            "print_chapters": chapters.iter().map(|c| json!({"slug": c.slug, "title": c.title, "description": c.description, "url": chapter_url(&c.slug), "print": c.print, "content": c.print_html})).collect::<Vec<_>>(),
            "levels": r.levels.iter().map(|l| super::level_context(r, l)).collect::<Vec<_>>(),
            "deadline_rows": super::reference::deadline_rows(r, "", timings, &durations),
            "contacts": r.contacts.iter().map(|c| json!({"name": r.text_of(&c.name), "value": c.value, "href": c.href, "placeholder": c.placeholder, "purpose": r.text_of(&c.purpose), "source": c.source})).collect::<Vec<_>>(),
        }),
    });
    Ok(out)
}
