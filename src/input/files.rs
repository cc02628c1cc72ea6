//! Loading a campaign from files: several files (rotated logs, an export
//! plus the landing page's log) make one campaign.

use std::fs::File;
use std::io::{self, Seek};
use std::path::PathBuf;
use std::sync::atomic::Ordering;

use crate::model::{Campaign, LogFormat, ReadIssue};

use super::source::sniff_format;
use super::{LoadError, LoadOptions, LoadProgress, read_into};

/// Reads every file into one campaign (rotated logs, or a GoPhish export plus
/// the landing page's log). `-` is standard input. The accesses come out in
/// time order, whatever order the files were named in.
///
/// Files that name recipients (native CSV, GoPhish) are read before access
/// logs, which know recipients only by rid: the named entry then exists when
/// a log's rid arrives, and both join one recipient. `Campaign::files` is in
/// that reading order.
pub fn load(
    paths: &[PathBuf],
    options: &LoadOptions,
    progress: &LoadProgress,
) -> Result<Campaign, LoadError> {
    let total: u64 = paths
        .iter()
        .filter(|p| p.as_os_str() != "-")
        .filter_map(|p| std::fs::metadata(p).ok())
        .map(|m| m.len())
        .sum();
    progress.total_bytes.store(total, Ordering::Relaxed);
    let mut campaign = Campaign::new();
    // Rotated access logs may include a quiet one without campaign traffic:
    // that is only an error when no log at all names a recipient.
    let mut logs_with_recipients = 0;
    let mut first_without: Option<LoadError> = None;
    for path in reading_order(paths, options) {
        if progress.cancel.load(Ordering::Relaxed) {
            return Err(LoadError::Cancelled);
        }
        let name = path.display().to_string();
        let result = if path.as_os_str() == "-" {
            read_into(&mut campaign, &name, io::stdin().lock(), options, progress)
        } else {
            let io_error = |source| LoadError::Io {
                file: name.clone(),
                source,
            };
            let file = File::open(path).map_err(io_error)?;
            let size = file.metadata().map_err(io_error)?;
            let size = size.is_file().then_some(size.len());
            read_file(&mut campaign, &name, &file, size, options, progress)
        };
        match result {
            Err(e @ LoadError::NoRecipientParameter { .. }) => {
                let file = u16::try_from(campaign.files.len().saturating_sub(1)).unwrap_or(0);
                let message = e.to_string();
                let reason = message
                    .strip_prefix(&format!("{name}: "))
                    .unwrap_or(&message)
                    .to_string();
                campaign.issues.push(ReadIssue {
                    file,
                    line: 0,
                    field: None,
                    reason,
                });
                first_without.get_or_insert(e);
            }
            Err(e) => return Err(e),
            Ok(()) => {
                if campaign.files.last().map(|f| f.format) == Some(LogFormat::Combined) {
                    logs_with_recipients += 1;
                }
            }
        }
    }
    if logs_with_recipients == 0
        && let Some(e) = first_without
    {
        return Err(e);
    }
    if campaign.files.iter().all(|f| f.format.is_network()) && !campaign.files.is_empty() {
        return Err(LoadError::NetworkLogsAlone {
            files: campaign.files.iter().map(|f| f.name.clone()).collect(),
        });
    }
    if !campaign.network.proxy.is_sorted_by_key(|r| r.time) {
        campaign.network.proxy.sort_by_key(|r| r.time);
    }
    // A stable sort keeps file order among equal times.
    if !campaign.accesses.is_sorted_by_key(|a| a.time) {
        campaign.accesses.sort_by_key(|a| a.time);
    }
    Ok(campaign)
}

/// Reads an open file; `size_at_open` (regular files only) is checked
/// against how far the reading got, so a file cut short while it was read
/// (a log rotated with copytruncate, an export overwritten) is said, not
/// taken silently as the whole.
fn read_file(
    campaign: &mut Campaign,
    name: &str,
    mut file: &File,
    size_at_open: Option<u64>,
    options: &LoadOptions,
    progress: &LoadProgress,
) -> Result<(), LoadError> {
    read_into(campaign, name, file, options, progress)?;
    let (Some(size), Ok(reached)) = (size_at_open, file.stream_position()) else {
        return Ok(());
    };
    if reached < size
        && let Some(index) = campaign.files.len().checked_sub(1)
    {
        campaign.issues.push(ReadIssue {
            file: u16::try_from(index).unwrap_or(u16::MAX),
            line: 0,
            field: None,
            reason: format!(
                "the file was {} bytes when opened but ended after {}: it was cut short while \
                 being read (rotated or overwritten?), so rows may be missing; read it again",
                crate::text::thousands(usize::try_from(size).unwrap_or(usize::MAX)),
                crate::text::thousands(usize::try_from(reached).unwrap_or(usize::MAX)),
            ),
        });
    }
    Ok(())
}

/// Named files first, access logs last, each group in the order given.
/// Only regular files are looked at ahead: a pipe (`-`, `<(zcat …)`) would
/// lose what was read, so it keeps the first group's order.
fn reading_order<'p>(paths: &'p [PathBuf], options: &LoadOptions) -> Vec<&'p PathBuf> {
    let is_log = |path: &PathBuf| {
        path.as_os_str() != "-"
            && std::fs::metadata(path).is_ok_and(|m| m.is_file())
            && File::open(path).ok().and_then(|f| sniff_format(f, options))
                == Some(LogFormat::Combined)
    };
    let mut ordered: Vec<(bool, &PathBuf)> = paths.iter().map(|p| (is_log(p), p)).collect();
    ordered.sort_by_key(|&(log, _)| log);
    ordered.into_iter().map(|(_, p)| p).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A file truncated between opening and the end of reading.
    #[test]
    fn a_file_cut_short_while_read_is_said() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("clicks.csv");
        let mut text = String::from("time,ip,email\n");
        for i in 0..1000 {
            text.push_str(&format!(
                "2026-10-01 09:00:00,10.0.{}.{},u{i}@example.com\n",
                i / 250,
                i % 250
            ));
        }
        std::fs::write(&path, &text).unwrap();
        let file = File::open(&path).unwrap();
        let size = file.metadata().unwrap().len();
        // Another process truncates the file after it was opened.
        std::fs::OpenOptions::new()
            .write(true)
            .open(&path)
            .unwrap()
            .set_len(size / 2)
            .unwrap();
        let mut campaign = Campaign::new();
        let options = LoadOptions::default();
        read_file(
            &mut campaign,
            "clicks.csv",
            &file,
            Some(size),
            &options,
            &LoadProgress::default(),
        )
        .unwrap();
        let issue = campaign.issues.last().unwrap();
        assert_eq!((issue.file, issue.line), (0, 0));
        assert!(
            issue.reason.starts_with(&format!(
                "the file was {} bytes when opened but ended after {}",
                crate::text::thousands(size as usize),
                crate::text::thousands(size as usize / 2)
            )),
            "{}",
            issue.reason
        );
        // Read whole, nothing is said.
        let file = File::open(&path).unwrap();
        let size = file.metadata().unwrap().len();
        let mut campaign = Campaign::new();
        read_file(
            &mut campaign,
            "clicks.csv",
            &file,
            Some(size),
            &options,
            &LoadProgress::default(),
        )
        .unwrap();
        assert!(
            campaign.issues.iter().all(|i| i.line != 0),
            "{:?}",
            campaign.issues
        );
    }
}
