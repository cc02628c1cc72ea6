//! Where each part of the screen goes. Pure arithmetic on the terminal size,
//! shared by drawing and by `update` (paging and mouse clicks need the same
//! answer the drawing used).

use ratatui::layout::Rect;

/// Header: title and files, counts, view line.
pub const HEADER_LINES: u16 = 3;
/// Footer: key hints, then the message or prompt line.
pub const FOOTER_LINES: u16 = 2;
/// The table's own header row.
pub const TABLE_HEADER: u16 = 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Areas {
    pub header: Rect,
    /// The table including its header row.
    pub table: Rect,
    pub detail: Option<Rect>,
    pub footer: Rect,
}

impl Areas {
    /// Rows of the table body (without its header row).
    pub fn body_rows(&self) -> usize {
        usize::from(self.table.height.saturating_sub(TABLE_HEADER))
    }
}

pub fn areas(width: u16, height: u16, detail_open: bool) -> Areas {
    let header_h = HEADER_LINES.min(height);
    let footer_h = FOOTER_LINES.min(height - header_h);
    let middle = height - header_h - footer_h;
    let header = Rect::new(0, 0, width, header_h);
    let footer = Rect::new(0, height - footer_h, width, footer_h);
    let (table_h, detail) = if detail_open && middle >= 8 {
        // The detail pane gets a bit under half (a bit over on short
        // terminals, where its lines wrap), the table keeps at least 4 rows.
        let share = if height < 30 { 11 } else { 9 };
        let detail_h = (middle * share / 20).max(6).min(middle - 4);
        (
            middle - detail_h,
            Some(Rect::new(0, header_h + middle - detail_h, width, detail_h)),
        )
    } else {
        (middle, None)
    };
    Areas {
        header,
        table: Rect::new(0, header_h, width, table_h),
        detail,
        footer,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_tile_the_screen() {
        for (w, h, open) in [
            (80, 24, false),
            (80, 24, true),
            (160, 48, true),
            (20, 5, true),
        ] {
            let a = areas(w, h, open);
            let detail_h = a.detail.map_or(0, |d| d.height);
            assert_eq!(
                a.header.height + a.table.height + detail_h + a.footer.height,
                h
            );
            assert_eq!(a.footer.y + a.footer.height, h);
        }
        let small = areas(80, 24, true);
        assert_eq!(small.body_rows(), 8);
        assert!(small.detail.is_some());
    }
}
