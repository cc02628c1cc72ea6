//! Where the table's columns go on a terminal of a given width: the least
//! useful give way first, the flexible ones share the room left. Drawing
//! places them from the frame it draws and records the result in the frame
//! state, which is what mouse clicks and column moves read.

use crate::model::RowKind;
use crate::review::{Common, Field, GroupField, ViewKind};
use crate::tui::columns::{Col, columns, drop_order};
use crate::tui::frame::Placed;

/// Gap between columns.
pub const SPACING: u16 = 1;
/// The mark gutter at the left of every row (`*` for marked rows).
pub const GUTTER: u16 = 2;
/// Below this table width the time column drops its year.
pub const WIDE: u16 = 120;

/// Whether the time column drops its year on a terminal `width` wide: one
/// rule for placing the column and for writing its cells (they disagreed
/// at exactly 120 columns, and the time was cut instead of shortened).
pub fn compact_time(width: u16) -> bool {
    // The last column of the terminal is the scrollbar's.
    width.saturating_sub(1) < WIDE
}

/// Which columns fit `width` and where they go. Drops the least useful
/// columns until the rest fit at their narrowest, then gives the room left to
/// the flexible ones up to their natural width.
pub fn place(rows: RowKind, kind: ViewKind, natural: &[u16], width: u16) -> Vec<Placed> {
    let cols = columns(rows, kind);
    let compact = compact_time(width);
    // The last column of the terminal is the scrollbar's.
    let width = width.saturating_sub(1);
    let natural_of = |i: usize| -> u16 {
        let w = natural.get(i).copied().unwrap_or(8);
        match cols[i] {
            Col::Access(Field::Common(Common::Time)) if compact => w.min(14),
            _ => w,
        }
    };
    let min_of = |i: usize| -> u16 {
        if cols[i].flexible() {
            cols[i].bounds().0.min(natural_of(i))
        } else {
            natural_of(i)
        }
    };
    let mut shown: Vec<usize> = (0..cols.len()).collect();
    let total = |shown: &[usize]| -> u32 {
        u32::from(GUTTER)
            + shown.iter().map(|&i| u32::from(min_of(i))).sum::<u32>()
            + u32::from(SPACING) * shown.len().saturating_sub(1) as u32
    };
    for victim in drop_order(rows, kind) {
        if total(&shown) <= u32::from(width) {
            break;
        }
        shown.retain(|&i| cols[i] != *victim);
    }
    let mut widths: Vec<u16> = shown.iter().map(|&i| min_of(i)).collect();
    let mut room = u32::from(width).saturating_sub(total(&shown));
    // The room left is shared among the columns that want more, in
    // proportion to what each is short (so the owner and the recipient both
    // stay readable), the owner first for what rounding leaves over.
    let wants: Vec<u32> = shown
        .iter()
        .zip(&widths)
        .map(|(&i, &w)| u32::from(natural_of(i).saturating_sub(w)))
        .collect();
    let total_want: u32 = wants.iter().sum();
    if total_want > 0 {
        let share = room.min(total_want);
        for (slot, want) in widths.iter_mut().zip(&wants) {
            let give = (u64::from(share) * u64::from(*want) / u64::from(total_want)) as u32;
            *slot += give as u16;
            room -= give;
        }
        let mut order: Vec<usize> = (0..shown.len()).collect();
        order.sort_by_key(|&k| match cols[shown[k]] {
            Col::Access(Field::Common(Common::OwnerLabel)) | Col::Group(GroupField::Owner) => 0,
            _ => 1,
        });
        for k in order {
            let want = u32::from(natural_of(shown[k]).saturating_sub(widths[k]));
            let give = want.min(room);
            widths[k] += give as u16;
            room -= give;
        }
    }
    let mut x = GUTTER;
    let mut placed = Vec::with_capacity(shown.len());
    for (&i, &w) in shown.iter().zip(&widths) {
        if x >= width {
            break;
        }
        let w = w.min(width - x);
        placed.push(Placed {
            index: i,
            x,
            width: w,
        });
        x = x.saturating_add(w + SPACING);
    }
    placed
}

#[cfg(test)]
mod tests {
    use super::*;

    fn titles(kind: ViewKind, placed: &[Placed]) -> Vec<&'static str> {
        placed
            .iter()
            .map(|p| columns(RowKind::Access, kind)[p.index].title(RowKind::Access, kind))
            .collect()
    }

    #[test]
    fn narrow_terminals_drop_the_least_useful_first() {
        let kind = ViewKind::Accesses;
        let natural = [19, 22, 15, 26, 3, 12, 10, 10, 9, 6, 8, 5, 8];
        let wide = place(RowKind::Access, kind, &natural, 200);
        assert_eq!(wide.len(), 13);
        let narrow = place(RowKind::Access, kind, &natural, 80);
        let names = titles(kind, &narrow);
        assert!(names.contains(&"verdict"), "{names:?}");
        assert!(names.contains(&"ip"));
        assert!(names.contains(&"owner"));
        assert!(!names.contains(&"device"));
        assert!(!names.contains(&"conf"), "the confidence gives way first");
        let last = narrow.last().unwrap();
        assert!(last.x + last.width <= 80, "{narrow:?}");
        let tiny = place(RowKind::Access, kind, &natural, 40);
        assert!(titles(kind, &tiny).contains(&"verdict") || tiny.len() <= 2);
    }

    #[test]
    fn columns_never_overflow() {
        for rows in [RowKind::Access, RowKind::Hop] {
            for kind in ViewKind::CYCLE {
                let natural = vec![30; columns(rows, kind).len()];
                for width in [10, 40, 80, 120, 160, 250] {
                    for p in place(rows, kind, &natural, width) {
                        assert!(p.x + p.width <= width, "{rows:?} {kind:?} {width} {p:?}");
                    }
                }
            }
        }
    }
}
