export type Player = { name: string; rating: number; side: "white" | "black" };
export type ChessInfo = {
  event: string;
  headline: string;
  lead: string;
  white: Player;
  black: Player;
  tips: string[];
};
