//! SVG diagrams generated from the rule set: the organisation chart (the
//! guideline's missing figure 1) and the reporting and response flow (figure
//! 2). Both are drawn as an indented tree, which stays readable on a narrow
//! phone screen and needs no layout engine. Colours come from CSS classes,
//! so the page's light and dark themes apply; every diagram has a title and
//! a description, and the page beside it carries a full text alternative.
//! The SVG is a `group`, not an `img`: its boxes are links, and links inside
//! an image would be hidden from assistive technology.

use unicode_width::UnicodeWidthStr;

use super::cards::html_escape;
use super::locale::Locale;
use super::pages::{actor_url, event_url};
use crate::diagnostics::Diagnostic;
use crate::ruleset::Ruleset;

/// A box of the diagram.
pub struct DiagramNode {
    pub parent: Option<usize>,
    /// First line is the title; others are smaller.
    pub lines: Vec<String>,
    pub href: String,
}

const ROW_GAP: f64 = 12.0;
const LINE: f64 = 20.0;
const INDENT: f64 = 26.0;
const PAD: f64 = 8.0;
/// Width of one display column at the diagram's font size: CJK characters
/// are two columns wide.
const COLUMN: f64 = 8.0;

/// Draws a forest of boxes, each below the previous, indented by depth, with
/// elbow connectors from parent to child.
pub fn tree_svg(nodes: &[DiagramNode], id: &str, title: &str, desc: &str) -> String {
    let depth: Vec<usize> = (0..nodes.len())
        .map(|i| {
            let mut d = 0;
            let mut at = i;
            while let Some(p) = nodes[at].parent {
                d += 1;
                at = p;
                if d > nodes.len() {
                    break;
                }
            }
            d
        })
        .collect();
    let mut y = PAD;
    let mut boxes = Vec::with_capacity(nodes.len());
    let mut width: f64 = 0.0;
    for (i, n) in nodes.iter().enumerate() {
        let x = PAD + depth[i] as f64 * INDENT;
        let w = n
            .lines
            .iter()
            .map(|l| UnicodeWidthStr::width(l.as_str()) as f64 * COLUMN)
            .fold(0.0, f64::max)
            + 2.0 * PAD;
        let h = n.lines.len() as f64 * LINE + PAD;
        boxes.push((x, y, w, h));
        width = width.max(x + w + PAD);
        y += h + ROW_GAP;
    }
    let height = y;
    let mut s = format!(
        "<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"diagram\" role=\"group\" aria-labelledby=\"{id}-title {id}-desc\" viewBox=\"0 0 {width:.0} {height:.0}\" width=\"{width:.0}\" height=\"{height:.0}\">\
<title id=\"{id}-title\">{}</title><desc id=\"{id}-desc\">{}</desc>",
        html_escape(title),
        html_escape(desc)
    );
    for (i, n) in nodes.iter().enumerate() {
        if let Some(p) = n.parent {
            let (px, py, _, ph) = boxes[p];
            let (cx, cy, _, ch) = boxes[i];
            let from_x = px + INDENT / 2.0;
            let mid_y = cy + ch / 2.0;
            s.push_str(&format!(
                "<path class=\"edge\" d=\"M{from_x:.1} {:.1} V{mid_y:.1} H{cx:.1}\"/>",
                py + ph
            ));
        }
    }
    for (i, n) in nodes.iter().enumerate() {
        let (x, y, w, h) = boxes[i];
        s.push_str(&format!("<a href=\"{}\">", html_escape(&n.href)));
        s.push_str(&format!(
            "<rect class=\"node{}\" x=\"{x:.1}\" y=\"{y:.1}\" width=\"{w:.1}\" height=\"{h:.1}\" rx=\"6\"/>",
            if n.parent.is_none() { " root" } else { "" }
        ));
        for (k, line) in n.lines.iter().enumerate() {
            s.push_str(&format!(
                "<text class=\"{}\" x=\"{:.1}\" y=\"{:.1}\">{}</text>",
                if k == 0 { "label" } else { "sub" },
                x + PAD,
                y + PAD / 2.0 + LINE * (k as f64 + 0.75),
                html_escape(line)
            ));
        }
        s.push_str("</a>");
    }
    s.push_str("</svg>");
    s
}

