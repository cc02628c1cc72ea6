//! The header: what campaign and which owner databases, the counts and click
//! rates, and which view is shown with its filter and sort.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::loading::{LoadFigures, loading_text};
use super::theme::Theme;
use crate::model::{RowKind, Verdict};
use crate::review::{Counts, Headline, SortBy, StatusFilter, ViewKind};
use crate::text::{count, escape_controls, thousands};
use crate::tui::app::{App, LoadState};
use crate::tui::columns::{Col, columns};

pub fn draw(app: &App, theme: Theme, frame: &mut Frame, area: Rect) {
    let lines = vec![
        title_line(app, theme),
        counts_line(app, theme, area.width),
        view_line(app, theme, area.width),
    ];
    frame.render_widget(Paragraph::new(lines), area);
}

fn title_line(app: &App, theme: Theme) -> Line<'static> {
    let mut spans = vec![Span::styled("whoclicked ", theme.title())];
    let files: Vec<String> = app
        .session
        .files
        .iter()
        .map(|f| escape_controls(f).into_owned())
        .collect();
    spans.push(Span::raw(files.join(", ")));
    if let Some(data) = &app.data {
        spans.push(Span::styled(" · owners: ", theme.dim()));
        if data.databases.is_empty() {
            spans.push(Span::raw("no database"));
        } else {
            let now = (app.session.clock)().to_jiff();
            for (n, d) in data.databases.iter().enumerate() {
                if n > 0 {
                    spans.push(Span::raw(", "));
                }
                spans.push(Span::raw(match &d.built {
                    Some(built) => format!("{} ({built})", escape_controls(&d.name)),
                    None => escape_controls(&d.name).into_owned(),
                }));
                // Old range data misleads quietly: say so where it is named.
                let stale = d
                    .build_time
                    .filter(|_| d.bundled)
                    .and_then(|built| crate::owner::months_stale(built, now));
                if let Some(months) = stale {
                    spans.push(Span::styled(
                        format!(" ⚠ {months} months old: whoclicked mmdb update"),
                        theme.error(),
                    ));
                }
            }
        }
    }
    if let Some(data) = &app.data {
        // The table's times carry no offset: say which zone they are in.
        let zone = &data.analysis().zone;
        let label = crate::model::zone_label(zone, (app.session.clock)().to_jiff());
        spans.push(Span::styled(" · times: ", theme.dim()));
        spans.push(Span::raw(label));
    }
    spans.push(Span::styled(" · labels: ", theme.dim()));
    spans.push(Span::raw(
        escape_controls(&app.session.store_location).into_owned(),
    ));
    Line::from(spans)
}

fn counts_line(app: &App, theme: Theme, width: u16) -> Line<'static> {
    match &app.load {
        LoadState::Loading { progress, started } => {
            let figures = LoadFigures::of(progress, started.elapsed());
            return Line::from(Span::styled(loading_text(&figures), theme.busy()));
        }
        LoadState::Failed(_) => {
            // The whole reason is where the table would be: one line cannot hold it.
            return Line::from(Span::styled(
                "could not load the campaign: the reason is below",
                theme.error(),
            ));
        }
        LoadState::Cancelled => return Line::from("loading cancelled"),
        LoadState::Ready => {}
    }
    let Some(data) = &app.data else {
        return Line::default();
    };
    counts_parts(&data.counts, theme).fit(width)
}

/// Parts of the counts line in display order, each in a long and a short
/// wording, with the order in which they give way when even the short
/// wording does not fit (0: never).
struct CountsParts(Vec<CountsPart>);

struct CountsPart {
    long: Vec<Span<'static>>,
    short: Vec<Span<'static>>,
    gives_way: u8,
}

