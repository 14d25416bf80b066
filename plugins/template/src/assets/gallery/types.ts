export type Scene = "portrait" | "landscape" | "street" | "wedding" | "nature" | "abstract";
export type Photo = {
  id: number;
  title: string;
  category: string;
  place: string;
  year: number;
  scene: Scene;
  hue: number;
  /** Height relative to width, for the masonry layout. */
  ratio: number;
};
export type Artist = {
  name: string;
  role: string;
  city: string;
  intro: string;
  about: string;
  email: string;
  clients: string[];
};
export type Service = { name: string; text: string; price: string };
