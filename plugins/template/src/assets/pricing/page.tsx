import Icon from "../components/Icon";
import PricingTable from "../components/PricingTable";
import SiteFooter from "../components/SiteFooter";
import SiteHeader from "../components/SiteHeader";
import { compare, faqs, pricing, tiers } from "./data";

export default function Home() {
  return (
    <>
      <SiteHeader />
      <main id="top">
        <section className="container pricing-hero">
          <span className="eyebrow">{pricing.eyebrow}</span>
          <h1 className="pricing-title">{pricing.headline}</h1>
          <p className="lead">{pricing.lead}</p>
        </section>

        <section id="plans" className="container" aria-label="Plans">
          <PricingTable tiers={tiers} discount={pricing.discount} />
          <p className="guarantee muted">
            <Icon name="shield" size={18} /> {pricing.guarantee}
          </p>
        </section>

        <section className="container logos" aria-label="Customers">
          <p className="muted">Trusted by teams at</p>
          <div className="logo-row">
            {pricing.logos.map((logo) => (
              <span key={logo} className="logo-word">
                {logo}
              </span>
            ))}
          </div>
        </section>

        <section id="compare" className="section container">
          <div className="section-head">
            <span className="eyebrow">Compare</span>
            <h2>Every feature, side by side</h2>
          </div>
          <div className="compare-wrap card">
            <table className="compare">
              <thead>
                <tr>
                  <th scope="col">Feature</th>
                  {tiers.map((tier) => (
                    <th key={tier.name} scope="col" className={tier.highlight ? "compare-highlight" : undefined}>
                      {tier.name}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {compare.map((row) => (
                  <tr key={row.feature}>
                    <th scope="row">{row.feature}</th>
                    {row.values.map((value, index) => (
                      <td key={index} className={tiers[index]?.highlight ? "compare-highlight" : undefined}>
                        {value === true ? (
                          <span className="yes" aria-label="Included">
                            <Icon name="check" size={18} />
                          </span>
                        ) : value === false ? (
                          <span className="no" aria-label="Not included">
                            &ndash;
                          </span>
                        ) : (
                          value
                        )}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </section>

        <section id="faq" className="section section-faq">
          <div className="container faq-layout">
            <div className="section-head">
              <span className="eyebrow">FAQ</span>
              <h2>Questions, answered</h2>
              <p>Still unsure? Our team replies within a few hours, every day.</p>
            </div>
            <div className="faqs">
              {faqs.map((faq) => (
                <details key={faq.q} className="faq">
                  <summary>{faq.q}</summary>
                  <p className="muted">{faq.a}</p>
                </details>
              ))}
            </div>
          </div>
        </section>
      </main>
      <SiteFooter />
    </>
  );
}