/// The organisation tree, each box linking to its unit card. `root` is the
/// relative path from the page showing it to the site root.
pub fn org_chart(r: &Ruleset, locale: &Locale, root: &str) -> Result<String, Box<Diagnostic>> {
    let lead_words = locale.get("diagrams.lead")?;
    let list_sep = locale.get("common.list_sep")?;
    let mut order: Vec<&str> = Vec::new();
    fn visit<'a>(r: &'a Ruleset, id: &'a str, order: &mut Vec<&'a str>) {
        if order.contains(&id) {
            return;
        }
        order.push(id);
        if let Some(u) = r.units.iter().find(|u| u.id == id) {
            for c in &u.children {
                visit(r, c, order);
            }
        }
    }
    for u in r.units.iter().filter(|u| u.parent.is_none()) {
        visit(r, &u.id, &mut order);
    }
    let nodes: Vec<DiagramNode> = order
        .iter()
        .filter_map(|id| r.units.iter().find(|u| &u.id == id))
        .map(|u| {
            let mut lines = vec![r.text_of(&u.name).to_owned()];
            let leads: Vec<String> = u
                .lead
                .iter()
                .filter_map(|a| r.agencies.iter().find(|x| &x.id == a))
                .map(|a| {
                    a.aliases
                        .first()
                        .cloned()
                        .unwrap_or_else(|| r.text_of(&a.name).to_owned())
                })
                .collect();
            if !leads.is_empty() {
                lines.push(lead_words.replace("{agencies}", &leads.join(list_sep)));
            }
            DiagramNode {
                parent: u
                    .parent
                    .as_ref()
                    .and_then(|p| order.iter().position(|x| x == p)),
                lines,
                href: format!("{root}{}", actor_url(&u.id)),
            }
        })
        .collect();
    Ok(tree_svg(
        &nodes,
        "org-chart",
        locale.get("diagrams.org_title")?,
        locale.get("diagrams.org_description")?,
    ))
}

/// The event graph: each event under the event it is timed from, with who
/// acts and the time per level.
pub fn process_flow(
    r: &Ruleset,
    locale: &Locale,
    root: &str,
    timings: &super::pages::Timings,
) -> Result<String, Box<Diagnostic>> {
    let order: Vec<&str> = {
        let mut o = Vec::new();
        fn visit<'a>(r: &'a Ruleset, id: &'a str, o: &mut Vec<&'a str>) {
            if o.contains(&id) {
                return;
            }
            o.push(id);
            for e in r.events.iter().filter(|e| e.anchor.as_deref() == Some(id)) {
                visit(r, &e.id, o);
            }
        }
        for e in r.events.iter().filter(|e| e.anchor.is_none()) {
            visit(r, &e.id, &mut o);
        }
        o
    };
    let nodes: Vec<DiagramNode> = order
        .iter()
        .filter_map(|id| r.event(id))
        .map(|e| {
            let mut lines = vec![r.text_of(&e.name).to_owned()];
            lines.push(
                r.actor_name(&e.actor)
                    .map(|t| r.text_of(t))
                    .unwrap_or_default()
                    .to_owned(),
            );
            // The timing on a line of its own: it says what the event
            // counts from and when it arises, which is too long to share.
            lines.extend(timings.all(&e.id));
            DiagramNode {
                parent: e
                    .anchor
                    .as_ref()
                    .and_then(|a| order.iter().position(|x| x == a)),
                lines,
                href: format!("{root}{}", event_url(&e.id)),
            }
        })
        .collect();
    Ok(tree_svg(
        &nodes,
        "process-flow",
        locale.get("diagrams.flow_title")?,
        locale.get("diagrams.flow_description")?,
    ))
}
