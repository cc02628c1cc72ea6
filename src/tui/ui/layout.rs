//! Where each part of the screen goes: pure arithmetic on the frame being
//! drawn. It is laid out from that frame's own area, never from a size a
//! resize event told, so nothing can be drawn outside the buffer; what
//! `update` needs of it reaches the app through the frame state.

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

pub fn areas(frame: Rect, detail_open: bool) -> Areas {
    let (x, y, width, height) = (frame.x, frame.y, frame.width, frame.height);
    let header_h = HEADER_LINES.min(height);
    let footer_h = FOOTER_LINES.min(height - header_h);
    let middle = height - header_h - footer_h;
    let header = Rect::new(x, y, width, header_h);
    let footer = Rect::new(x, y + height - footer_h, width, footer_h);
    let (table_h, detail) = if detail_open && middle >= 8 {
        // The detail pane gets a bit under half (a bit over on short
        // terminals, where its lines wrap), the table keeps at least 4 rows.
        let share = if height < 30 { 11 } else { 9 };
        let detail_h = (middle * share / 20).max(6).min(middle - 4);
        (
            middle - detail_h,
            Some(Rect::new(
                x,
                y + header_h + middle - detail_h,
                width,
                detail_h,
            )),
        )
    } else {
        (middle, None)
    };
    Areas {
        header,
        table: Rect::new(x, y + header_h, width, table_h),
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
            let a = areas(Rect::new(0, 0, w, h), open);
            let detail_h = a.detail.map_or(0, |d| d.height);
            assert_eq!(
                a.header.height + a.table.height + detail_h + a.footer.height,
                h
            );
            assert_eq!(a.footer.y + a.footer.height, h);
        }
        let small = areas(Rect::new(0, 0, 80, 24), true);
        assert_eq!(
            small.table.height - TABLE_HEADER,
            8,
            "eight rows below the table's header"
        );
        assert!(small.detail.is_some());
    }

    #[test]
    fn parts_stay_inside_the_frame_whatever_its_size() {
        for (w, h) in [
            (0, 0),
            (1, 1),
            (1, 0),
            (80, 0),
            (5, 2),
            (7, 13),
            (300, 24),
            (80, 100),
        ] {
            for open in [false, true] {
                let frame = Rect::new(3, 2, w, h);
                let a = areas(frame, open);
                for part in [a.header, a.table, a.footer].into_iter().chain(a.detail) {
                    assert!(
                        part.x >= frame.x
                            && part.y >= frame.y
                            && part.right() <= frame.right()
                            && part.bottom() <= frame.bottom(),
                        "{part:?} leaves {frame:?}"
                    );
                }
            }
        }
    }
}
