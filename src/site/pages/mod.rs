//! Every generated page, one file per page kind. Each builder turns the rule
//! set into a plain JSON context and renders one template; the URLs it links
//! to come from the functions here, so a page and the links to it cannot
//! drift apart.

mod chapters;

pub use chapters::Chapter;
mod classify;
mod directory;
mod drills;
mod incident;
pub(crate) mod reference;
mod timing;
mod trees;
mod worksheets;

pub use timing::{TIMING_TEMPLATE, Timings};

use std::collections::BTreeMap;

use serde_json::{Value, json};

use super::cache::{RenderCache, RenderStats, hash_of};
use super::content::Page;
use super::locale::Locale;
use super::{Files, Prepared};
use crate::diagnostics::{Diagnostic, Rule};
use crate::domain::{Anchor, LevelId};
use crate::policy::Policy;
use crate::ruleset::Ruleset;

/// A page to render: its output path, template and page-specific context.
pub struct PageOut {
    pub path: String,
    pub template: &'static str,
    pub title: String,
    pub context: Value,
}

/// The relative prefix from a page at `path` back to the site root.
pub fn root_of(path: &str) -> String {
    "../".repeat(path.matches('/').count())
}

// URLs, relative to the site root.
pub fn chapter_url(slug: &str) -> String {
    format!("chapters/{slug}.html")
}
pub fn classify_url(node: usize) -> String {
    if node == 0 {
        "classify/index.html".into()
    } else {
        format!("classify/n{node}.html")
    }
}
pub fn tree_node_url(tree: &str, node: &str, start: &str) -> String {
    if node == start {
        format!("trees/{tree}/index.html")
    } else {
        format!("trees/{tree}/{node}.html")
    }
}
pub fn tree_outcome_url(tree: &str, outcome: &str) -> String {
    format!("trees/{tree}/outcome-{outcome}.html")
}
pub fn actor_url(id: &str) -> String {
    format!("org/{id}.html")
}
pub fn event_url(id: &str) -> String {
    format!("deadlines.html#{}", Anchor::event(id))
}
pub fn contact_url(id: &str) -> String {
    format!("contacts/index.html#contact-{id}")
}
pub fn duty_url(id: &str) -> String {
    format!("duties.html#duty-{id}")
}
pub fn level_url(id: &LevelId) -> String {
    format!("levels.html#{}", Anchor::level(id))
}
/// The levels page's list of the classification questions (its heading's
/// `id` in `levels.html`).
pub fn questions_url() -> String {
    "levels.html#questions-title".into()
}
/// The number of colour steps `style.css` declares (`.sev-1`, most severe,
/// to `.sev-5`); a policy's levels are spread over them by rank.
const SEVERITY_STEPS: usize = 5;

/// The colour class of a level from its place in the policy's order (most
/// severe first), never from its id: the most severe level is `sev-1`, the
/// least severe `sev-5` (one level alone is `sev-1`), and the levels between
/// are spread evenly over the steps between, rounded to the nearest.
pub fn severity_class(r: &Ruleset, id: &LevelId) -> Option<String> {
    let at = r.levels.iter().position(|l| &l.id == id)?;
    Some(format!("sev-{}", severity_step(at, r.levels.len())))
}

/// The colour step (1 to `SEVERITY_STEPS`) of the level at index `at` of
/// `count` levels listed most severe first.
fn severity_step(at: usize, count: usize) -> usize {
    let last = count.saturating_sub(1);
    if last == 0 {
        return 1;
    }
    (at * (SEVERITY_STEPS - 1) * 2 + last) / (2 * last) + 1
}

/// What a reader sees for a level in tables, lists and timing phrases: its
/// `short` label when the policy declares one (`4 級`), otherwise its name.
/// Never the id, which is the policy editor's word.
pub fn level_label<'a>(r: &'a Ruleset, id: &LevelId) -> Option<&'a str> {
    let l = r.levels.iter().find(|l| &l.id == id)?;
    let shown = match &l.short {
        Some(short) => short,
        None => &l.name,
    };
    Some(r.text_of(shown))
}

/// A level as templates get it: id (for anchors and links only), name,
/// label, colour class, summary and source.
pub fn level_context(r: &Ruleset, l: &crate::ruleset::Level) -> Value {
    json!({
        "id": l.id,
        "name": r.text_of(&l.name),
        "label": level_label(r, &l.id),
        "sev": severity_class(r, &l.id),
        "summary": r.text_of(&l.summary),
        "source": l.source,
    })
}

