export type Person = {
  name: string;
  handle: string;
  bio: string;
  location: string;
  website: string;
  joined: string;
  following: number;
  followers: number;
  hue: number;
};
export type Media = "" | "waves" | "sun" | "grid";
export type Post = {
  id: number;
  text: string;
  age: string;
  replies: number;
  reposts: number;
  likes: number;
  views: string;
  pinned: boolean;
  media: Media;
  /** Empty for an original post, otherwise the handle it answers. */
  replyTo: string;
};
export type Trend = { category: string; topic: string; posts: string };
export type Suggestion = { name: string; handle: string; hue: number };
