export type Tier = {
  name: string;
  blurb: string;
  /** Price per month when billed monthly, and per month when billed yearly. */
  monthly: number;
  yearly: number;
  cta: string;
  highlight: boolean;
  features: string[];
};
export type CompareRow = { feature: string; values: (string | boolean)[] };
export type Faq = { q: string; a: string };
export type PricingInfo = {
  eyebrow: string;
  headline: string;
  lead: string;
  discount: number;
  logos: string[];
  guarantee: string;
};
