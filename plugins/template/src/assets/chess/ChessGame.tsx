"use client";

import { useState } from "react";
import { chess } from "../app/data";

type Color = "w" | "b";
type Kind = "k" | "q" | "r" | "b" | "n" | "p";
type Piece = { color: Color; kind: Kind };
type Board = (Piece | null)[];
type Castling = { wk: boolean; wq: boolean; bk: boolean; bq: boolean };
type Move = { from: number; to: number; promotion?: Kind; castle?: "k" | "q"; enPassant?: boolean };
type Game = {
  board: Board;
  turn: Color;
  castling: Castling;
  /** The square a pawn skipped over on the last move, for en passant. */
  enPassant: number | null;
  history: string[];
  captured: Piece[];
  last: Move | null;
};

// Solid glyphs for both sides; CSS colours them. U+FE0E keeps the pawn from becoming an emoji.
const glyphs: Record<Kind, string> = {
  k: "\u265A",
  q: "\u265B",
  r: "\u265C",
  b: "\u265D",
  n: "\u265E",
  p: "\u265F\uFE0E",
};
const names: Record<Kind, string> = {
  k: "king",
  q: "queen",
  r: "rook",
  b: "bishop",
  n: "knight",
  p: "pawn",
};
const values: Record<Kind, number> = { k: 0, q: 9, r: 5, b: 3, n: 3, p: 1 };
const files = "abcdefgh";

const row = (square: number) => Math.floor(square / 8);
const col = (square: number) => square % 8;
const at = (r: number, c: number) => r * 8 + c;
const inside = (r: number, c: number) => r >= 0 && r < 8 && c >= 0 && c < 8;
const squareName = (square: number) => `${files[col(square)]}${8 - row(square)}`;
const other = (color: Color): Color => (color === "w" ? "b" : "w");

function startingGame(): Game {
  const back: Kind[] = ["r", "n", "b", "q", "k", "b", "n", "r"];
  const board: Board = Array.from({ length: 64 }, () => null);
  back.forEach((kind, c) => {
    board[at(0, c)] = { color: "b", kind };
    board[at(1, c)] = { color: "b", kind: "p" };
    board[at(6, c)] = { color: "w", kind: "p" };
    board[at(7, c)] = { color: "w", kind };
  });
  return {
    board,
    turn: "w",
    castling: { wk: true, wq: true, bk: true, bq: true },
    enPassant: null,
    history: [],
    captured: [],
    last: null,
  };
}

const knightSteps = [
  [1, 2], [2, 1], [2, -1], [1, -2], [-1, -2], [-2, -1], [-2, 1], [-1, 2],
];
const kingSteps = [
  [1, 0], [1, 1], [0, 1], [-1, 1], [-1, 0], [-1, -1], [0, -1], [1, -1],
];
const rookRays = [[1, 0], [-1, 0], [0, 1], [0, -1]];
const bishopRays = [[1, 1], [1, -1], [-1, 1], [-1, -1]];

/** Squares the piece on `from` attacks (not counting castling or pawn pushes). */
function attacks(board: Board, from: number): number[] {
  const piece = board[from];
  if (!piece) return [];
  const r = row(from);
  const c = col(from);
  const targets: number[] = [];
  const step = (dr: number, dc: number) => {
    if (inside(r + dr, c + dc)) targets.push(at(r + dr, c + dc));
  };
  const ray = (dr: number, dc: number) => {
    let rr = r + dr;
    let cc = c + dc;
    while (inside(rr, cc)) {
      targets.push(at(rr, cc));
      if (board[at(rr, cc)]) break;
      rr += dr;
      cc += dc;
    }
  };
  switch (piece.kind) {
    case "p": {
      const dir = piece.color === "w" ? -1 : 1;
      step(dir, -1);
      step(dir, 1);
      break;
    }
    case "n":
      knightSteps.forEach(([dr, dc]) => step(dr, dc));
      break;
    case "k":
      kingSteps.forEach(([dr, dc]) => step(dr, dc));
      break;
    case "r":
      rookRays.forEach(([dr, dc]) => ray(dr, dc));
      break;
    case "b":
      bishopRays.forEach(([dr, dc]) => ray(dr, dc));
      break;
    case "q":
      [...rookRays, ...bishopRays].forEach(([dr, dc]) => ray(dr, dc));
      break;
  }
  return targets;
}

function attacked(board: Board, square: number, by: Color): boolean {
  return board.some((piece, from) => piece?.color === by && attacks(board, from).includes(square));
}

function inCheck(board: Board, color: Color): boolean {
  const king = board.findIndex((piece) => piece?.color === color && piece.kind === "k");
  return king >= 0 && attacked(board, king, other(color));
}

