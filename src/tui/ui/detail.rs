//! The detail pane: every fact about the access under the cursor, so the
//! analyst can decide (and later explain) without leaving the table.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::theme::Theme;
use crate::kb::describe_source_at;
use crate::model::{Access, Leaning, RowKind};
use crate::review::{
    Common, Field, Form, HopField, LabelKey, NO_DATE, ReviewContext, confidence_text,
};
use crate::text::{escape_controls, format_delay};
use crate::tui::app::App;
use crate::tui::columns::tag;
use crate::tui::data::Data;
use crate::tui::frame::DetailFrame;

/// How many other accesses of the same IP or recipient are listed.
const OTHERS: usize = 4;

/// Draws the pane, scrolled to where the analyst is; says how far it
/// scrolls at this size.
pub fn draw(app: &App, theme: Theme, frame: &mut Frame, area: Rect) -> DetailFrame {
    let (Some(data), Some(i)) = (&app.data, app.view.selected_access()) else {
        let block = Block::default()
            .borders(Borders::TOP)
            .title(Span::styled(" detail (Enter closes) ", theme.title()));
        frame.render_widget(Paragraph::new("no access selected").block(block), area);
        return DetailFrame {
            last_scroll: 0,
            page: 1,
        };
    };
    let paragraph = Paragraph::new(lines(data, theme, i)).wrap(Wrap { trim: false });
    let page = usize::from(area.height.saturating_sub(1));
    let total = paragraph.line_count(area.width);
    let last_scroll = total.saturating_sub(page);
    let scroll = app.detail_scroll.min(last_scroll);
    let below = total.saturating_sub(scroll + page);
    let mut title = " detail — ".to_string();
    if scroll > 0 || below > 0 {
        title.push_str(&format!(
            "lines {}–{} of {}, j/k scroll · ",
            scroll + 1,
            (scroll + page).min(total),
            total
        ));
    }
    title.push_str(&format!(
        "n/p next/previous {} · Enter closes ",
        data.ctx().kind().nouns().0
    ));
    let block = Block::default()
        .borders(Borders::TOP)
        .title(Span::styled(title, theme.title()));
    frame.render_widget(
        paragraph
            .block(block)
            .scroll((scroll.min(usize::from(u16::MAX)) as u16, 0)),
        area,
    );
    DetailFrame {
        last_scroll,
        page: page.max(1),
    }
}

/// The chain behind the office egress: `pc  198.51.100.7 → 10.1.2.3 →
/// PC-TANAKA (00:1a:…) → user CORP\tanaka`, flagged when the machine is
/// someone else's.
fn chain_line(
    campaign: &crate::model::Campaign,
    a: &crate::model::Access,
    tie: &crate::network::Tie,
    theme: Theme,
) -> Line<'static> {
    let mut chain = vec![campaign.ip(a.ip).to_string(), tie.client.to_string()];
    let host = campaign.strings.get(tie.host);
    let mac = campaign.strings.get(tie.mac);
    match (host.is_empty(), mac.is_empty()) {
        (false, false) => chain.push(format!("{} ({})", esc(host), esc(mac))),
        (false, true) => chain.push(esc(host)),
        (true, false) => chain.push(esc(mac)),
        (true, true) => {}
    }
    let user = campaign.strings.get(tie.user);
    if !user.is_empty() {
        chain.push(format!("user {}", esc(user)));
    }
    let mut spans = vec![field(theme, "pc"), Span::raw(chain.join(" → "))];
    if let Some(owner) = &tie.elsewhere {
        spans.push(Span::styled(
            format!(" · someone else's machine ({})", esc(owner)),
            theme.error(),
        ));
    }
    Line::from(spans)
}

fn esc(s: &str) -> String {
    escape_controls(s).into_owned()
}

