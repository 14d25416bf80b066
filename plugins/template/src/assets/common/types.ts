import type { IconName } from "../components/Icon";

export type { IconName };

export type Link = { label: string; href: string };

export type Site = {
  brand: string;
  title: string;
  description: string;
  /** Whether the style starts out dark. */
  dark: boolean;
  nav: Link[];
  cta: Link;
  footer: string;
};
