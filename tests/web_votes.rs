//! Voting as a person does it, in a real headless Chromium against a real arena: an
//! anonymous battle started from the home page shows no contestant names until the vote;
//! the vote reveals them, holds across a reload, and puts the contestants on the
//! leaderboard and the battle in the searchable history. The battles end without builds
//! (the validators refuse both replies), so voting opens within seconds.
//!
//! Screenshots are saved under `target/test-artifacts/web-votes/`.

mod common;

use std::time::Duration;

use arena::arena::{Arena, ArenaConfig};
use common::browser::Chrome;

const PROMPT: &str = "Build a page for a glassblowing studio with class times";

fn contestants_file(dir: &std::path::Path) -> std::path::PathBuf {
    common::quick_contestants(dir, false, "")
}

fn artifacts() -> std::path::PathBuf {
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-artifacts/web-votes");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

const BODY_TEXT: &str = "document.body.innerText";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_person_votes_on_an_anonymous_battle_and_finds_it_on_the_leaderboard_and_in_history() {
    let dir = tempfile::tempdir().unwrap();
    let config = ArenaConfig {
        data_dir: dir.path().join("data"),
        contestants_file: Some(contestants_file(dir.path())),
        watch: false,
        ..ArenaConfig::default()
    };
    let arena = Arena::start(config)
        .await
        .expect("arena starts (is Docker running?)");
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://localhost:{}", listener.local_addr().unwrap().port());
    let router = arena::server::router(arena.clone(), "preview.localhost");
    tokio::spawn(async move { axum::serve(listener, router).await });
    let chrome = Chrome::launch().await;

    // Home: an anonymous battle of both, with a category.
    let tab = chrome.open(&format!("{base}/"), 1280, 900).await;
    tab.wait_for(
        "the contestant picker",
        "document.querySelectorAll('#contestants input[type=checkbox]').length === 2",
        Duration::from_secs(20),
    )
    .await;
    tab.type_into("#prompt", PROMPT).await;
    tab.click("#contestant-alpha").await;
    tab.click("#contestant-bravo").await;
    tab.click("#anonymous").await;
    tab.type_into("#category", "Studio site").await;
    tab.click("#start").await;
    let url = tab
        .wait_for(
            "the battle page",
            "location.pathname.startsWith('/sessions/') && location.href",
            Duration::from_secs(20),
        )
        .await;
    let session_id = url.as_str().unwrap().rsplit('/').next().unwrap().to_owned();
    let session = arena.session(&session_id).expect("the battle exists");
    assert!(session.anonymous);
    assert_eq!(session.category.as_deref(), Some("Studio site"));

    // Voting opens when both runs have failed (the models' fault: the votes count), and
    // nothing on the page names a contestant.
    tab.wait_for(
        "the vote controls",
        "document.querySelectorAll('[data-vote-best]').length === 2 && \
         !document.getElementById('vote-controls').hidden",
        Duration::from_secs(60),
    )
    .await;
    let before: String = tab.eval(BODY_TEXT).await;
    for hidden in [
        "Alpha model",
        "Bravo model",
        "alpha",
        "bravo",
        "replay",
        "recorded",
    ] {
        assert!(
            !before.contains(hidden),
            "{hidden:?} shows before the vote:\n{before}"
        );
    }
    assert!(before.contains("Contestant A") && before.contains("Contestant B"));
    let title: String = tab.eval("document.title").await;
    assert!(!title.contains("model"), "{title}");
    assert!(
        !tab.eval::<bool>("document.getElementById('vote-names-note').hidden")
            .await
    );
    assert!(
        tab.eval::<bool>("document.getElementById('vote-excluded').hidden")
            .await
    );
    tab.save_screenshot(&artifacts().join("before-vote.png"))
        .await;

    // Pick the second card as the best.
    let best: String = tab
        .eval("document.querySelectorAll('[data-vote-best]')[1].dataset.voteBest")
        .await;
    let best_name = arena
        .run(&best)
        .map(|record| record.contestant.name)
        .unwrap();
    tab.click(&format!("[data-vote-best='{best}']")).await;
    let result = tab
        .wait_for(
            "the vote result",
            "!document.getElementById('vote-result').hidden && \
             document.getElementById('vote-result').textContent",
            Duration::from_secs(10),
        )
        .await;
    let result = result.as_str().unwrap();
    assert!(
        result.contains("Your vote is in") && result.contains(&best_name),
        "{result}"
    );
    let after: String = tab.eval(BODY_TEXT).await;
    assert!(
        after.contains("Alpha model") && after.contains("Bravo model"),
        "{after}"
    );
    assert!(!after.contains("Contestant A"), "{after}");
    let title: String = tab.eval("document.title").await;
    assert!(
        title.contains("Alpha model") && title.contains("Bravo model"),
        "{title}"
    );
    tab.save_screenshot(&artifacts().join("after-vote.png"))
        .await;

    // Stored as the pairwise win of the picked run, once.
    let votes = arena.store().votes_of(&session_id).unwrap();
    assert_eq!(votes.len(), 1);
    assert_eq!(votes[0].kind, "best");
    assert_eq!(votes[0].ranking[0], std::slice::from_ref(&best));

    // A reload: still revealed, and the browser cannot vote again.
    tab.page.reload().await.unwrap();
    tab.wait_for(
        "the voted state",
        "(document.getElementById('vote-status').textContent || '').includes('You voted')",
        Duration::from_secs(20),
    )
    .await;
    assert!(
        tab.eval::<bool>("document.getElementById('vote-controls').hidden")
            .await
    );
    let reloaded: String = tab.eval(BODY_TEXT).await;
    assert!(reloaded.contains(&best_name));

    // The leaderboard: the winner first, with its win counted.
    tab.page.goto(&format!("{base}/leaderboard")).await.unwrap();
    let rows = tab
        .wait_for(
            "leaderboard rows",
            "(() => { const rows = [...document.querySelectorAll('#leaderboard-table tbody tr')];
                return rows.length === 2 && rows.map(r => r.innerText); })()",
            Duration::from_secs(20),
        )
        .await;
    let rows: Vec<String> = serde_json::from_value(rows).unwrap();
    assert!(rows[0].contains(&best_name), "{rows:?}");
    let caption: String = tab
        .eval("document.getElementById('leaderboard-caption').textContent")
        .await;
    assert!(caption.contains("1 vote"), "{caption}");
    let categories: Vec<String> = tab
        .eval("[...document.querySelectorAll('#lb-category option')].map(o => o.textContent)")
        .await;
    assert!(
        categories.contains(&"Studio site".to_owned()),
        "{categories:?}"
    );
    tab.save_screenshot(&artifacts().join("leaderboard.png"))
        .await;

    // History: found by a word of the prompt, names shown to this browser that voted.
    tab.page
        .goto(&format!("{base}/history?q=glassblowing"))
        .await
        .unwrap();
    let row = tab
        .wait_for(
            "the history row",
            "(() => { const rows = document.querySelectorAll('#history-table tbody tr');
                return rows.length === 1 && rows[0].innerText; })()",
            Duration::from_secs(20),
        )
        .await;
    let row = row.as_str().unwrap();
    assert!(
        row.contains("glassblowing") && row.contains("Alpha model"),
        "{row}"
    );
    let link: String = tab
        .eval("document.querySelector('#history-table tbody a').getAttribute('href')")
        .await;
    assert_eq!(link, format!("/sessions/{session_id}"));
    tab.type_into("#history-q", " nothing-like-this").await;
    tab.wait_for(
        "no match",
        "!document.getElementById('history-empty').hidden",
        Duration::from_secs(10),
    )
    .await;

    let console = tab.console();
    assert!(
        console
            .iter()
            .all(|line| !line.to_lowercase().contains("error")),
        "{console:#?}"
    );

    // A second arena on the same data folder, as after a restart, seen from another origin
    // (so another browser, which has not voted): the battle page is read back whole, the
    // replies and logs drawn from the replayed stream, the names hidden again.
    let data_dir = arena.data_dir().to_owned();
    arena.shut_down("restart").await;
    let restarted = Arena::start(ArenaConfig {
        data_dir,
        contestants_file: Some(contestants_file(dir.path())),
        watch: false,
        ..ArenaConfig::default()
    })
    .await
    .unwrap();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let other = format!("http://127.0.0.1:{}", listener.local_addr().unwrap().port());
    let router = arena::server::router(restarted.clone(), "preview.localhost");
    tokio::spawn(async move { axum::serve(listener, router).await });
    let tab = chrome
        .open(&format!("{other}/sessions/{session_id}"), 1280, 900)
        .await;
    let replies = tab
        .wait_for(
            "the replies drawn from the replayed stream",
            "(() => { const texts = [...document.querySelectorAll('.card .reply pre')]
                 .map(pre => pre.textContent);
               return texts.length === 2 && texts.every(t => t.length > 0) && texts; })()",
            Duration::from_secs(20),
        )
        .await;
    let mut shown: Vec<String> = serde_json::from_value(replies).unwrap();
    let mut expected: Vec<String> = session
        .run_ids
        .iter()
        .map(|run| arena.run(run).unwrap().reply)
        .collect();
    expected.sort();
    shown.sort();
    assert_eq!(shown, expected);
    let cards: String = tab
        .eval("[...document.querySelectorAll('.card')].map(c => c.innerText).join('\\n')")
        .await;
    assert!(
        cards.contains("child_process"),
        "the failure reasons: {cards}"
    );
    let page: String = tab.eval(BODY_TEXT).await;
    assert!(
        !page.contains("Alpha model") && page.contains("Contestant A"),
        "{page}"
    );
    tab.wait_for(
        "open voting for this browser",
        "document.querySelectorAll('[data-vote-best]').length === 2",
        Duration::from_secs(20),
    )
    .await;
    chrome.close().await;
}