fn field(theme: Theme, name: &'static str) -> Span<'static> {
    Span::styled(format!("{name} "), theme.dim())
}

pub fn lines(data: &Data, theme: Theme, i: u32) -> Vec<Line<'static>> {
    let analysis = data.analysis();
    let campaign = &analysis.campaign;
    let ctx = data.ctx();
    let a = &campaign.accesses[i as usize];
    let mut out = Vec::new();

    // Verdict first: it is what the analyst acts on.
    let mut verdict = vec![field(theme, "verdict")];
    match data.book.resolve(analysis, i) {
        Some((key, info)) => {
            verdict.push(Span::styled(
                format!("{} [{}]", info.verdict, tag(info.verdict, key)),
                theme.verdict(info.verdict, matches!(key, LabelKey::Access(_))),
            ));
            let source = describe_source_at(
                &key,
                info.at.map(|at| at.format_short(&analysis.zone)),
                info.analyst.as_deref(),
            );
            verdict.push(Span::raw(format!(" from {}", esc(&source))));
            if let Some(note) = &info.note {
                verdict.push(Span::raw(format!(" · note: {}", esc(note))));
            }
        }
        None => verdict.push(Span::styled("none yet", theme.dim())),
    }
    // The suggestion comes from the click signals: only rows that have it show it.
    let suggests = Field::Common(Common::Suggestion).applies_to(ctx.kind());
    if suggests {
        let leaning = ctx.suggestion(i);
        verdict.push(Span::raw(" · "));
        verdict.push(field(theme, "suggestion"));
        verdict.push(Span::styled(leaning.as_str(), theme.suggestion(leaning)));
        if let Some(p) = ctx.confidence(i) {
            let sure = confidence_text(p, Form::Display);
            // An unsure suggestion's confidence is about the side it leans to.
            verdict.push(Span::raw(match (leaning, ctx.leans_to(i)) {
                (Leaning::Unsure, Some(side)) => format!(" (leans {side}, {sure})"),
                (Leaning::Unsure, None) => String::new(),
                _ => format!(" ({sure} sure)"),
            }));
        }
    }
    out.push(Line::from(verdict));
    if suggests {
        let reasons = data.reasons(i);
        if !reasons.is_empty() {
            let text: Vec<String> = reasons.iter().map(|r| esc(r)).collect();
            out.push(Line::from(vec![
                field(theme, "because"),
                Span::raw(text.join("; ")),
            ]));
        }
    }

    // When and who.
    if ctx.kind() == RowKind::Hop {
        out.extend(hop_lines(&ctx, theme, i));
    } else {
        out.push(access_line(data, theme, a));
    }
    out.push(owner_line(data, theme, a));
    if let Some(tie) = data.analysis().tie(i as usize) {
        out.push(chain_line(&data.analysis().campaign, a, tie, theme));
    }
    if ctx.kind() == RowKind::Access {
        out.extend(client_lines(data, theme, a));
    }
    let same_recipient = match ctx.kind() {
        RowKind::Access => "same recipient",
        RowKind::Hop => "same mail",
    };
    out.push(others(
        data,
        &ctx,
        theme,
        "same ip",
        data.index.by_ip(a.ip),
        i,
        |acc| esc(campaign.recipient_name(acc)),
    ));
    if let Some(r) = a.recipient() {
        out.push(others(
            data,
            &ctx,
            theme,
            same_recipient,
            data.index.by_recipient(r),
            i,
            |acc| campaign.ip(acc.ip).to_string(),
        ));
    }
    out
}

