//! Downloads for analysis outside the arena: a run's project as a ZIP.

use std::io::Write as _;

use crate::plugin::Edit;
use crate::run::RunRecord;

/// The run's project as a ZIP, everything under one folder `name/`:
/// - `project/`: the files as the arena checked and built them, validator edits applied;
/// - `reply.md`: the model's reply as it came, so what it wrote is there untouched;
/// - `EDITS.md`: each validator edit, marking the files that differ from the reply.
pub fn project_zip(record: &RunRecord, name: &str) -> zip::result::ZipResult<Vec<u8>> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .unix_permissions(0o644);
    for file in record.kept_files.iter() {
        zip.start_file(format!("{name}/project/{}", file.path), options)?;
        zip.write_all(file.contents.as_bytes())?;
    }
    zip.start_file(format!("{name}/reply.md"), options)?;
    zip.write_all(record.reply.as_bytes())?;
    zip.start_file(format!("{name}/EDITS.md"), options)?;
    zip.write_all(edits_note(record).as_bytes())?;
    Ok(zip.finish()?.into_inner())
}

fn edits_note(record: &RunRecord) -> String {
    let model = match record.contestant.model.as_str() {
        "" => String::new(),
        model => format!(" ({model})"),
    };
    let mut note = format!(
        "# {}{model}, run {}\n\nStatus: {}.\n\n",
        record.contestant.name, record.id, record.status
    );
    if record.kept_files.is_empty() {
        note.push_str(
            "No project: the run ended before the reply became checked files (see \
             `reply.md` and the run's failure).\n",
        );
        return note;
    }
    // What the arena's own path checks refused or dropped never reached `project/`.
    let dropped: Vec<&str> = record
        .diagnostics
        .iter()
        .filter(|d| d.source == "paths")
        .map(|d| d.message.as_str())
        .collect();
    if !dropped.is_empty() {
        note.push_str("The arena's path checks kept these out of `project/`:\n\n");
        for message in dropped {
            note.push_str(&format!("- {message}\n"));
        }
        note.push('\n');
    }
    if record.edits.is_empty() {
        note.push_str(
            "No validator changed the project: the rest of `project/` is what the model wrote.\n",
        );
        return note;
    }
    note.push_str(
        "Validators changed these files; everything else in `project/` is what the model \
         wrote (its whole reply is in `reply.md`).\n\n",
    );
    for edit in &record.edits {
        let line = match &edit.edit {
            Edit::Write { path, .. } => format!("- `{path}`: written by `{}`\n", edit.validator),
            Edit::Delete { path } => format!("- `{path}`: deleted by `{}`\n", edit.validator),
        };
        note.push_str(&line);
    }
    note
}