/// The hand-calculation worksheet of a level for a reader (an actor of
/// `handbook.readers`), or the level's one worksheet when the policy has no
/// readers.
pub fn worksheet_url(level: &LevelId, reader: Option<&str>) -> String {
    match reader {
        Some(reader) => format!("worksheets/{level}-{reader}.html"),
        None => format!("worksheets/{level}.html"),
    }
}
/// The report worksheet.
pub fn report_url() -> String {
    "report.html".into()
}

pub fn agency_url(number: i64) -> String {
    format!("agencies.html#agency-{number}")
}

/// Fixed pages, with the locale key of their titles, in navigation order.
pub const FIXED_PAGES: &[(&str, &str)] = &[
    ("index.html", "nav.home"),
    ("classify/index.html", "nav.classify"),
    ("deadlines.html", "nav.deadlines"),
    ("contacts/index.html", "nav.contacts"),
    ("levels.html", "nav.levels"),
    ("duties.html", "nav.duties"),
    ("org/index.html", "nav.org"),
    ("flow.html", "nav.flow"),
    ("agencies.html", "nav.agencies"),
    ("drills.html", "nav.drills"),
    ("accountability.html", "nav.accountability"),
    ("gaps.html", "nav.gaps"),
    ("search.html", "nav.search"),
    ("print.html", "nav.print"),
];

/// Every page path a chapter may link to with `{{ url(path=...) }}`.
pub fn known_paths(policy: &Policy, pages: &[Page]) -> Vec<String> {
    let mut paths: Vec<String> = FIXED_PAGES.iter().map(|(p, _)| (*p).to_owned()).collect();
    paths.extend(pages.iter().map(|p| chapter_url(&p.slug)));
    if let Some(t) = &policy.trees {
        for tree in &t.value.tree {
            paths.push(format!("trees/{}/index.html", tree.id.get_ref()));
        }
    }
    paths
}

/// The context every template gets.
/// What every page's context shares (site, navigation, chapter list),
/// built once per render, with its hash.
struct SharedContext {
    site: Value,
    nav: Value,
    chapters: Value,
    /// The interface text (`t` in templates).
    text: Value,
    hash: String,
}

impl SharedContext {
    fn new(
        r: &Ruleset,
        locale: &Locale,
        chapters: &[(String, String)],
    ) -> Result<SharedContext, Box<Diagnostic>> {
        let digest = r.digest.trim_start_matches("sha256:");
        let site = json!({
            "title": r.text_of(&r.meta.title),
            "guideline": r.text_of(&r.meta.guideline),
            "language": r.language(),
            "version": r.meta.version,
            "digest": r.digest,
            "digest_short": &digest[..digest.len().min(12)],
        });
        let nav = Value::Array(
            FIXED_PAGES
                .iter()
                .map(|(p, key)| Ok(json!({"url": p, "title": locale.get(key)?})))
                .collect::<Result<_, Box<Diagnostic>>>()?,
        );
        let chapters = Value::Array(
            chapters
                .iter()
                .map(|(url, title)| json!({"url": url, "title": title}))
                .collect(),
        );
        let text = locale.table().clone();
        let hash = hash_of(&[
            &site.to_string(),
            &nav.to_string(),
            &chapters.to_string(),
            &text.to_string(),
        ])
        .to_string();
        Ok(SharedContext {
            site,
            nav,
            chapters,
            text,
            hash,
        })
    }

    /// The cache key of a page: equal keys render equal bytes.
    fn key(&self, page: &PageOut) -> u64 {
        hash_of(&[
            &self.hash,
            page.template,
            &page.path,
            &page.title,
            &page.context.to_string(),
        ])
    }
}

fn base_context(shared: &SharedContext, page: &PageOut) -> tera::Context {
    let mut ctx = tera::Context::new();
    ctx.insert("root", &root_of(&page.path));
    ctx.insert("path", &page.path);
    ctx.insert("title", &page.title);
    ctx.insert("site", &shared.site);
    ctx.insert("nav", &shared.nav);
    ctx.insert("chapters", &shared.chapters);
    ctx.insert("t", &shared.text);
    if let Value::Object(map) = &page.context {
        for (k, v) in map {
            ctx.insert(k.as_str(), v);
        }
    }
    ctx
}

/// Stack of each page-rendering thread. Tera recurses per nesting level,
/// operator and macro call; the theme's limits (`MAX_NESTING`,
/// `MAX_OPERATORS`, `MAX_CALL_DEPTH` in `theme/scan.rs`) keep the worst case
/// (about 4 000 levels of a few KiB in a debug build) well inside this.
/// Only touched pages are committed, so the size costs address space, not
/// memory.
const RENDER_STACK_BYTES: usize = 64 * 1024 * 1024;

/// A rendered page: its path, its HTML and, when searchable, its document.
type RenderedPage = (String, String, Vec<super::search::Doc>);

