//! The arena's memory across restarts: battles, runs, votes and the pairwise outcomes votes
//! imply, in one SQLite file (`arena.db`) in the data folder.
//!
//! Runs are written at every status change and when their scores are in, so that a killed
//! arena loses at most the log lines of the stage a run was in. The schema is versioned by
//! the migrations in `src/migrations`, applied in order when the store opens.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{Connection, OptionalExtension as _, params};
use rusqlite_migration::{M, Migrations};
use serde::{Deserialize, Serialize};

use crate::plugin::SourceFile;
use crate::run::{ContestantView, Fault, RunRecord, Status};

/// Every schema change is a new file here, never an edit of an applied one.
const MIGRATIONS: &[&str] = &[include_str!("migrations/0001_battles_runs_votes.sql")];

pub const FILE_NAME: &str = "arena.db";

/// The battles a board filter keeps (`b`: battles), with ?1 the pipeline and ?2 the
/// category, each NULL for any.
const BOARD_BATTLES: &str =
    "(?1 IS NULL OR b.pipeline = ?1) AND (?2 IS NULL OR b.category = ?2 COLLATE NOCASE)";

/// The runs (`r`) the scorers' view counts: not those of an anonymous battle before its
/// first vote (their scores, matched against its page, would tell who is behind each
/// letter), nor those that ended through no fault of their model.
const SCORED_RUNS: &str =
    "(b.anonymous = 0 OR EXISTS (SELECT 1 FROM votes v WHERE v.battle = b.id))
     AND r.excused = 0";

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("the arena database {path}: {source}")]
    Open {
        path: String,
        source: rusqlite::Error,
    },
    #[error("the arena database {path} could not be brought to the current schema: {source}")]
    Migrate {
        path: String,
        source: rusqlite_migration::Error,
    },
    #[error("the arena database: {0}")]
    Sql(#[from] rusqlite::Error),
    #[error("a stored run record does not read back: {0}")]
    Record(#[from] serde_json::Error),
}

/// A battle as stored: what it asked, and what it ran with.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct BattleInfo {
    pub id: String,
    pub prompt: String,
    pub category: Option<String>,
    pub pipeline: String,
    pub anonymous: bool,
    pub created_ms: u64,
    pub versions: serde_json::Value,
}

pub struct StoredBattle {
    pub info: BattleInfo,
    /// In the battle's order, each with its checked files.
    pub runs: Vec<RunRecord>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Vote {
    pub id: i64,
    pub kind: String,
    /// Tiers of run ids, best first; runs in one tier tie.
    pub ranking: Vec<Vec<String>>,
    pub excluded: Option<String>,
    pub created_ms: u64,
}

pub struct NewVote<'a> {
    pub battle: &'a str,
    pub voter: &'a str,
    pub kind: &'a str,
    pub ranking: &'a [Vec<String>],
    pub excluded: Option<&'a str>,
    /// Contestant a, contestant b, a's score.
    pub outcomes: &'a [(String, String, f64)],
    /// Refuse a second vote of the same voter on the same battle.
    pub once_per_voter: bool,
}

#[derive(Debug, Default, Clone)]
pub struct HistoryQuery {
    /// Words the prompt contains.
    pub text: Option<String>,
    pub contestant: Option<String>,
    pub category: Option<String>,
    pub limit: u32,
    pub offset: u32,
    /// Who asks: a contestant filter finds an anonymous battle only for someone who has
    /// voted on it, or the filter would tell who its contestants are.
    pub voter: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct HistoryRun {
    pub id: String,
    pub contestant: ContestantView,
    pub status: Status,
    pub failed_stage: Option<Status>,
    pub failure: Option<String>,
    pub fault: Option<Fault>,
    pub cost_usd: f64,
}

#[derive(Debug, Clone)]
pub struct HistoryEntry {
    pub info: BattleInfo,
    pub votes: u32,
    pub runs: Vec<HistoryRun>,
}

/// Which battles a leaderboard counts.
#[derive(Debug, Default, Clone, PartialEq, Eq, Hash)]
pub struct BoardFilter {
    pub pipeline: Option<String>,
    pub category: Option<String>,
}

/// One pairwise outcome of a counted vote.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredOutcome {
    pub vote: i64,
    pub battle: String,
    pub a: String,
    pub b: String,
    pub score: f64,
}