impl CountsParts {
    /// The first `long` parts in their long wording, the rest short,
    /// without the parts that give way at `dropped` or before.
    fn line(&self, long: usize, dropped: u8) -> Line<'static> {
        let spans = self
            .0
            .iter()
            .enumerate()
            .filter(|(_, p)| p.gives_way == 0 || p.gives_way > dropped)
            .flat_map(|(n, p)| if n < long { &p.long } else { &p.short })
            .cloned();
        Line::from(spans.collect::<Vec<_>>())
    }

    /// The long wording where it fits, with the parts that give way first
    /// left out if need be; else the rate alone in its long wording (it
    /// says what is undecided), the rest short; else all short, the same
    /// way (what still does not fit is cut at the end, like any line).
    fn fit(self, width: u16) -> Line<'static> {
        let width = usize::from(width);
        let most = self.0.iter().map(|p| p.gives_way).max().unwrap_or(0);
        [self.0.len(), 1, 0]
            .into_iter()
            .flat_map(|long| (0..=most).map(move |dropped| (long, dropped)))
            .map(|(long, dropped)| self.line(long, dropped))
            .find(|line| line.width() <= width)
            .unwrap_or_else(|| self.line(0, most))
    }
}

fn counts_parts(c: &Counts, theme: Theme) -> CountsParts {
    if c.kind == RowKind::Hop {
        return hop_counts_parts(c, theme);
    }
    let recipients = if c.delivered > 0 {
        part(
            vec![Span::raw(format!(
                " · recipients {} delivered / {} accessed",
                thousands(c.delivered),
                thousands(c.accessed)
            ))],
            vec![Span::raw(format!(
                " │ {}/{} recipients",
                thousands(c.accessed),
                thousands(c.delivered)
            ))],
            1,
        )
    } else {
        part(
            vec![Span::raw(format!(
                " · recipients {} accessed (delivery unknown: rates are of all {} known)",
                thousands(c.accessed),
                thousands(c.recipients)
            ))],
            vec![Span::raw(format!(
                " │ {} recipients, delivery unknown",
                thousands(c.accessed)
            ))],
            1,
        )
    };
    let human = |n: usize, lead: &str, word: &str| {
        Span::styled(
            format!("{lead}{word}{}", thousands(n)),
            theme.verdict(Verdict::Human, false),
        )
    };
    let scanner = |n: usize, lead: &str, word: &str| {
        Span::styled(
            format!("{lead}{word}{}", thousands(n)),
            theme.verdict(Verdict::Scanner, false),
        )
    };
    CountsParts(vec![
        rate_part(c, theme),
        raw_part(c),
        part(
            vec![Span::raw(format!(" · {} accesses", thousands(c.accesses)))],
            vec![Span::raw(format!(" │ {} accesses", thousands(c.accesses)))],
            2,
        ),
        // What the analyst decided, apart from what is only suggested.
        part(
            vec![
                Span::raw(" · reviewed: "),
                human(c.reviewed_human, "", "human "),
                Span::raw(" · "),
                scanner(c.reviewed_scanner, "", "scanner "),
            ],
            vec![
                Span::raw(" │ reviewed "),
                human(c.reviewed_human, "", "h"),
                scanner(c.reviewed_scanner, " ", "s"),
            ],
            0,
        ),
        part(
            vec![
                Span::raw(format!(
                    " · suggested for the {} unreviewed: ",
                    thousands(c.unlabelled)
                )),
                human(c.suggested_human, "", "human "),
                Span::raw(" · "),
                scanner(c.suggested_scanner, "", "scanner "),
                Span::raw(format!(" · unsure {}", thousands(c.suggested_unsure))),
            ],
            vec![
                Span::raw(" │ suggested "),
                human(c.suggested_human, "", "h"),
                scanner(c.suggested_scanner, " ", "s"),
                Span::raw(format!(" unsure {}", thousands(c.suggested_unsure))),
            ],
            0,
        ),
        recipients,
    ])
}

