//! A chess board two people can play on one screen: legal moves, check, mate, castling,
//! en passant, promotion, undo and a move list.

use super::{Ctx, Page, link, people};
use crate::js::{arr, obj};

const PAGE: &str = include_str!("../assets/chess/page.tsx");
const TYPES: &str = include_str!("../assets/chess/types.ts");
const CSS: &str = include_str!("../assets/chess/style.css");
const GAME: &str = include_str!("../assets/chess/ChessGame.tsx");

const CLUBS: &[&str] = &[
    "Kestrel",
    "Castle Row",
    "Bishop Lane",
    "Northgate",
    "Old Square",
];
const HEADLINES: &[&str] = &[
    "Pull up a chair. White moves first.",
    "One board, two players, no sign-up.",
    "A quiet game of chess, right here.",
];

pub fn build(ctx: &Ctx) -> Page {
    let mut rng = ctx.rng("chess");
    let club = *rng.pick(CLUBS);
    let brand = format!("{club} Chess Club");
    let players = people(&mut rng, 2);

    let info = obj([
        ("event", format!("{brand} · Casual game").into()),
        ("headline", (*rng.pick(HEADLINES)).into()),
        (
            "lead",
            "Take turns on the same screen. Click a piece to see where it can go, then click a \
             highlighted square. Checks, checkmate, castling, en passant and promotion all follow \
             the real rules."
                .into(),
        ),
        (
            "white",
            obj([
                ("name", players[0].as_str().into()),
                ("rating", rng.range(1350, 1900).into()),
                ("side", "white".into()),
            ]),
        ),
        (
            "black",
            obj([
                ("name", players[1].as_str().into()),
                ("rating", rng.range(1350, 1900).into()),
                ("side", "black".into()),
            ]),
        ),
        (
            "tips",
            arr([
                "Control the centre early: pawns and knights on the middle squares give your pieces room.",
                "Castle in the first ten moves. Click the king two squares towards a rook to do it.",
                "Made a slip? Undo takes back the last move, and Flip board turns the view for the other player.",
            ]),
        ),
    ]);

    Page {
        title: format!("{brand} | Play Chess"),
        description: "A two-player chess board with legal moves, check and checkmate.".to_string(),
        nav: vec![link("Play", "#play"), link("How to play", "#rules")],
        cta: link("New game", "#play"),
        footer: format!("{brand}. Every Thursday, all levels welcome."),
        types: TYPES,
        exports: vec![("chess", "ChessInfo", info)],
        page: PAGE,
        components: vec![("components/ChessGame.tsx", GAME)],
        css: CSS,
        brand,
    }
}
