-- Battles, their runs, votes and the pairwise outcomes votes imply.
-- A run's whole record (status, reply, logs, diagnostics, scores, screenshots, timings,
-- usage, cost) is one JSON document; the columns beside it are what lists and the
-- leaderboard filter and group by.

CREATE TABLE battles (
    id          TEXT PRIMARY KEY,
    prompt      TEXT NOT NULL,
    category    TEXT,
    pipeline    TEXT NOT NULL,
    anonymous   INTEGER NOT NULL DEFAULT 0,
    created_ms  INTEGER NOT NULL,
    -- The pipeline and the plugins (id, version, content hash) the battle ran with.
    versions    TEXT NOT NULL
);
CREATE INDEX battles_created ON battles (created_ms);

CREATE TABLE runs (
    id               TEXT PRIMARY KEY,
    battle           TEXT NOT NULL REFERENCES battles (id),
    position         INTEGER NOT NULL,
    contestant       TEXT NOT NULL,
    contestant_name  TEXT NOT NULL,
    status           TEXT NOT NULL,
    -- Got to ready at some point (an idle or stopped preview ends as terminated after).
    reached_ready    INTEGER NOT NULL DEFAULT 0,
    -- Ended through no fault of its model (the arena, its provider, a stop, a restart):
    -- left out of the scorers' view, as votes on its battle are left out of the ratings.
    excused          INTEGER NOT NULL DEFAULT 0,
    record           TEXT NOT NULL,
    updated_ms       INTEGER NOT NULL
);
CREATE INDEX runs_battle ON runs (battle, position);
-- Covering: names and counts per contestant without reading the records.
CREATE INDEX runs_contestant ON runs (contestant, updated_ms, contestant_name, reached_ready, battle);

-- The project as the arena checked it, validator edits applied.
CREATE TABLE run_files (
    run       TEXT NOT NULL REFERENCES runs (id),
    path      TEXT NOT NULL,
    contents  TEXT NOT NULL,
    PRIMARY KEY (run, path)
);

CREATE TABLE scores (
    run     TEXT NOT NULL REFERENCES runs (id),
    scorer  TEXT NOT NULL,
    name    TEXT NOT NULL,
    value   REAL NOT NULL,
    unit    TEXT NOT NULL
);
CREATE INDEX scores_run ON scores (run);

CREATE TABLE votes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    battle      TEXT NOT NULL REFERENCES battles (id),
    voter       TEXT NOT NULL,
    kind        TEXT NOT NULL,
    -- Tiers of run ids, best first; runs in one tier tie.
    ranking     TEXT NOT NULL,
    -- Why the vote does not count in the leaderboard, when it does not.
    excluded    TEXT,
    created_ms  INTEGER NOT NULL
);
CREATE INDEX votes_battle ON votes (battle, voter);

-- One row per pair of contestants a vote ranked: `score` is a's (1 won, 0.5 tie, 0 lost).
CREATE TABLE outcomes (
    vote   INTEGER NOT NULL REFERENCES votes (id),
    a      TEXT NOT NULL,
    b      TEXT NOT NULL,
    score  REAL NOT NULL
);
CREATE INDEX outcomes_vote ON outcomes (vote);