#[derive(Debug, Clone, Serialize)]
pub struct ScoreMean {
    pub scorer: String,
    pub name: String,
    pub unit: String,
    pub mean: f64,
    pub count: u32,
}

#[derive(Debug, Clone, Serialize)]
pub struct ContestantScores {
    pub contestant: String,
    pub name: String,
    pub runs: u32,
    pub ready: u32,
    pub metrics: Vec<ScoreMean>,
}

pub struct Store {
    connection: Mutex<Connection>,
}

impl Store {
    /// Opens (or creates) the database in `data_dir` and applies the migrations it lacks.
    pub fn open(data_dir: &Path) -> Result<Self, StoreError> {
        let path = data_dir.join(FILE_NAME);
        let shown = path.display().to_string();
        let mut connection = Connection::open(&path).map_err(|source| StoreError::Open {
            path: shown.clone(),
            source,
        })?;
        // WAL: readers (the history page) never wait for a run being saved. NORMAL sync
        // loses at most the last commits on power loss, never consistency.
        connection
            .pragma_update(None, "journal_mode", "WAL")
            .and_then(|()| connection.pragma_update(None, "synchronous", "NORMAL"))
            .and_then(|()| connection.pragma_update(None, "foreign_keys", "ON"))
            .and_then(|()| connection.busy_timeout(std::time::Duration::from_secs(5)))
            .map_err(|source| StoreError::Open {
                path: shown.clone(),
                source,
            })?;
        let migrations = Migrations::new(MIGRATIONS.iter().map(|sql| M::up(sql)).collect());
        migrations
            .to_latest(&mut connection)
            .map_err(|source| StoreError::Migrate {
                path: shown,
                source,
            })?;
        Ok(Self {
            connection: Mutex::new(connection),
        })
    }

