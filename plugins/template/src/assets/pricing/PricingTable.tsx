"use client";

import { useState } from "react";
import Icon from "./Icon";
import type { Tier } from "../app/data";

type Billing = "monthly" | "yearly";

export default function PricingTable({ tiers, discount }: { tiers: Tier[]; discount: number }) {
  const [billing, setBilling] = useState<Billing>("monthly");

  return (
    <div className="pricing">
      <div className="billing-toggle" role="radiogroup" aria-label="Billing period">
        {(["monthly", "yearly"] as Billing[]).map((option) => (
          <button
            key={option}
            type="button"
            role="radio"
            aria-checked={billing === option}
            className={billing === option ? "billing-option active" : "billing-option"}
            onClick={() => setBilling(option)}
          >
            {option === "monthly" ? "Monthly" : "Yearly"}
            {option === "yearly" ? <span className="save">Save {discount}%</span> : null}
          </button>
        ))}
      </div>

      <div className="tiers">
        {tiers.map((tier) => {
          const price = billing === "monthly" ? tier.monthly : tier.yearly;
          return (
            <article key={tier.name} className={tier.highlight ? "tier tier-highlight" : "tier"}>
              {tier.highlight ? <span className="tier-flag">Most popular</span> : null}
              <h3 className="tier-name">{tier.name}</h3>
              <p className="tier-blurb">{tier.blurb}</p>
              <p className="tier-price">
                <span className="amount">{price === 0 ? "Free" : `$${price}`}</span>
                {price === 0 ? null : <span className="per">/ month</span>}
              </p>
              <p className="tier-billing">
                {price === 0
                  ? "Free forever, no card needed"
                  : billing === "yearly"
                    ? `$${price * 12} billed yearly`
                    : "Billed monthly, cancel any time"}
              </p>
              <a className={tier.highlight ? "btn btn-primary tier-cta" : "btn btn-ghost tier-cta"} href="#top">
                {tier.cta}
              </a>
              <ul className="tier-features">
                {tier.features.map((feature) => (
                  <li key={feature}>
                    <Icon name="check" size={18} />
                    <span>{feature}</span>
                  </li>
                ))}
              </ul>
            </article>
          );
        })}
      </div>
    </div>
  );
}
