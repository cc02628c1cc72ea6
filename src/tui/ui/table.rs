//! The table, sliced to the viewport: only the rows on screen are turned into
//! ratatui rows, so a frame costs the same at a hundred rows or a million.
//! Columns are placed for the width actually drawn (`placement::place`), and
//! what was drawn where goes back in a `TableFrame`, which mouse clicks,
//! column moves and paging read.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::{
    Cell, HighlightSpacing, Paragraph, Row, Scrollbar, ScrollbarOrientation, ScrollbarState, Table,
    Wrap,
};

use super::highlight;
use super::layout::TABLE_HEADER;
use super::placement::{SPACING, compact_time, place};
use super::theme::Theme;
use crate::model::zone_offset_label;
use crate::review::{Common, Field, Highlight, ReviewContext, SortBy, ViewRows, group_rule};
use crate::text::{count, escape_controls, truncate_to_width};
use crate::tui::app::{App, LoadFailure, LoadState, View};
use crate::tui::columns::{Col, access_text, columns, group_text, verdict_tag};
use crate::tui::data::Data;
use crate::tui::frame::{Placed, TableFrame};

/// Draws the table in `area` and says what went where.
pub fn draw(app: &App, theme: Theme, frame: &mut Frame, area: Rect) -> TableFrame {
    let header_h = TABLE_HEADER.min(area.height);
    let body = Rect::new(
        area.x,
        area.y + header_h,
        area.width,
        area.height - header_h,
    );
    let mut drawn = TableFrame {
        area,
        body,
        ..TableFrame::default()
    };
    if area.height == 0 {
        return drawn;
    }
    let Some(data) = &app.data else {
        let text = match &app.load {
            LoadState::Loading { .. } => "loading… the table appears when the campaign is read",
            LoadState::Failed(failure) => {
                failed(failure, theme, frame, area);
                return drawn;
            }
            LoadState::Cancelled => "loading cancelled; q quits",
            LoadState::Ready => "",
        };
        frame.render_widget(Paragraph::new(Line::styled(text, theme.dim())), area);
        return drawn;
    };
    let view = &app.view;
    let kind = view.kind();
    let row_kind = data.ctx().kind();
    let placed = place(row_kind, kind, &view.widths, area.width);
    let cols = columns(row_kind, kind);

    // The times carry no offset, and the header's `times:` is the first
    // thing cut on a narrow screen: the column's heading names the zone too.
    let time_title = {
        // The first row that has a time (a mail's hop may have none).
        let ctx = data.ctx();
        let at = (0..ctx.len() as u32)
            .find_map(|i| ctx.time_of(i))
            .map_or_else(|| (app.session.clock)().to_jiff(), |t| t.to_jiff());
        format!("time ({})", zone_offset_label(&data.analysis().zone, at))
    };
    let mut header_cells = vec![Cell::from("")];
    header_cells.extend(placed.iter().map(|p| {
        let col = cols[p.index];
        let mut title = match col {
            Col::Access(Field::Common(Common::Time)) => time_title.clone(),
            _ => col.title(row_kind, kind).to_string(),
        };
        if let Some(arrow) = sort_arrow(view.spec.sort, col) {
            title.push_str(arrow);
        }
        let style = if p.index == view.column {
            theme.column_cursor()
        } else {
            theme.table_header()
        };
        Cell::from(truncate_to_width(&title, usize::from(p.width)).into_owned()).style(style)
    }));

    let body_rows = usize::from(body.height);
    // The cursor stays on screen even when the terminal shrank since the
    // state last scrolled: `App::framed` then takes this offset over.
    let start = view.visible_offset(body_rows.max(1));
    let end = (start + body_rows).min(view.len());
    let ctx = data.ctx();
    let compact = compact_time(area.width);
    // Rows without a suggestion (a mail's hops) have nothing to hint.
    let suggest_shown = !Field::Common(Common::Suggestion).applies_to(row_kind)
        || placed
            .iter()
            .any(|p| cols[p.index] == Col::Access(Field::Common(Common::Suggestion)));
    let highlights = view.spec.filter.highlights();
    let rows: Vec<Row> = (start..end)
        .map(|pos| {
            let style = RowStyle {
                compact,
                suggest_shown,
                highlights: &highlights,
            };
            let mut row = build_row(data, &ctx, theme, view, pos, &placed, style);
            if pos == view.selected {
                row = row.style(theme.selected_row());
            }
            row
        })
        .collect();

    // The gutter is a column of its own: one character, then the spacing.
    let mut widths = vec![Constraint::Length(1)];
    widths.extend(placed.iter().map(|p| Constraint::Length(p.width)));
    let table = Table::new(rows, widths)
        .header(Row::new(header_cells).height(TABLE_HEADER))
        .column_spacing(SPACING)
        .flex(Flex::Start)
        .highlight_spacing(HighlightSpacing::Never);
    frame.render_widget(table, area);

    if view.is_empty() {
        let text = if view.building.is_some() {
            "building the view…".to_string()
        } else if !view.filter_text.is_empty() {
            format!(
                "no rows match the filter {:?}: / edits it, Esc clears it",
                escape_controls(&view.filter_text)
            )
        } else if let Some(why) = data.analysis().campaign.nothing_read() {
            format!("nothing to show: {why} (E shows what was read)")
        } else if data.analysis().campaign.accesses.is_empty() {
            let files: Vec<String> = data
                .analysis()
                .campaign
                .files
                .iter()
                .map(|f| escape_controls(&f.name).into_owned())
                .collect();
            format!(
                "the campaign has no accesses: {} holds no access rows (E shows what was read)",
                files.join(", ")
            )
        } else {
            "no rows here: 1 shows all accesses".to_string()
        };
        if body.height > 0 && body.width > 2 {
            let msg_area = Rect::new(body.x + 2, body.y, body.width - 2, 1);
            frame.render_widget(Paragraph::new(Line::styled(text, theme.dim())), msg_area);
        }
    }

    if view.len() > body_rows && body_rows > 0 {
        let mut state = ScrollbarState::new(view.len())
            .position(view.selected)
            .viewport_content_length(body_rows);
        frame.render_stateful_widget(
            Scrollbar::new(ScrollbarOrientation::VerticalRight)
                .begin_symbol(None)
                .end_symbol(None),
            body,
            &mut state,
        );
    }
    drawn.kind = Some(kind);
    drawn.columns = placed
        .into_iter()
        .map(|p| Placed {
            x: area.x + p.x,
            ..p
        })
        .collect();
    drawn.first_row = start;
    drawn
}