    fn connection(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock leaves SQLite consistent (it rolls back), so the
        // connection stays usable.
        self.connection
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    pub fn insert_battle(&self, info: &BattleInfo, runs: &[RunRecord]) -> Result<(), StoreError> {
        let mut connection = self.connection();
        let transaction = connection.transaction()?;
        transaction.execute(
            "INSERT INTO battles (id, prompt, category, pipeline, anonymous, created_ms, versions)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                info.id,
                info.prompt,
                info.category,
                info.pipeline,
                info.anonymous,
                info.created_ms as i64,
                info.versions.to_string()
            ],
        )?;
        for (position, run) in runs.iter().enumerate() {
            transaction.execute(
                "INSERT INTO runs (id, battle, position, contestant, contestant_name, status, record, updated_ms)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![
                    run.id,
                    info.id,
                    position as i64,
                    run.contestant.id,
                    run.contestant.name,
                    run.status.as_str(),
                    serde_json::to_string(run)?,
                    crate::run::now_ms() as i64
                ],
            )?;
        }
        transaction.commit()?;
        Ok(())
    }

    /// Writes a run's record and its scores as they are now.
    pub fn save_run(&self, run: &RunRecord) -> Result<(), StoreError> {
        let record = serde_json::to_string(run)?;
        let mut connection = self.connection();
        let transaction = connection.transaction()?;
        transaction.execute(
            "UPDATE runs SET status = ?2, record = ?3, updated_ms = ?4, reached_ready = ?5,
                             excused = ?6
             WHERE id = ?1",
            params![
                run.id,
                run.status.as_str(),
                record,
                crate::run::now_ms() as i64,
                run.transitions.iter().any(|t| t.status == Status::Ready),
                run.arena_fault().is_some()
            ],
        )?;
        transaction.execute("DELETE FROM scores WHERE run = ?1", [&run.id])?;
        for metric in &run.scores {
            transaction.execute(
                "INSERT INTO scores (run, scorer, name, value, unit) VALUES (?1, ?2, ?3, ?4, ?5)",
                params![
                    run.id,
                    metric.scorer,
                    metric.name,
                    metric.value,
                    metric.unit
                ],
            )?;
        }
        transaction.commit()?;
        Ok(())
    }

    pub fn save_files(&self, run: &str, files: &[SourceFile]) -> Result<(), StoreError> {
        let mut connection = self.connection();
        let transaction = connection.transaction()?;
        transaction.execute("DELETE FROM run_files WHERE run = ?1", [run])?;
        for file in files {
            transaction.execute(
                "INSERT INTO run_files (run, path, contents) VALUES (?1, ?2, ?3)",
                params![run, file.path, file.contents],
            )?;
        }
        transaction.commit()?;
        Ok(())
    }

    /// Marks every run that was still on its way as interrupted in the stage it was in:
    /// called at start, when no run of this instance exists yet, so any unfinished run was
    /// left by an arena that went down. Returns the runs marked, with their stages.
    pub fn interrupt_unfinished(&self) -> Result<Vec<(String, Status)>, StoreError> {
        let mut connection = self.connection();
        let transaction = connection.transaction()?;
        let unfinished: Vec<(String, String)> = {
            let mut statement = transaction.prepare(
                "SELECT id, record FROM runs
                 WHERE status NOT IN ('ready', 'failed', 'terminated', 'interrupted')",
            )?;
            statement
                .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
                .collect::<Result<_, _>>()?
        };
        let mut marked = Vec::new();
        for (id, record) in unfinished {
            let mut run: RunRecord = serde_json::from_str(&record)?;
            let stage = run.status;
            run.enter(Status::Interrupted);
            run.failed_stage = Some(stage);
            let reason = format!("the arena stopped while this run was {stage}");
            run.logs
                .entry("error".into())
                .or_default()
                .push_str(&format!("{reason}\n"));
            run.failure = Some(reason);
            transaction.execute(
                "UPDATE runs SET status = 'interrupted', record = ?2, updated_ms = ?3, excused = 1
                 WHERE id = ?1",
                params![
                    id,
                    serde_json::to_string(&run)?,
                    crate::run::now_ms() as i64
                ],
            )?;
            marked.push((id, stage));
        }
        transaction.commit()?;
        Ok(marked)
    }

    pub fn battle(&self, id: &str) -> Result<Option<StoredBattle>, StoreError> {
        let connection = self.connection();
        let info = connection
            .query_row(
                "SELECT id, prompt, category, pipeline, anonymous, created_ms, versions
                 FROM battles WHERE id = ?1",
                [id],
                battle_info,
            )
            .optional()?;
        let Some(info) = info else {
            return Ok(None);
        };
        let records: Vec<String> = connection
            .prepare("SELECT record FROM runs WHERE battle = ?1 ORDER BY position")?
            .query_map([id], |row| row.get(0))?
            .collect::<Result<_, _>>()?;
        let mut files_of = connection
            .prepare("SELECT path, contents FROM run_files WHERE run = ?1 ORDER BY rowid")?;
        let mut runs = Vec::with_capacity(records.len());
        for record in records {
            let mut run: RunRecord = serde_json::from_str(&record)?;
            let files: Vec<SourceFile> = files_of
                .query_map([&run.id], |row| {
                    Ok(SourceFile {
                        path: row.get(0)?,
                        contents: row.get(1)?,
                    })
                })?
                .collect::<Result<_, _>>()?;
            run.kept_files = files.into();
            runs.push(run);
        }
        Ok(Some(StoredBattle { info, runs }))
    }

    /// The battle a run belongs to.
    pub fn battle_of_run(&self, run: &str) -> Result<Option<String>, StoreError> {
        Ok(self
            .connection()
            .query_row("SELECT battle FROM runs WHERE id = ?1", [run], |row| {
                row.get(0)
            })
            .optional()?)
    }

    /// Past battles, newest first, with how many match in all.
    pub fn history(&self, query: &HistoryQuery) -> Result<(u32, Vec<HistoryEntry>), StoreError> {
        let connection = self.connection();
        // Every word, anywhere in the prompt and in any order: a JSON list of LIKE patterns.
        let words = query.text.as_deref().map(|text| {
            let patterns: Vec<String> = text.split_whitespace().map(like_pattern).collect();
            serde_json::to_string(&patterns).expect("strings serialise")
        });
        let condition = "(?1 IS NULL OR NOT EXISTS (SELECT 1 FROM json_each(?1) w
                                                WHERE b.prompt NOT LIKE w.value ESCAPE '\\'))
             AND (?2 IS NULL OR (EXISTS (SELECT 1 FROM runs r WHERE r.battle = b.id AND r.contestant = ?2)
                  AND (b.anonymous = 0 OR EXISTS (SELECT 1 FROM votes v WHERE v.battle = b.id AND v.voter = ?6))))
             AND (?3 IS NULL OR b.category = ?3 COLLATE NOCASE)";
        // The same six parameters for the count and the page (?4 and ?5 unused by the count).
        let bound = params![
            words,
            query.contestant,
            query.category,
            query.limit,
            query.offset,
            query.voter
        ];
        let total: u32 = connection.query_row(
            &format!("SELECT COUNT(*) FROM battles b WHERE {condition}"),
            bound,
            |row| row.get(0),
        )?;
        let infos: Vec<(BattleInfo, u32)> = connection
            .prepare(&format!(
                "SELECT b.id, b.prompt, b.category, b.pipeline, b.anonymous, b.created_ms, b.versions,
                        (SELECT COUNT(*) FROM votes v WHERE v.battle = b.id)
                 FROM battles b WHERE {condition}
                 ORDER BY b.created_ms DESC, b.id LIMIT ?4 OFFSET ?5"
            ))?
            .query_map(bound, |row| Ok((battle_info(row)?, row.get(7)?)))?
            .collect::<Result<_, _>>()?;
        // The fields a list shows, read inside SQLite: a record's reply and logs can be
        // large and are not needed here.
        let mut runs_of = connection.prepare(
            "SELECT id, json_extract(record, '$.contestant'), status,
                    json_extract(record, '$.failed_stage'), json_extract(record, '$.failure'),
                    json_extract(record, '$.cost_usd'), json_extract(record, '$.fault')
             FROM runs WHERE battle = ?1 ORDER BY position",
        )?;
        let mut entries = Vec::with_capacity(infos.len());
        for (info, votes) in infos {
            // Each run with its contestant still as JSON text, parsed below.
            let rows: Vec<(HistoryRun, String)> = runs_of
                .query_map([&info.id], |row| {
                    let status: String = row.get(2)?;
                    let failed_stage: Option<String> = row.get(3)?;
                    let run = HistoryRun {
                        id: row.get(0)?,
                        contestant: ContestantView::hidden(0),
                        status: Status::parse(&status).unwrap_or(Status::Failed),
                        failed_stage: failed_stage.as_deref().and_then(Status::parse),
                        failure: row.get(4)?,
                        cost_usd: row.get::<_, Option<f64>>(5)?.unwrap_or(0.0),
                        // As the record spells it: serde's names.
                        fault: row
                            .get::<_, Option<String>>(6)?
                            .and_then(|fault| serde_json::from_value(fault.into()).ok()),
                    };
                    Ok((run, row.get(1)?))
                })?
                .collect::<Result<_, _>>()?;
            let mut runs = Vec::with_capacity(rows.len());
            for (mut run, contestant) in rows {
                run.contestant = serde_json::from_str(&contestant)?;
                runs.push(run);
            }
            entries.push(HistoryEntry { info, votes, runs });
        }
        Ok((total, entries))
    }

    /// Records a vote and its outcomes, or says the voter has voted on this battle before
    /// (`Ok(None)`).
    pub fn add_vote(&self, vote: &NewVote<'_>) -> Result<Option<Vote>, StoreError> {
        let mut connection = self.connection();
        let transaction = connection.transaction()?;
        if vote.once_per_voter {
            let before: u32 = transaction.query_row(
                "SELECT COUNT(*) FROM votes WHERE battle = ?1 AND voter = ?2",
                params![vote.battle, vote.voter],
                |row| row.get(0),
            )?;
            if before > 0 {
                return Ok(None);
            }
        }
        let created_ms = crate::run::now_ms();
        transaction.execute(
            "INSERT INTO votes (battle, voter, kind, ranking, excluded, created_ms)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                vote.battle,
                vote.voter,
                vote.kind,
                serde_json::to_string(vote.ranking)?,
                vote.excluded,
                created_ms as i64
            ],
        )?;
        let id = transaction.last_insert_rowid();
        for (a, b, score) in vote.outcomes {
            transaction.execute(
                "INSERT INTO outcomes (vote, a, b, score) VALUES (?1, ?2, ?3, ?4)",
                params![id, a, b, score],
            )?;
        }
        transaction.commit()?;
        Ok(Some(Vote {
            id,
            kind: vote.kind.to_owned(),
            ranking: vote.ranking.to_vec(),
            excluded: vote.excluded.map(str::to_owned),
            created_ms,
        }))
    }

    pub fn votes_of(&self, battle: &str) -> Result<Vec<Vote>, StoreError> {
        let connection = self.connection();
        let mut statement = connection.prepare(
            "SELECT id, kind, ranking, excluded, created_ms FROM votes WHERE battle = ?1 ORDER BY id",
        )?;
        let rows: Vec<(i64, String, String, Option<String>, i64)> = statement
            .query_map([battle], |row| {
                Ok((
                    row.get(0)?,
                    row.get(1)?,
                    row.get(2)?,
                    row.get(3)?,
                    row.get(4)?,
                ))
            })?
            .collect::<Result<_, _>>()?;
        rows.into_iter()
            .map(|(id, kind, ranking, excluded, created_ms)| {
                Ok(Vote {
                    id,
                    kind,
                    ranking: serde_json::from_str(&ranking)?,
                    excluded,
                    created_ms: created_ms as u64,
                })
            })
            .collect()
    }

    pub fn has_voted(&self, battle: &str, voter: &str) -> Result<bool, StoreError> {
        let count: u32 = self.connection().query_row(
            "SELECT COUNT(*) FROM votes WHERE battle = ?1 AND voter = ?2",
            params![battle, voter],
            |row| row.get(0),
        )?;
        Ok(count > 0)
    }

    /// The outcomes of counted votes after vote `after`, in vote order: what a leaderboard
    /// that has read up to `after` still lacks.
    pub fn outcomes_after(
        &self,
        filter: &BoardFilter,
        after: i64,
    ) -> Result<Vec<StoredOutcome>, StoreError> {
        let connection = self.connection();
        let mut statement = connection.prepare(&format!(
            "SELECT o.vote, v.battle, o.a, o.b, o.score FROM outcomes o
             JOIN votes v ON v.id = o.vote JOIN battles b ON b.id = v.battle
             WHERE v.excluded IS NULL AND o.vote > ?3 AND {BOARD_BATTLES}
             ORDER BY o.vote, o.rowid"
        ))?;
        let outcomes = statement
            .query_map(params![filter.pipeline, filter.category, after], |row| {
                Ok(StoredOutcome {
                    vote: row.get(0)?,
                    battle: row.get(1)?,
                    a: row.get(2)?,
                    b: row.get(3)?,
                    score: row.get(4)?,
                })
            })?
            .collect::<Result<_, _>>()?;
        Ok(outcomes)
    }

    /// Counted and excluded votes under a filter, and the newest vote id of all.
    pub fn vote_counts(&self, filter: &BoardFilter) -> Result<(u32, u32, i64), StoreError> {
        Ok(self.connection().query_row(
            &format!(
                "SELECT COALESCE(SUM(v.excluded IS NULL), 0), COALESCE(SUM(v.excluded IS NOT NULL), 0),
                        (SELECT COALESCE(MAX(id), 0) FROM votes)
                 FROM votes v JOIN battles b ON b.id = v.battle WHERE {BOARD_BATTLES}"
            ),
            params![filter.pipeline, filter.category],
            |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
        )?)
    }

    /// Every pipeline and category a battle was run under, for filters.
    pub fn pipelines_and_categories(&self) -> Result<(Vec<String>, Vec<String>), StoreError> {
        let connection = self.connection();
        let column = |sql: &str| -> Result<Vec<String>, rusqlite::Error> {
            connection
                .prepare(sql)?
                .query_map([], |row| row.get(0))?
                .collect()
        };
        Ok((
            column("SELECT DISTINCT pipeline FROM battles ORDER BY pipeline")?,
            // Categories are compared without case: "Game" and "game" are one.
            column(
                "SELECT MIN(category) FROM battles WHERE category IS NOT NULL
                 GROUP BY category COLLATE NOCASE ORDER BY category COLLATE NOCASE",
            )?,
        ))
    }

    /// The latest display name of each contestant that has run.
    pub fn contestant_names(&self) -> Result<Vec<(String, String)>, StoreError> {
        let connection = self.connection();
        let names = connection
            .prepare(
                // SQLite takes the bare column from the row with the MAX.
                "SELECT contestant, contestant_name, MAX(updated_ms) FROM runs GROUP BY contestant",
            )?
            .query_map([], |row| Ok((row.get(0)?, row.get(1)?)))?
            .collect::<Result<_, _>>()?;
        Ok(names)
    }

    /// The scorer plugins' view: per contestant, the mean of each metric over its runs (the
    /// runs of [`SCORED_RUNS`]).
    pub fn score_means(&self, filter: &BoardFilter) -> Result<Vec<ContestantScores>, StoreError> {
        let connection = self.connection();
        let mut contestants: Vec<ContestantScores> = connection
            .prepare(&format!(
                "SELECT r.contestant, MAX(r.contestant_name), COUNT(*), SUM(r.reached_ready)
                 FROM runs r JOIN battles b ON b.id = r.battle
                 WHERE {BOARD_BATTLES} AND {SCORED_RUNS}
                 GROUP BY r.contestant ORDER BY r.contestant"
            ))?
            .query_map(params![filter.pipeline, filter.category], |row| {
                Ok(ContestantScores {
                    contestant: row.get(0)?,
                    name: row.get(1)?,
                    runs: row.get(2)?,
                    ready: row.get(3)?,
                    metrics: Vec::new(),
                })
            })?
            .collect::<Result<_, _>>()?;
        let mut statement = connection.prepare(&format!(
            "SELECT r.contestant, s.scorer, s.name, s.unit, AVG(s.value), COUNT(*)
             FROM scores s JOIN runs r ON r.id = s.run JOIN battles b ON b.id = r.battle
             WHERE {BOARD_BATTLES} AND {SCORED_RUNS}
             GROUP BY r.contestant, s.scorer, s.name, s.unit ORDER BY s.scorer, s.name"
        ))?;
        let rows = statement.query_map(params![filter.pipeline, filter.category], |row| {
            Ok((
                row.get::<_, String>(0)?,
                ScoreMean {
                    scorer: row.get(1)?,
                    name: row.get(2)?,
                    unit: row.get(3)?,
                    mean: row.get(4)?,
                    count: row.get(5)?,
                },
            ))
        })?;
        for row in rows {
            let (contestant, mean) = row?;
            if let Some(entry) = contestants.iter_mut().find(|c| c.contestant == contestant) {
                entry.metrics.push(mean);
            }
        }
        Ok(contestants)
    }
}

fn battle_info(row: &rusqlite::Row<'_>) -> rusqlite::Result<BattleInfo> {
    let versions: String = row.get(6)?;
    Ok(BattleInfo {
        id: row.get(0)?,
        prompt: row.get(1)?,
        category: row.get(2)?,
        pipeline: row.get(3)?,
        anonymous: row.get(4)?,
        created_ms: row.get::<_, i64>(5)? as u64,
        versions: serde_json::from_str(&versions).unwrap_or(serde_json::Value::Null),
    })
}

/// `%text%` for LIKE, with LIKE's own wildcards in `text` matched literally.
fn like_pattern(text: &str) -> String {
    let mut pattern = String::from("%");
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            pattern.push('\\');
        }
        pattern.push(c);
    }
    pattern.push('%');
    pattern
}
