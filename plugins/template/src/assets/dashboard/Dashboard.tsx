"use client";

import { useState } from "react";
import Icon, { type IconName } from "./Icon";
import type { Channel, DashboardInfo, Kpi, MonthSales, Product } from "../app/data";

type Props = {
  info: DashboardInfo;
  kpis: Kpi[];
  months: MonthSales[];
  products: Product[];
  channels: Channel[];
};
type Series = "current" | "previous" | "both";
type SortKey = "name" | "category" | "units" | "revenue" | "change";

const menu: { icon: IconName; label: string }[] = [
  { icon: "home", label: "Overview" },
  { icon: "chart", label: "Sales" },
  { icon: "grid", label: "Products" },
  { icon: "users", label: "Customers" },
  { icon: "gift", label: "Promotions" },
  { icon: "bell", label: "Alerts" },
];

const money = (value: number) =>
  value.toLocaleString("en-US", { style: "currency", currency: "USD", maximumFractionDigits: 0 });
const short = (value: number) => (value >= 1000 ? `$${Math.round(value / 1000)}k` : `$${value}`);

export default function Dashboard({ info, kpis, months, products, channels }: Props) {
  const [series, setSeries] = useState<Series>("current");
  const [hover, setHover] = useState<number | null>(null);
  const [sort, setSort] = useState<{ key: SortKey; down: boolean }>({ key: "revenue", down: true });
  const [query, setQuery] = useState("");

  const max = Math.max(...months.map((m) => Math.max(m.current, m.previous)));
  const top = Math.ceil(max / 10000) * 10000;
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((fraction) => Math.round(top * fraction));
  const total = months.reduce((sum, m) => sum + (series === "previous" ? m.previous : m.current), 0);

  const rows = products
    .filter((product) => `${product.name} ${product.category}`.toLowerCase().includes(query.toLowerCase()))
    .sort((a, b) => {
      const x = a[sort.key];
      const y = b[sort.key];
      const order = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y));
      return sort.down ? -order : order;
    });

  function sortBy(key: SortKey) {
    setSort(sort.key === key ? { key, down: !sort.down } : { key, down: key !== "name" && key !== "category" });
  }

  const header = (key: SortKey, label: string, numeric: boolean) => (
    <th scope="col" className={numeric ? "num" : undefined} aria-sort={sort.key === key ? (sort.down ? "descending" : "ascending") : "none"}>
      <button type="button" className="sort" onClick={() => sortBy(key)}>
        {label}
        <span className="sort-mark" aria-hidden="true">
          {sort.key === key ? (sort.down ? "\u2193" : "\u2191") : "\u2195"}
        </span>
      </button>
    </th>
  );

  return (
    <div className="dash">
      <aside className="dash-side">
        <p className="dash-brand">
          <span className="brand-mark">{info.company.charAt(0)}</span>
          {info.company}
        </p>
        <nav className="dash-menu" aria-label="Dashboard">
          {menu.map((item, index) => (
            <a key={item.label} href="#top" className={index === 1 ? "dash-link active" : "dash-link"}>
              <Icon name={item.icon} size={19} />
              {item.label}
            </a>
          ))}
        </nav>
        <div className="dash-upgrade">
          <strong>Quarterly report</strong>
          <span>Q3 is ready to export as PDF or CSV.</span>
          <a className="btn btn-primary btn-sm" href="#products">
            Export
          </a>
        </div>
      </aside>

      <main className="dash-main" id="top">
        <header className="dash-top">
          <div>
            <h1 className="dash-title">Sales overview</h1>
            <p className="muted">{info.period}</p>
          </div>
          <label className="dash-search">
            <Icon name="search" size={18} />
            <input
              type="search"
              placeholder="Search products"
              aria-label="Search products"
              value={query}
              onChange={(event) => setQuery(event.target.value)}
            />
          </label>
          <span className="dash-user" title={info.user}>
            {info.user
              .split(" ")
              .map((part) => part.charAt(0))
              .join("")}
          </span>
        </header>

        <section className="kpis" aria-label="Key figures">
          {kpis.map((kpi) => (
            <article key={kpi.label} className="kpi card">
              <span className="muted">{kpi.label}</span>
              <strong>{kpi.value}</strong>
              <span className={kpi.change >= 0 ? "delta up" : "delta down"}>
                {kpi.change >= 0 ? "\u25B2" : "\u25BC"} {Math.abs(kpi.change).toFixed(1)}%
                <span className="muted"> {kpi.hint}</span>
              </span>
            </article>
          ))}
        </section>

        <div className="dash-grid">
          <section className="chart-card card" aria-label="Sales by month">
            <div className="card-head">
              <div>
                <h2>Sales by month</h2>
                <p className="muted">
                  {money(total)} in {series === "previous" ? info.year - 1 : info.year}
                </p>
              </div>
              <div className="segmented" role="radiogroup" aria-label="Series">
                {(["current", "previous", "both"] as Series[]).map((option) => (
                  <button
                    key={option}
                    type="button"
                    role="radio"
                    aria-checked={series === option}
                    className={series === option ? "segment active" : "segment"}
                    onClick={() => setSeries(option)}
                  >
                    {option === "current" ? String(info.year) : option === "previous" ? String(info.year - 1) : "Compare"}
                  </button>
                ))}
              </div>
            </div>
            <div className="chart">
              <div className="y-axis" aria-hidden="true">
                {[...ticks].reverse().map((tick) => (
                  <span key={tick}>{short(tick)}</span>
                ))}
              </div>
              <div className="plot">
                <div className="gridlines" aria-hidden="true">
                  {ticks.map((tick) => (
                    <span key={tick} className="gridline" style={{ bottom: `${(tick / top) * 100}%` }} />
                  ))}
                </div>
                {months.map((m, index) => (
                  <div
                    key={m.month}
                    className="bar-group"
                    onMouseEnter={() => setHover(index)}
                    onMouseLeave={() => setHover(null)}
                  >
                    {series !== "current" ? (
                      <span className="bar bar-previous" style={{ height: `${(m.previous / top) * 100}%` }} />
                    ) : null}
                    {series !== "previous" ? (
                      <span className="bar bar-current" style={{ height: `${(m.current / top) * 100}%` }} />
                    ) : null}
                    {hover === index ? (
                      <span className="tooltip" role="status">
                        <strong>{m.month}</strong>
                        {series !== "previous" ? <span>{info.year}: {money(m.current)}</span> : null}
                        {series !== "current" ? <span>{info.year - 1}: {money(m.previous)}</span> : null}
                        <span>{m.orders} orders</span>
                      </span>
                    ) : null}
                    <span className="x-label">{m.month}</span>
                  </div>
                ))}
              </div>
            </div>
          </section>

          <section className="channels card" aria-label="Sales by channel">
            <h2>By channel</h2>
            {channels.map((channel) => (
              <div key={channel.name} className="channel">
                <span className="channel-row">
                  <span>{channel.name}</span>
                  <strong>{channel.share}%</strong>
                </span>
                <span className="meter">
                  <span style={{ width: `${channel.share}%` }} />
                </span>
              </div>
            ))}
          </section>
        </div>

        <section id="products" className="table-card card" aria-label="Top products">
          <div className="card-head">
            <div>
              <h2>Top products</h2>
              <p className="muted">Click a column to sort</p>
            </div>
            <span className="badge">{rows.length} products</span>
          </div>
          <div className="table-scroll">
            <table className="products">
              <thead>
                <tr>
                  <th scope="col" className="rank">
                    #
                  </th>
                  {header("name", "Product", false)}
                  {header("category", "Category", false)}
                  {header("units", "Units", true)}
                  {header("revenue", "Revenue", true)}
                  {header("change", "Trend", true)}
                </tr>
              </thead>
              <tbody>
                {rows.map((product, index) => (
                  <tr key={product.name}>
                    <td className="rank">{index + 1}</td>
                    <td>
                      <strong>{product.name}</strong>
                      {product.stock < 40 ? <span className="low-stock">Low stock: {product.stock}</span> : null}
                    </td>
                    <td className="muted">{product.category}</td>
                    <td className="num">{product.units.toLocaleString("en-US")}</td>
                    <td className="num">{money(product.revenue)}</td>
                    <td className={product.change >= 0 ? "num delta up" : "num delta down"}>
                      {product.change >= 0 ? "+" : ""}
                      {product.change.toFixed(1)}%
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>
      </main>
    </div>
  );
}