/// Why nothing loaded, whole and wrapped where the table would be, with
/// what to do next.
fn failed(failure: &LoadFailure, theme: Theme, frame: &mut Frame, area: Rect) {
    let mut lines = vec![
        Line::styled("could not load the campaign:", theme.error()),
        Line::raw(escape_controls(&failure.message).into_owned()),
        Line::default(),
    ];
    let next = if failure.rows.is_empty() {
        "q quits (the reason is printed again on the way out)".to_string()
    } else {
        format!(
            "E lists the {} that failed · q quits (the reason is printed again on the way out)",
            count(failure.rows.len(), "row", "rows")
        )
    };
    lines.push(Line::styled(next, theme.dim()));
    frame.render_widget(Paragraph::new(lines).wrap(Wrap { trim: false }), area);
}

#[derive(Clone, Copy)]
struct RowStyle<'h> {
    /// Time without its year (narrow terminals).
    compact: bool,
    /// Whether the suggestion has a column of its own.
    suggest_shown: bool,
    /// What the filter matched by, to show in the cells.
    highlights: &'h [Highlight],
}

fn sort_arrow(sort: Option<SortBy>, col: Col) -> Option<&'static str> {
    match (sort?, col) {
        (SortBy::Access(f, d), Col::Access(g)) if f == g => Some(d.arrow()),
        (SortBy::Group(f, d), Col::Group(g)) if f == g => Some(d.arrow()),
        _ => None,
    }
}