/// A mail's hops: how many mails, hops and origins, and what the analyst
/// labelled; no click rate (nobody clicked anything).
fn hop_counts_parts(c: &Counts, theme: Theme) -> CountsParts {
    let n = |n: usize, one: &str, many: &str| {
        format!("{} {}", thousands(n), if n == 1 { one } else { many })
    };
    let mails = n(c.recipients, "mail", "mails");
    let hops = n(c.accesses, "hop", "hops");
    let origins = n(c.origins, "origin", "origins");
    let labelled = |n: usize, v: Verdict, word: &str| {
        Span::styled(format!("{word}{}", thousands(n)), theme.verdict(v, false))
    };
    CountsParts(vec![
        part(
            vec![Span::raw(format!("{mails} · {hops} · {origins}"))],
            vec![Span::raw(format!("{mails} │ {hops} │ {origins}"))],
            0,
        ),
        part(
            vec![
                Span::raw(" · labelled: "),
                labelled(c.reviewed_human, Verdict::Human, "human "),
                Span::raw(" · "),
                labelled(c.reviewed_scanner, Verdict::Scanner, "scanner "),
                Span::raw(format!(" · unlabelled {}", thousands(c.unlabelled))),
            ],
            vec![
                Span::raw(" │ labelled "),
                labelled(c.reviewed_human, Verdict::Human, "h"),
                labelled(c.reviewed_scanner, Verdict::Scanner, " s"),
                Span::raw(format!(" unlabelled {}", thousands(c.unlabelled))),
            ],
            1,
        ),
    ])
}

fn part(long: Vec<Span<'static>>, short: Vec<Span<'static>>, gives_way: u8) -> CountsPart {
    CountsPart {
        long,
        short,
        gives_way,
    }
}

/// The human click rate with what is undecided about it and what it rests
/// on (`review::Headline`: the report's summary says the same words). A
/// narrow screen keeps the range and the basis, shortened.
fn rate_part(c: &Counts, theme: Theme) -> CountsPart {
    let headline = Headline::new(c, c.rate_base());
    let human_rate = headline
        .rate()
        .map_or("–".to_string(), crate::review::percent);
    let long = vec![
        Span::raw("human click rate "),
        Span::styled(human_rate.clone(), theme.title()),
        Span::raw(format!(" ({})", headline.qualifier())),
    ];
    let short = vec![
        Span::raw("human rate "),
        Span::styled(headline.short_rate(), theme.title()),
        Span::raw(format!(" {}", headline.basis.as_str())),
    ];
    part(long, short, 0)
}

/// The raw click rate (any click, whoever made it): context for the human
/// one, given up after the access total on a narrow screen.
fn raw_part(c: &Counts) -> CountsPart {
    let raw = c.raw_rate().map_or("–".to_string(), |r| format!("{r:.1}%"));
    part(
        vec![Span::raw(format!(" · raw {raw}"))],
        vec![Span::raw(format!(" │ raw {raw}"))],
        3,
    )
}

