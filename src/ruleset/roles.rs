//! The compiled `[handbook]` table: which ids the site and the CLI single
//! out. Code after `compile` asks these roles for an id and never names one.
//!
//! It must never invent a role: a policy that lacks one failed `check`
//! (`missing-role`) and does not compile.

use serde::Serialize;

use crate::policy as model;

/// The roles of a checked policy; every id resolves.
#[derive(Debug, Clone, Serialize)]
pub struct Roles {
    /// The event of the first report.
    pub initial_report: String,
    /// The starting event deadlines count from (`--discovered`).
    pub discovery: String,
    /// The phone contact offered when the portal is down.
    pub phone_line: String,
    /// The decision that explains the "not an incident" outcome.
    pub not_an_incident: String,
    /// The events the home page lists first, in order.
    pub first_steps: Vec<String>,
    /// The tree that walks the screening indicators, if the policy has one.
    pub indicators_tree: Option<String>,
    /// The condition `deadlines --support` sets, if the policy has one.
    pub support_condition: Option<String>,
    /// The condition `deadlines --portal-down` sets, if the policy has one.
    pub portal_down_condition: Option<String>,
    /// The reporting portal (a `url` contact) the home page links, if any.
    pub portal: Option<String>,
    /// What the guideline says about some pages, after the theme's lead.
    pub intro: PageIntros,
    /// The units a reader can be ("who am I"), in the policy's order; empty
    /// when the policy declares none (then no role is offered).
    pub readers: Vec<String>,
    /// Prompts on an incident's result, each linking a tree.
    pub follow_ups: Vec<FollowUp>,
    /// What a first report must contain.
    pub report_items: Vec<ReportItem>,
}

/// A prompt on an incident's result linking a tree; shown when `when` is
/// empty or one of its answers was given (question id to answer ids).
#[derive(Debug, Clone, Serialize)]
pub struct FollowUp {
    pub tree: String,
    pub prompt: crate::ruleset::Text,
    pub source: String,
    pub when: std::collections::BTreeMap<String, Vec<String>>,
}

/// One thing a report must contain, with its section.
#[derive(Debug, Clone, Serialize)]
pub struct ReportItem {
    pub text: crate::ruleset::Text,
    pub source: String,
}

/// `[handbook.intro]` compiled: per page, a text and its section.
#[derive(Debug, Clone, Default, Serialize)]
pub struct PageIntros {
    pub contacts: Option<PageIntro>,
    pub org: Option<PageIntro>,
    pub flow: Option<PageIntro>,
    pub agencies: Option<PageIntro>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PageIntro {
    pub text: crate::ruleset::Text,
    pub source: Option<String>,
}

fn intro(i: &Option<model::PageIntro>) -> Option<PageIntro> {
    i.as_ref().map(|i| PageIntro {
        text: i.text.get_ref().clone(),
        source: i.source.as_ref().map(|s| s.get_ref().clone()),
    })
}

/// `None` when a required role is missing (which `check` reports).
pub fn compile(h: &model::Handbook) -> Option<Roles> {
    let s = |id: &model::Id| id.get_ref().clone();
    Some(Roles {
        initial_report: s(h.initial_report.as_ref()?),
        discovery: s(h.discovery.as_ref()?),
        phone_line: s(h.phone_line.as_ref()?),
        not_an_incident: s(h.not_an_incident.as_ref()?),
        first_steps: h.first_steps.as_ref()?.get_ref().iter().map(s).collect(),
        indicators_tree: h.indicators_tree.as_ref().map(s),
        support_condition: h.support_condition.as_ref().map(s),
        portal_down_condition: h.portal_down_condition.as_ref().map(s),
        portal: h.portal.as_ref().map(s),
        intro: match &h.intro {
            Some(i) => PageIntros {
                contacts: intro(&i.contacts),
                org: intro(&i.org),
                flow: intro(&i.flow),
                agencies: intro(&i.agencies),
            },
            None => PageIntros::default(),
        },
        readers: h
            .readers
            .as_ref()
            .map(|r| r.get_ref().iter().map(s).collect())
            .unwrap_or_default(),
        follow_ups: h
            .follow_up
            .iter()
            .map(|f| FollowUp {
                tree: s(&f.tree),
                prompt: f.prompt.get_ref().clone(),
                source: f.source.get_ref().clone(),
                when: f
                    .when
                    .iter()
                    .map(|(q, a)| {
                        (
                            q.get_ref().clone(),
                            a.get_ref().items().into_iter().cloned().collect(),
                        )
                    })
                    .collect(),
            })
            .collect(),
        report_items: h
            .report_item
            .iter()
            .map(|i| ReportItem {
                text: i.text.get_ref().clone(),
                source: i.source.get_ref().clone(),
            })
            .collect(),
    })
}
