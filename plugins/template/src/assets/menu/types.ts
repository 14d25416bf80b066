export type Badge = "v" | "vg" | "gf" | "df" | "n" | "spicy";
export type Dish = {
  id: number;
  name: string;
  desc: string;
  /** Price in cents. */
  price: number;
  badges: Badge[];
  popular: boolean;
};
export type MenuSection = { id: string; name: string; blurb: string; dishes: Dish[] };
export type Restaurant = {
  name: string;
  cuisine: string;
  tagline: string;
  intro: string;
  address: string;
  hours: string;
  phone: string;
  /** Service charge in percent. */
  service: number;
  deliveryFee: number;
};