/// A hop's time, its mail and file, then its own facts as the catalogue
/// names them, and the Received line as written.
fn hop_lines(ctx: &ReviewContext<'_>, theme: Theme, i: u32) -> Vec<Line<'static>> {
    let analysis = ctx.analysis;
    let campaign = &analysis.campaign;
    let a = ctx.access(i);
    let mut when = vec![field(theme, "time")];
    when.push(match ctx.time_of(i) {
        Some(t) => Span::raw(t.format_rfc3339(&analysis.zone)),
        None => Span::styled(NO_DATE, theme.error()),
    });
    when.push(Span::raw(" · "));
    when.push(field(theme, "mail"));
    when.push(Span::raw(esc(campaign.recipient_name(a))));
    when.push(Span::styled(
        format!(" · {} line {}", esc(campaign.file_name(a.file)), a.line),
        theme.dim(),
    ));
    let mut facts = Vec::new();
    for f in [
        HopField::Number,
        HopField::From,
        HopField::By,
        HopField::With,
        HopField::Class,
        HopField::Delay,
        HopField::Place,
        HopField::Flags,
    ] {
        let text = Field::Hop(f).text(ctx, i, Form::Display);
        if text.is_empty() {
            continue;
        }
        if !facts.is_empty() {
            facts.push(Span::raw(" · "));
        }
        facts.push(field(theme, f.title()));
        facts.push(Span::raw(esc(&text)));
    }
    vec![
        Line::from(when),
        Line::from(facts),
        Line::from(vec![
            field(theme, "received"),
            Span::raw(esc(campaign.user_agent(a.user_agent))),
        ]),
    ]
}

/// An access's time, event, recipient with its delivery, and file.
fn access_line(data: &Data, theme: Theme, a: &Access) -> Line<'static> {
    let analysis = data.analysis();
    let campaign = &analysis.campaign;
    let mut when = vec![
        field(theme, "time"),
        Span::raw(a.time.format_rfc3339(&analysis.zone)),
        Span::raw(match campaign.strings.get(a.method) {
            "" => format!(" · {}", a.event),
            method => format!(" · {} {}", a.event, esc(method)),
        }),
    ];
    if let Some(r) = a.recipient() {
        let recipient = campaign.recipient(r);
        when.push(Span::raw(" · "));
        when.push(field(theme, "recipient"));
        when.push(Span::raw(esc(campaign.strings.get(recipient.name))));
        match (recipient.sent_at, campaign.seconds_after_sent(a)) {
            (Some(sent), Some(dt)) => when.push(Span::raw(format!(
                " · delivered {} · {} after delivery",
                sent.format_short(&analysis.zone),
                format_delay(dt)
            ))),
            _ => when.push(Span::styled(" · delivery time unknown", theme.dim())),
        }
    }
    when.push(Span::styled(
        format!(" · {} line {}", esc(campaign.file_name(a.file)), a.line),
        theme.dim(),
    ));
    Line::from(when)
}

/// Who owns the address.
fn owner_line(data: &Data, theme: Theme, a: &Access) -> Line<'static> {
    let analysis = data.analysis();
    let campaign = &analysis.campaign;
    let ctx = data.ctx();
    let owner = analysis.owner(a);
    let mut who = vec![field(theme, "ip"), Span::raw(campaign.ip(a.ip).to_string())];
    if let Some(note) = ctx.note(a.ip) {
        who.push(Span::raw(" · "));
        who.push(field(theme, "note"));
        who.push(Span::styled(esc(note), theme.title()));
    }
    if let Some(why) = owner.internal {
        who.push(Span::raw(format!(" · internal ({why})")));
    }
    let mut facts: Vec<(&'static str, String)> = Vec::new();
    if let Some(net) = owner.network {
        facts.push(("network", net.to_string()));
    }
    if let Some(n) = owner.asn {
        facts.push(("as", format!("AS{n}")));
    }
    for (name, value) in [
        ("as org", &owner.as_org),
        ("isp", &owner.isp),
        ("org", &owner.organization),
        ("country", &owner.country_code),
        ("city", &owner.city),
        ("connection", &owner.connection_type),
        ("user type", &owner.user_type),
        ("domain", &owner.domain),
    ] {
        if let Some(v) = value {
            facts.push((name, esc(v)));
        }
    }
    let flags: Vec<&str> = owner.flags.names().collect();
    if !flags.is_empty() {
        facts.push(("flags", flags.join(" ")));
    }
    for (name, value) in facts {
        who.push(Span::raw(" · "));
        who.push(field(theme, name));
        who.push(Span::raw(value));
    }
    if owner.is_unknown() {
        who.push(Span::styled(
            " · no owner database knew this address",
            theme.dim(),
        ));
    }
    let sources: Vec<String> = owner
        .sources
        .iter()
        .filter_map(|&s| data.databases.get(usize::from(s)))
        .map(|d| esc(&d.name))
        .collect();
    if !sources.is_empty() {
        who.push(Span::styled(
            format!(" (from {})", sources.join(", ")),
            theme.dim(),
        ));
    }
    Line::from(who)
}