function pseudoMoves(game: Game, from: number): Move[] {
  const { board } = game;
  const piece = board[from];
  if (!piece) return [];
  const moves: Move[] = [];
  const r = row(from);
  const c = col(from);

  if (piece.kind === "p") {
    const dir = piece.color === "w" ? -1 : 1;
    const startRow = piece.color === "w" ? 6 : 1;
    const lastRow = piece.color === "w" ? 0 : 7;
    const push = (to: number, extra: Partial<Move> = {}) =>
      moves.push({ from, to, ...extra, ...(row(to) === lastRow ? { promotion: "q" as Kind } : {}) });
    if (inside(r + dir, c) && !board[at(r + dir, c)]) {
      push(at(r + dir, c));
      if (r === startRow && !board[at(r + 2 * dir, c)]) push(at(r + 2 * dir, c));
    }
    for (const dc of [-1, 1]) {
      if (!inside(r + dir, c + dc)) continue;
      const to = at(r + dir, c + dc);
      const target = board[to];
      if (target && target.color !== piece.color) push(to);
      if (to === game.enPassant) push(to, { enPassant: true });
    }
    return moves;
  }

  for (const to of attacks(board, from)) {
    const target = board[to];
    if (!target || target.color !== piece.color) moves.push({ from, to });
  }

  if (piece.kind === "k") {
    const home = piece.color === "w" ? 7 : 0;
    const enemy = other(piece.color);
    const rights = piece.color === "w"
      ? { k: game.castling.wk, q: game.castling.wq }
      : { k: game.castling.bk, q: game.castling.bq };
    if (from === at(home, 4) && !attacked(board, from, enemy)) {
      const empty = (cs: number[]) => cs.every((cc) => !board[at(home, cc)]);
      const safe = (cs: number[]) => cs.every((cc) => !attacked(board, at(home, cc), enemy));
      if (rights.k && empty([5, 6]) && safe([5, 6])) {
        moves.push({ from, to: at(home, 6), castle: "k" });
      }
      if (rights.q && empty([1, 2, 3]) && safe([2, 3])) {
        moves.push({ from, to: at(home, 2), castle: "q" });
      }
    }
  }
  return moves;
}

function play(game: Game, move: Move): { board: Board; taken: Piece | null } {
  const board = [...game.board];
  const piece = board[move.from] as Piece;
  let taken = board[move.to];
  if (move.enPassant) {
    const victim = at(row(move.from), col(move.to));
    taken = board[victim];
    board[victim] = null;
  }
  board[move.to] = move.promotion ? { color: piece.color, kind: move.promotion } : piece;
  board[move.from] = null;
  if (move.castle) {
    const home = row(move.from);
    const [rookFrom, rookTo] = move.castle === "k" ? [7, 5] : [0, 3];
    board[at(home, rookTo)] = board[at(home, rookFrom)];
    board[at(home, rookFrom)] = null;
  }
  return { board, taken };
}

function legalMoves(game: Game, from: number): Move[] {
  const piece = game.board[from];
  if (!piece || piece.color !== game.turn) return [];
  return pseudoMoves(game, from).filter((move) => !inCheck(play(game, move).board, piece.color));
}

function hasAnyMove(game: Game): boolean {
  return game.board.some((_, from) => legalMoves(game, from).length > 0);
}

function apply(game: Game, move: Move): Game {
  const piece = game.board[move.from] as Piece;
  const { board, taken } = play(game, move);

  const castling = { ...game.castling };
  const touch = (square: number) => {
    if (square === at(7, 4)) Object.assign(castling, { wk: false, wq: false });
    if (square === at(0, 4)) Object.assign(castling, { bk: false, bq: false });
    if (square === at(7, 7)) castling.wk = false;
    if (square === at(7, 0)) castling.wq = false;
    if (square === at(0, 7)) castling.bk = false;
    if (square === at(0, 0)) castling.bq = false;
  };
  touch(move.from);
  touch(move.to);

  const doubleStep = piece.kind === "p" && Math.abs(row(move.to) - row(move.from)) === 2;
  const next: Game = {
    board,
    turn: other(game.turn),
    castling,
    enPassant: doubleStep ? at((row(move.from) + row(move.to)) / 2, col(move.from)) : null,
    history: game.history,
    captured: taken ? [...game.captured, taken] : game.captured,
    last: move,
  };

  let notation: string;
  if (move.castle) {
    notation = move.castle === "k" ? "O-O" : "O-O-O";
  } else {
    const letter = piece.kind === "p" ? (taken ? files[col(move.from)] : "") : piece.kind.toUpperCase();
    notation = `${letter}${taken ? "x" : ""}${squareName(move.to)}${move.promotion ? "=Q" : ""}`;
  }
  if (inCheck(board, next.turn)) notation += hasAnyMove(next) ? "+" : "#";
  return { ...next, history: [...game.history, notation] };
}

function material(pieces: Piece[]): number {
  return pieces.reduce((sum, piece) => sum + values[piece.kind], 0);
}

