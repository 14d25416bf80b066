"use client";

import { useState } from "react";
import type { Badge, Dish, MenuSection } from "../app/data";

type Props = { sections: MenuSection[]; service: number; deliveryFee: number };

const badgeInfo: Record<Badge, { short: string; label: string }> = {
  v: { short: "V", label: "Vegetarian" },
  vg: { short: "VG", label: "Vegan" },
  gf: { short: "GF", label: "Gluten-free" },
  df: { short: "DF", label: "Dairy-free" },
  n: { short: "N", label: "Contains nuts" },
  spicy: { short: "Hot", label: "Spicy" },
};
const filters: Badge[] = ["v", "vg", "gf", "df"];

const price = (cents: number) => `$${(cents / 100).toFixed(2)}`;

export default function MenuBoard({ sections, service, deliveryFee }: Props) {
  const [active, setActive] = useState<Badge[]>([]);
  const [order, setOrder] = useState<Record<number, number>>({});
  const [mode, setMode] = useState<"pickup" | "delivery">("pickup");
  const [placed, setPlaced] = useState<string | null>(null);

  const dishes = sections.flatMap((section) => section.dishes);
  const byId = (id: number) => dishes.find((dish) => dish.id === id) as Dish;
  const lines = Object.entries(order)
    .map(([id, qty]) => ({ dish: byId(Number(id)), qty }))
    .filter((line) => line.qty > 0 && line.dish);
  const count = lines.reduce((sum, line) => sum + line.qty, 0);
  const subtotal = lines.reduce((sum, line) => sum + line.qty * line.dish.price, 0);
  const serviceCharge = Math.round((subtotal * service) / 100);
  const delivery = mode === "delivery" && subtotal > 0 ? deliveryFee : 0;
  const total = subtotal + serviceCharge + delivery;

  const matches = (dish: Dish) => active.every((badge) => dish.badges.includes(badge) || (badge === "v" && dish.badges.includes("vg")));

  function change(id: number, delta: number) {
    setPlaced(null);
    setOrder((current) => ({ ...current, [id]: Math.max(0, (current[id] ?? 0) + delta) }));
  }

  function toggleFilter(badge: Badge) {
    setActive(active.includes(badge) ? active.filter((item) => item !== badge) : [...active, badge]);
  }

  function place() {
    const number = 100 + ((subtotal * 7 + count * 13) % 900);
    setPlaced(`#${number}`);
    setOrder({});
  }

  return (
    <div className="menu-layout">
      <div className="menu-main">
        <div className="menu-bar">
          <nav className="section-nav" aria-label="Menu sections">
            {sections.map((section) => (
              <a key={section.id} href={`#${section.id}`}>
                {section.name}
              </a>
            ))}
          </nav>
          <div className="diet-filters" role="group" aria-label="Dietary filters">
            {filters.map((badge) => (
              <button
                key={badge}
                type="button"
                className="chip"
                aria-pressed={active.includes(badge)}
                onClick={() => toggleFilter(badge)}
              >
                <span className={`diet diet-${badge}`}>{badgeInfo[badge].short}</span> {badgeInfo[badge].label}
              </button>
            ))}
          </div>
        </div>

        {sections.map((section) => {
          const shown = section.dishes.filter(matches);
          return (
            <section key={section.id} id={section.id} className="menu-section">
              <header className="menu-section-head">
                <h2>{section.name}</h2>
                <p className="muted">{section.blurb}</p>
              </header>
              {shown.length === 0 ? (
                <p className="muted no-dishes">Nothing in this section matches your filters.</p>
              ) : (
                <ul className="dishes">
                  {shown.map((dish) => {
                    const qty = order[dish.id] ?? 0;
                    return (
                      <li key={dish.id} className={qty > 0 ? "dish dish-picked" : "dish"}>
                        <div className="dish-text">
                          <h3>
                            {dish.name}
                            {dish.popular ? <span className="badge">Popular</span> : null}
                          </h3>
                          <p className="muted">{dish.desc}</p>
                          <p className="dish-badges">
                            {dish.badges.map((badge) => (
                              <span key={badge} className={`diet diet-${badge}`} title={badgeInfo[badge].label}>
                                {badgeInfo[badge].short}
                              </span>
                            ))}
                          </p>
                        </div>
                        <div className="dish-buy">
                          <span className="dish-price">{price(dish.price)}</span>
                          {qty === 0 ? (
                            <button type="button" className="btn btn-ghost btn-sm" onClick={() => change(dish.id, 1)}>
                              Add
                            </button>
                          ) : (
                            <span className="stepper">
                              <button type="button" aria-label={`Remove one ${dish.name}`} onClick={() => change(dish.id, -1)}>
                                &minus;
                              </button>
                              <span aria-live="polite">{qty}</span>
                              <button type="button" aria-label={`Add one ${dish.name}`} onClick={() => change(dish.id, 1)}>
                                +
                              </button>
                            </span>
                          )}
                        </div>
                      </li>
                    );
                  })}
                </ul>
              )}
            </section>
          );
        })}

        <p className="legend muted">
          {(Object.keys(badgeInfo) as Badge[]).map((badge) => (
            <span key={badge}>
              <span className={`diet diet-${badge}`}>{badgeInfo[badge].short}</span> {badgeInfo[badge].label}
            </span>
          ))}
        </p>
      </div>

      <aside className="order card" aria-label="Order summary">
        <h2>Your order</h2>
        <div className="order-mode" role="radiogroup" aria-label="Pickup or delivery">
          {(["pickup", "delivery"] as const).map((value) => (
            <button
              key={value}
              type="button"
              role="radio"
              aria-checked={mode === value}
              className={mode === value ? "mode active" : "mode"}
              onClick={() => setMode(value)}
            >
              {value === "pickup" ? "Pickup" : "Delivery"}
            </button>
          ))}
        </div>
        {placed ? (
          <p className="order-placed" role="status">
            Thank you! Order <strong>{placed}</strong> is in the kitchen. {mode === "pickup" ? "Ready in about 20 minutes." : "Arriving in about 40 minutes."}
          </p>
        ) : null}
        {lines.length === 0 ? (
          <p className="muted order-empty">Your basket is empty. Add a dish to get started.</p>
        ) : (
          <ul className="order-lines">
            {lines.map(({ dish, qty }) => (
              <li key={dish.id}>
                <span className="order-qty">{qty}&times;</span>
                <span className="order-name">{dish.name}</span>
                <span>{price(dish.price * qty)}</span>
                <button type="button" className="order-remove" aria-label={`Remove ${dish.name}`} onClick={() => change(dish.id, -qty)}>
                  &times;
                </button>
              </li>
            ))}
          </ul>
        )}
        <dl className="totals">
          <div>
            <dt>Subtotal</dt>
            <dd>{price(subtotal)}</dd>
          </div>
          <div>
            <dt>Service ({service}%)</dt>
            <dd>{price(serviceCharge)}</dd>
          </div>
          {mode === "delivery" ? (
            <div>
              <dt>Delivery</dt>
              <dd>{price(delivery)}</dd>
            </div>
          ) : null}
          <div className="total">
            <dt>Total</dt>
            <dd>{price(total)}</dd>
          </div>
        </dl>
        <button type="button" className="btn btn-primary order-button" disabled={count === 0} onClick={place}>
          Place order{count > 0 ? ` \u00b7 ${count} item${count > 1 ? "s" : ""}` : ""}
        </button>
      </aside>
    </div>
  );
}