/// What the client claimed, and the log's own columns.
fn client_lines(data: &Data, theme: Theme, a: &Access) -> Vec<Line<'static>> {
    let analysis = data.analysis();
    let campaign = &analysis.campaign;
    let ua = analysis.ua(a);
    let mut out = Vec::new();
    let named = |name: &str, version: &str| -> String {
        match (name.is_empty(), version.is_empty()) {
            (true, _) => "?".to_string(),
            (false, true) => esc(name),
            (false, false) => format!("{} {}", esc(name), esc(version)),
        }
    };
    let mut client = vec![
        field(theme, "browser"),
        Span::raw(named(&ua.browser, &ua.version)),
        Span::raw(" · "),
        field(theme, "os"),
        Span::raw(named(&ua.os, &ua.os_version)),
        Span::raw(" · "),
        field(theme, "device"),
        Span::raw(ua.category.as_str()),
    ];
    client.push(Span::raw(" · "));
    client.push(field(theme, "screen"));
    client.push(Span::raw(
        a.screen.map_or("none".to_string(), |s| s.to_string()),
    ));
    out.push(Line::from(client));
    out.push(Line::from(vec![
        field(theme, "user agent"),
        Span::raw(esc(campaign.user_agent(a.user_agent))),
    ]));
    let extras: Vec<String> = campaign
        .extras(a)
        .map(|(k, v)| format!("{}={}", esc(k), esc(v)))
        .collect();
    if !extras.is_empty() {
        out.push(Line::from(vec![
            field(theme, "log"),
            Span::raw(extras.join(" · ")),
        ]));
    }
    out
}

fn others(
    data: &Data,
    ctx: &ReviewContext<'_>,
    theme: Theme,
    title: &'static str,
    rows: &[u32],
    me: u32,
    label: impl Fn(&Access) -> String,
) -> Line<'static> {
    let analysis = data.analysis();
    let count = rows.len().saturating_sub(1);
    let mut spans = vec![field(theme, title)];
    if count == 0 {
        let none = format!("no other {}", ctx.kind().nouns().0);
        spans.push(Span::styled(none, theme.dim()));
        return Line::from(spans);
    }
    spans.push(Span::raw(format!("{count} other: ")));
    for (n, &j) in rows.iter().filter(|&&j| j != me).take(OTHERS).enumerate() {
        if n > 0 {
            spans.push(Span::raw(", "));
        }
        let acc = &analysis.campaign.accesses[j as usize];
        let time = ctx
            .time_of(j)
            .map_or(NO_DATE.to_string(), |t| t.format_short(&analysis.zone));
        spans.push(Span::raw(format!(
            "{} {} ",
            time.get(5..).unwrap_or(&time),
            label(acc)
        )));
        match data.book.resolve(analysis, j) {
            Some((key, info)) => spans.push(Span::styled(
                tag(info.verdict, key),
                theme.verdict(info.verdict, matches!(key, LabelKey::Access(_))),
            )),
            None if !Field::Common(Common::Suggestion).applies_to(ctx.kind()) => {
                spans.push(Span::styled("·", theme.dim()));
            }
            None => {
                let l = ctx.suggestion(j);
                spans.push(Span::styled(
                    format!("{}?", l.as_str()),
                    theme.suggestion(l),
                ));
            }
        }
    }
    if count > OTHERS {
        spans.push(Span::styled(
            format!(" … {} more", count - OTHERS),
            theme.dim(),
        ));
    }
    Line::from(spans)
}
