export type MonthSales = { month: string; current: number; previous: number; orders: number };
export type Product = {
  name: string;
  category: string;
  units: number;
  revenue: number;
  /** Change against the previous period, in percent. */
  change: number;
  stock: number;
};
export type Kpi = { label: string; value: string; change: number; hint: string };
export type Channel = { name: string; share: number };
export type DashboardInfo = { company: string; user: string; period: string; year: number };
