export type Motif = "cup" | "leaf" | "spark" | "orbit";
export type Feature = { icon: IconName; title: string; text: string };
export type Offer = { name: string; text: string; price: string; tag: string };
export type Quote = { text: string; name: string; role: string };
export type Stat = { value: string; label: string };
export type SectionHead = { eyebrow: string; title: string; lead: string };
export type Hero = {
  eyebrow: string;
  headline: string;
  lead: string;
  primary: Link;
  secondary: Link;
  note: string;
  motif: Motif;
  card: { title: string; text: string };
};
export type Visit = {
  title: string;
  text: string;
  address: string[];
  hours: { days: string; time: string }[];
};
export type Signup = {
  title: string;
  text: string;
  placeholder: string;
  button: string;
  thanks: string;
};