fn view_line(app: &App, theme: Theme, width: u16) -> Line<'static> {
    let mut spans: Vec<Span<'static>> = Vec::new();
    let view = &app.view;
    if let Some(title) = &view.title {
        spans.push(Span::styled(
            format!(" {} of {title} ", app.row_kind().nouns().1),
            theme.active_tab(),
        ));
        spans.push(Span::styled(" Esc back", theme.dim()));
    } else if width < 110 {
        // Narrow: only the view shown; Tab says what comes next.
        spans.push(Span::styled(
            format!(" {} ", view.kind().title_for(app.row_kind())),
            theme.active_tab(),
        ));
        spans.push(Span::styled(
            format!(" Tab: {}", view.kind().next().title_for(app.row_kind())),
            theme.dim(),
        ));
    } else {
        for (n, kind) in ViewKind::CYCLE.iter().enumerate() {
            if n > 0 {
                spans.push(Span::raw(" "));
            }
            let style = if *kind == view.kind() {
                theme.active_tab()
            } else {
                theme.dim()
            };
            spans.push(Span::styled(
                format!(" {} ", kind.title_for(app.row_kind())),
                style,
            ));
        }
    }
    spans.push(Span::raw(format!(
        " │ {}",
        count(view.len(), "row", "rows")
    )));
    if view.spec.status != StatusFilter::All {
        spans.push(Span::raw(format!(" │ {}", view.spec.status.title())));
    }
    if !view.filter_text.is_empty() {
        spans.push(Span::raw(" │ filter: "));
        spans.push(Span::styled(
            escape_controls(&view.filter_text).into_owned(),
            theme.title(),
        ));
        if view.filter_problem.is_some() {
            spans.push(Span::styled(" ⚠ a term is left out", theme.error()));
        }
    }
    if let Some(sort) = view.spec.sort {
        let kind = view.kind();
        let rows = app.row_kind();
        let (title, arrow) = match sort {
            SortBy::Access(f, d) => (
                columns(rows, kind)
                    .iter()
                    .find(|c| **c == Col::Access(f))
                    .map_or(f.title(), |c| c.title(rows, kind)),
                d.arrow(),
            ),
            SortBy::Group(g, d) => (
                columns(rows, kind)
                    .iter()
                    .find(|c| **c == Col::Group(g))
                    .map_or(g.title(), |c| c.title(rows, kind)),
                d.arrow(),
            ),
        };
        spans.push(Span::raw(format!(" │ sort: {title} {arrow}")));
    }
    if !view.marks.is_empty() {
        spans.push(Span::styled(
            format!(" │ {} marked", view.marks.len()),
            theme.mark(),
        ));
    }
    if let Some(what) = &app.exporting {
        spans.push(Span::styled(
            format!(" │ ⟳ exporting {}…", escape_controls(what)),
            theme.busy(),
        ));
    }
    if app.is_building() {
        spans.push(Span::styled(" │ ⟳ building…", theme.busy()));
    }
    Line::from(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn counts() -> Counts {
        Counts {
            accesses: 484,
            human: 98,
            scanner: 383,
            unsure: 3,
            unlabelled: 484,
            suggested_human: 98,
            suggested_scanner: 383,
            suggested_unsure: 3,
            clicks_unreviewed: 470,
            delivered: 240,
            recipients: 240,
            accessed: 222,
            clicked: 218,
            human_clicked: 41,
            unsure_clicked: 4,
            clicked_reviewed: 0,
            ..Counts::default()
        }
    }

    fn text_of(counts: &Counts, width: u16) -> String {
        let line = counts_parts(counts, Theme { colour: false }).fit(width);
        line.spans.iter().map(|s| s.content.as_ref()).collect()
    }

    fn text(width: u16) -> String {
        text_of(&counts(), width)
    }

    #[test]
    fn wide_terminals_get_every_count_in_words() {
        assert_eq!(
            text(300),
            "human click rate 17.1% (17.1 – 18.8% while 4 recipients are unsure; suggested, \
             0 of 218 reviewed) · raw 90.8% · 484 accesses · reviewed: human 0 · scanner 0 \
             · suggested for the 484 unreviewed: human 98 · scanner 383 · unsure 3 \
             · recipients 240 delivered / 222 accessed"
        );
    }

    #[test]
    fn narrow_terminals_keep_the_rates_and_the_verdict_counts() {
        // The recipients give way first, then the access total, then the
        // raw rate; the human rate's range and basis and the counts stay.
        assert_eq!(
            text(110),
            "human rate 17.1–18.8% suggested │ raw 90.8% │ 484 accesses │ reviewed h0 s0 \
             │ suggested h98 s383 unsure 3"
        );
        assert_eq!(
            text(80),
            "human rate 17.1–18.8% suggested │ reviewed h0 s0 │ suggested h98 s383 unsure 3"
        );
        assert!(Line::from(text(80)).width() <= 80);
    }

    #[test]
    fn the_rate_stands_plain_once_every_click_has_a_verdict() {
        let reviewed = Counts {
            unlabelled: 0,
            reviewed_human: 98,
            reviewed_scanner: 386,
            suggested_human: 0,
            suggested_scanner: 0,
            suggested_unsure: 0,
            clicks_unreviewed: 0,
            unsure_clicked: 0,
            clicked_reviewed: 218,
            ..counts()
        };
        let wide = text_of(&reviewed, 260);
        assert!(
            wide.starts_with("human click rate 17.1% (reviewed) · raw 90.8% · 484 accesses · reviewed: human 98 · scanner 386"),
            "{wide}"
        );
        assert!(
            !wide.contains("suggested,") && !wide.contains("unsure;"),
            "{wide}"
        );
    }
}