/// Renders every page and asset of the site. With a cache, pages whose
/// template context did not change since the last call are reused.
pub fn render_all(
    prepared: &Prepared,
    year: i32,
    mut cache: Option<&mut RenderCache>,
) -> Result<(Files, RenderStats), Box<Diagnostic>> {
    let theme = &prepared.theme;
    let r = &prepared.ruleset;
    let mut stats = RenderStats::default();
    let chapters =
        chapters::render_chapters(prepared, cache.as_deref_mut(), &mut stats.chapters_rendered);
    let chapter_nav: Vec<(String, String)> = chapters
        .iter()
        .map(|c| (chapter_url(&c.slug), c.title.clone()))
        .collect();

    // Every page, the flow diagram and the search index print an event's
    // timing from these same strings.
    let timings = Timings::render(theme, &prepared.locale, r)?;
    let mut pages: Vec<PageOut> = Vec::new();
    let locale = &prepared.locale;
    pages.extend(chapters::pages(r, locale, &chapters, &timings)?);
    pages.extend(classify::pages(r, locale, &timings)?);
    pages.extend(trees::pages(r, locale, &timings)?);
    pages.extend(directory::pages(r, locale, &timings)?);
    pages.extend(reference::pages(r, locale, year, &timings)?);
    pages.extend(worksheets::pages(r, locale, year, &timings)?);
    pages.push(worksheets::report_page(r, locale)?);
    pages.push(incident::page(locale)?);

    // The full context of each page decides whether it must be rendered.
    let shared = SharedContext::new(r, &prepared.locale, &chapter_nav)?;
    let keys: Vec<u64> = if cache.is_some() {
        pages.iter().map(|p| shared.key(p)).collect()
    } else {
        vec![0; pages.len()]
    };
    let mut done: BTreeMap<usize, RenderedPage> = BTreeMap::new();
    if let Some(c) = cache.as_deref() {
        for (i, (page, key)) in pages.iter().zip(&keys).enumerate() {
            if let Some((k, html, doc)) = c.pages.get(&page.path)
                && k == key
            {
                done.insert(i, (page.path.clone(), html.clone(), doc.clone()));
            }
        }
    }
    let todo: Vec<usize> = (0..pages.len()).filter(|i| !done.contains_key(i)).collect();
    stats.pages_rendered = todo.len();
    stats.pages_reused = done.len();

    // Pages are independent, so render them on every core; results are
    // collected back in page order, which keeps the output deterministic.
    let threads = std::thread::available_parallelism()
        .map(|n| n.get())
        .unwrap_or(1)
        .clamp(1, 8);
    let chunk = todo.len().div_ceil(threads).max(1);
    type Part = Result<Vec<(usize, RenderedPage)>, Box<Diagnostic>>;
    let rendered: Vec<Part> = std::thread::scope(|scope| {
        let handles: Vec<_> = todo
            .chunks(chunk)
            .map(|part| {
                let (pages, shared) = (&pages, &shared);
                let builder = std::thread::Builder::new().stack_size(RENDER_STACK_BYTES);
                builder.spawn_scoped(scope, move || {
                    part.iter()
                        .map(|&i| {
                            let page = &pages[i];
                            let ctx = base_context(shared, page);
                            let html = theme
                                .tera
                                .render(page.template, &ctx)
                                .map_err(|e| Box::new(theme.render_error(&e, page.template)))?;
                            // Tree steps repeat their tree's words and the
                            // print page repeats the chapters; search
                            // finds the originals and the entities.
                            let searchable = !(page.path.starts_with("classify/n")
                                || page.path.contains("/outcome-")
                                || page.path.starts_with("worksheets/")
                                || page.path == "print.html");
                            let doc = if searchable {
                                super::search::Doc::sections(&page.path, &page.title, &html)
                            } else {
                                Vec::new()
                            };
                            Ok((i, (page.path.clone(), html, doc)))
                        })
                        .collect()
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| match h {
                Ok(h) => h.join().unwrap_or_else(|_| {
                    Err(Box::new(Diagnostic::error(
                        Rule::Template,
                        "a page renderer crashed",
                    )))
                }),
                Err(e) => Err(Box::new(Diagnostic::error(
                    Rule::Template,
                    format!("cannot start a page renderer: {e}"),
                ))),
            })
            .collect()
    });
    for part in rendered {
        for (i, page) in part? {
            done.insert(i, page);
        }
    }
    let mut files = Files::new();
    let mut search_docs: Vec<super::search::Doc> = Vec::new();
    for (i, (path, html, doc)) in done {
        if let Some(c) = cache.as_deref_mut() {
            c.pages
                .insert(path.clone(), (keys[i], html.clone(), doc.clone()));
        }
        search_docs.extend(doc);
        files.insert(path, html.into_bytes());
    }
    search_docs.extend(super::search::entity_docs(r, &prepared.locale, &timings)?);
    files.insert(
        "assets/search-index.js".into(),
        super::search::index_script(
            &search_docs,
            &prepared.synonyms,
            cache.map(|c| &mut c.terms),
        )
        .into_bytes(),
    );
    files.insert(
        "assets/data.js".into(),
        (data_script(r)
            + &text_script(&prepared.locale)
            + &super::search::synonyms_script(&prepared.synonyms)
            + &incident::data_script(r, &chapters)
            // The timing object stays last (tests/site_timing.rs reads it so).
            + &timing::data_script(r, &timings))
            .into_bytes(),
    );
    for (name, text) in &theme.assets {
        files.insert(format!("assets/{name}"), text.clone().into_bytes());
    }
    for (path, bytes) in super::cards::files(r, &prepared.locale)? {
        files.insert(path, bytes);
    }
    let words = super::ics::CalendarWords::new(&prepared.locale)?;
    for (path, bytes) in super::ics::drill_files(r, year, &words) {
        files.insert(path, bytes);
    }
    Ok((files, stats))
}

/// The interface text for `handbook.js`, added to the data as `text` (the
/// same table templates get as `t`), and the handbook's `language`, which
/// picks the entry of each policy text the script shows.
pub fn text_script(locale: &Locale) -> String {
    let json = serde_json::to_string(locale.table())
        .unwrap_or_else(|_| "{}".into())
        .replace("</", "<\\/");
    let language = serde_json::to_string(locale.language()).unwrap_or_else(|_| "\"\"".into());
    format!("window.HANDBOOK_DATA.text = {json};\nwindow.HANDBOOK_DATA.language = {language};\n")
}

/// The compiled data the scripts read, as a classic script (modules and
/// `fetch` do not work from `file://`).
pub fn data_script(r: &Ruleset) -> String {
    let actors: BTreeMap<String, String> = r
        .units
        .iter()
        .map(|u| (u.id.clone(), r.text_of(&u.name).to_owned()))
        .chain(
            r.roles
                .iter()
                .map(|x| (x.id.clone(), r.text_of(&x.name).to_owned())),
        )
        .collect();
    let data = json!({
        "version": r.meta.version,
        "digest": r.digest,
        "timezone": r.meta.timezone,
        // The compiled levels plus what the script shows for each: its
        // label and colour class (never the id as a word).
        "levels": r.levels.iter().map(|l| {
            let mut v = serde_json::to_value(l).unwrap_or(Value::Null);
            if let Value::Object(m) = &mut v {
                m.insert("label".into(), json!(level_label(r, &l.id)));
                m.insert("sev".into(), json!(severity_class(r, &l.id)));
            }
            v
        }).collect::<Vec<_>>(),
        "questions": r.questions,
        "criteria": r.criteria,
        "levelTree": r.level_tree,
        "events": r.events,
        "discoveryEvent": r.handbook.discovery,
        "notAnIncidentDecision": r.handbook.not_an_incident,
        "conditions": r.conditions,
        "actors": actors,
        "trees": r.trees,
        // What a tree outcome shows under its text: each channel's value and
        // link (`href`: none for a fax or a placeholder).
        "contacts": r.contacts,
        // The `[handbook]` roles: readers, follow-ups, report items and the
        // ids the script singles out.
        "handbook": r.handbook,
    });
    // `</` cannot appear inside JSON strings here, but escape it anyway so
    // the data can also be inlined in a <script> element safely.
    let json = serde_json::to_string(&data)
        .unwrap_or_else(|_| "{}".into())
        .replace("</", "<\\/");
    format!("window.HANDBOOK_DATA = {json};\n")
}

#[cfg(test)]
mod tests {
    use super::severity_step;

    #[test]
    fn severity_steps_spread_any_count_from_first_to_last() {
        let steps = |n| (0..n).map(|at| severity_step(at, n)).collect::<Vec<_>>();
        assert_eq!(steps(1), [1]);
        assert_eq!(steps(2), [1, 5]);
        assert_eq!(steps(3), [1, 3, 5]);
        // The bundled four levels keep their four colours.
        assert_eq!(steps(4), [1, 2, 4, 5]);
        assert_eq!(steps(5), [1, 2, 3, 4, 5]);
        // More levels than steps: in order, never out of range.
        let nine = steps(9);
        assert!(nine.windows(2).all(|w| w[0] <= w[1]));
        assert_eq!((nine[0], nine[8]), (1, 5));
    }
}