fn build_row<'a>(
    data: &'a Data,
    ctx: &ReviewContext<'a>,
    theme: Theme,
    view: &View,
    pos: usize,
    placed: &[Placed],
    style: RowStyle<'_>,
) -> Row<'a> {
    let compact = style.compact;
    let row_style = style;
    let cols = columns(ctx.kind(), view.kind());
    let gutter = if view.is_marked(pos) {
        Cell::from(Span::styled("*", theme.mark()))
    } else {
        Cell::from(" ")
    };
    let mut cells = Vec::with_capacity(placed.len() + 1);
    cells.push(gutter);
    match &view.rows {
        ViewRows::Accesses(rows) => {
            let i = rows[pos];
            for p in placed {
                let width = usize::from(p.width);
                let cell = match cols[p.index] {
                    Col::Access(Field::Common(Common::Verdict)) => {
                        match verdict_tag(&data.book, ctx, i) {
                            Some((verdict, tag)) => {
                                let own = tag.chars().count() == 1;
                                Cell::from(Span::styled(tag, theme.verdict(verdict, own)))
                            }
                            // Without a suggestion column the verdict column hints it: `scan?`.
                            None if !style.suggest_shown => {
                                let leaning = ctx.suggestion(i);
                                let hint = match leaning {
                                    crate::model::Leaning::Human => "human?",
                                    crate::model::Leaning::Scanner => "scan?",
                                    crate::model::Leaning::Unsure => "?",
                                };
                                Cell::from(Span::styled(hint, theme.suggestion(leaning)))
                            }
                            None => Cell::from(Span::styled("·", theme.dim())),
                        }
                    }
                    Col::Access(Field::Common(Common::Suggestion)) => {
                        let leaning = ctx.suggestion(i);
                        Cell::from(Span::styled(leaning.as_str(), theme.suggestion(leaning)))
                    }
                    Col::Access(field) => {
                        let text = access_text(ctx, field, i, compact);
                        let text = truncate_to_width(&text, width).into_owned();
                        let needles = highlight::needles_for(style.highlights, Some(field));
                        Cell::from(highlight::line(
                            text,
                            &needles,
                            Style::new(),
                            theme.filter_match(),
                        ))
                    }
                    Col::Group(_) | Col::Rule => Cell::from(""),
                };
                cells.push(cell);
            }
        }
        ViewRows::Groups(groups) => {
            let g = &groups[pos];
            for p in placed {
                let col = cols[p.index];
                let text = group_text(ctx, &data.book, g, col);
                let style = match col {
                    Col::Group(crate::review::GroupField::Suggestion) => {
                        theme.suggestion(g.stats.suggestion)
                    }
                    Col::Group(crate::review::GroupField::Human) if g.stats.human > 0 => {
                        theme.verdict(crate::model::Verdict::Human, false)
                    }
                    Col::Group(crate::review::GroupField::Scanner) if g.stats.scanner > 0 => {
                        theme.verdict(crate::model::Verdict::Scanner, false)
                    }
                    Col::Rule => {
                        match group_rule(ctx.analysis, &g.key).and_then(|k| data.book.get(k)) {
                            Some(info) => theme.verdict(info.verdict, true),
                            None => Style::new(),
                        }
                    }
                    _ => Style::new(),
                };
                let text = truncate_to_width(&text, usize::from(p.width)).into_owned();
                let needles = highlight::needles_for(row_style.highlights, None);
                cells.push(Cell::from(highlight::line(
                    text,
                    &needles,
                    style,
                    theme.filter_match(),
                )));
            }
        }
    }
    Row::new(cells)
}