export default function ChessGame() {
  const [game, setGame] = useState<Game>(startingGame);
  const [past, setPast] = useState<Game[]>([]);
  const [selected, setSelected] = useState<number | null>(null);
  const [flipped, setFlipped] = useState(false);

  const targets = selected === null ? [] : legalMoves(game, selected);
  const check = inCheck(game.board, game.turn);
  const over = !hasAnyMove(game);
  const sideName = game.turn === "w" ? chess.white.name : chess.black.name;
  const status = over
    ? check
      ? `Checkmate. ${game.turn === "w" ? chess.black.name : chess.white.name} wins.`
      : "Stalemate. The game is drawn."
    : check
      ? `${sideName} is in check.`
      : `${sideName} to move.`;

  function click(square: number) {
    if (over) return;
    const move = targets.find((candidate) => candidate.to === square);
    if (move) {
      setPast([...past, game]);
      setGame(apply(game, move));
      setSelected(null);
      return;
    }
    const piece = game.board[square];
    setSelected(piece && piece.color === game.turn && square !== selected ? square : null);
  }

  function undo() {
    const previous = past[past.length - 1];
    if (!previous) return;
    setGame(previous);
    setPast(past.slice(0, -1));
    setSelected(null);
  }

  function reset() {
    setGame(startingGame());
    setPast([]);
    setSelected(null);
  }

  const order = Array.from({ length: 64 }, (_, index) => (flipped ? 63 - index : index));
  const kingInCheck = check
    ? game.board.findIndex((piece) => piece?.color === game.turn && piece.kind === "k")
    : -1;
  const takenBy = (color: Color) => game.captured.filter((piece) => piece.color !== color);
  const pairs: [string, string][] = [];
  for (let index = 0; index < game.history.length; index += 2) {
    pairs.push([game.history[index], game.history[index + 1] ?? ""]);
  }
  const top = flipped ? chess.white : chess.black;
  const bottom = flipped ? chess.black : chess.white;

  const playerCard = (player: typeof chess.white) => {
    const color: Color = player.side === "white" ? "w" : "b";
    const taken = takenBy(color);
    const lead = material(taken) - material(takenBy(other(color)));
    return (
      <div className={game.turn === color && !over ? "player player-active" : "player"}>
        <span className={`player-swatch swatch-${player.side}`} aria-hidden="true" />
        <div className="player-info">
          <strong>{player.name}</strong>
          <span className="muted">{player.rating}</span>
        </div>
        <div className="player-taken" aria-label="Captured pieces">
          {taken.map((piece, index) => (
            <span key={index} className={`taken piece-${piece.color}`}>
              {glyphs[piece.kind]}
            </span>
          ))}
          {lead > 0 ? <span className="muted lead-score">+{lead}</span> : null}
        </div>
      </div>
    );
  };

  return (
    <div className="chess">
      <div className="board-wrap">
        {playerCard(top)}
        <div className="board" role="grid" aria-label="Chess board">
          {order.map((square) => {
            const piece = game.board[square];
            const dark = (row(square) + col(square)) % 2 === 1;
            const target = targets.find((move) => move.to === square);
            const classes = [
              "cell",
              dark ? "cell-dark" : "cell-light",
              square === selected ? "cell-selected" : "",
              game.last && (game.last.from === square || game.last.to === square) ? "cell-last" : "",
              square === kingInCheck ? "cell-check" : "",
              target ? (piece || target.enPassant ? "cell-capture" : "cell-target") : "",
            ].join(" ");
            const showFile = flipped ? row(square) === 0 : row(square) === 7;
            const showRank = flipped ? col(square) === 7 : col(square) === 0;
            return (
              <button
                key={square}
                type="button"
                className={classes}
                onClick={() => click(square)}
                aria-label={`${squareName(square)}${piece ? `, ${piece.color === "w" ? "white" : "black"} ${names[piece.kind]}` : ""}`}
              >
                {piece ? <span className={`piece piece-${piece.color}`}>{glyphs[piece.kind]}</span> : null}
                {showRank ? <span className="coord coord-rank">{8 - row(square)}</span> : null}
                {showFile ? <span className="coord coord-file">{files[col(square)]}</span> : null}
              </button>
            );
          })}
        </div>
        {playerCard(bottom)}
      </div>

      <aside className="chess-panel card">
        <div className={over ? "status status-over" : check ? "status status-check" : "status"}>
          <span className={`turn-dot swatch-${game.turn === "w" ? "white" : "black"}`} aria-hidden="true" />
          <strong role="status">{status}</strong>
        </div>
        <div className="moves">
          <h2>Moves</h2>
          {pairs.length === 0 ? (
            <p className="muted">No moves yet. White starts: pick a piece, then a highlighted square.</p>
          ) : (
            <ol className="move-list">
              {pairs.map(([white, black], index) => (
                <li key={index}>
                  <span className="move-number">{index + 1}.</span>
                  <span>{white}</span>
                  <span>{black}</span>
                </li>
              ))}
            </ol>
          )}
        </div>
        <div className="chess-actions">
          <button type="button" className="btn btn-ghost btn-sm" onClick={undo} disabled={past.length === 0}>
            Undo
          </button>
          <button type="button" className="btn btn-ghost btn-sm" onClick={() => setFlipped(!flipped)}>
            Flip board
          </button>
          <button type="button" className="btn btn-primary btn-sm" onClick={reset}>
            New game
          </button>
        </div>
      </aside>
    </div>
  );
}
