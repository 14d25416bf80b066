export type Comment = { id: number; by: string; age: string; text: string; replies: Comment[] };
export type StoryKind = "story" | "ask" | "show" | "job";
export type Story = {
  id: number;
  title: string;
  domain: string;
  points: number;
  by: string;
  age: string;
  /** Minutes since posting, for the "new" view. */
  minutes: number;
  kind: StoryKind;
  comments: Comment[];
};
