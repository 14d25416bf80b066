import HeroArt from "../components/HeroArt";
import Icon from "../components/Icon";
import SiteFooter from "../components/SiteFooter";
import SiteHeader from "../components/SiteHeader";
import Signup from "../components/Signup";
import {
  features,
  featuresHead,
  hero,
  offers,
  offersHead,
  quotes,
  quotesHead,
  signup,
  site,
  stats,
  visit,
} from "./data";

export default function Home() {
  return (
    <>
      <SiteHeader />
      <main id="top">
        <section className="hero">
          <div className="container hero-grid">
            <div className="hero-copy">
              <span className="eyebrow">{hero.eyebrow}</span>
              <h1 className="hero-title">{hero.headline}</h1>
              <p className="hero-lead">{hero.lead}</p>
              <div className="hero-actions">
                <a className="btn btn-primary" href={hero.primary.href}>
                  {hero.primary.label}
                  <span aria-hidden="true">&rarr;</span>
                </a>
                <a className="btn btn-ghost" href={hero.secondary.href}>
                  {hero.secondary.label}
                </a>
              </div>
              <p className="hero-note">{hero.note}</p>
            </div>
            <div className="hero-visual">
              <HeroArt motif={hero.motif} initial={site.brand.charAt(0)} />
              <div className="hero-card card">
                <span className="hero-stars" aria-label="Rated 5 out of 5">
                  &#9733;&#9733;&#9733;&#9733;&#9733;
                </span>
                <strong>{hero.card.title}</strong>
                <span className="muted">{hero.card.text}</span>
              </div>
            </div>
          </div>
          <div className="container stats">
            {stats.map((stat) => (
              <div key={stat.label} className="stat">
                <strong>{stat.value}</strong>
                <span>{stat.label}</span>
              </div>
            ))}
          </div>
        </section>

        <section id="about" className="section">
          <div className="container">
            <div className="section-head">
              <span className="eyebrow">{featuresHead.eyebrow}</span>
              <h2>{featuresHead.title}</h2>
              <p>{featuresHead.lead}</p>
            </div>
            <div className="feature-grid">
              {features.map((feature) => (
                <article key={feature.title} className="feature card">
                  <span className="feature-icon">
                    <Icon name={feature.icon} />
                  </span>
                  <h3>{feature.title}</h3>
                  <p className="muted">{feature.text}</p>
                </article>
              ))}
            </div>
          </div>
        </section>

        <section id="offer" className="section section-alt">
          <div className="container offer-layout">
            <div className="section-head">
              <span className="eyebrow">{offersHead.eyebrow}</span>
              <h2>{offersHead.title}</h2>
              <p>{offersHead.lead}</p>
            </div>
            <ul className="offer-list">
              {offers.map((offer) => (
                <li key={offer.name} className="offer">
                  <div>
                    <h3>
                      {offer.name}
                      {offer.tag ? <span className="badge">{offer.tag}</span> : null}
                    </h3>
                    <p className="muted">{offer.text}</p>
                  </div>
                  <span className="offer-price">{offer.price}</span>
                </li>
              ))}
            </ul>
          </div>
        </section>

        <section id="reviews" className="section">
          <div className="container">
            <div className="section-head">
              <span className="eyebrow">{quotesHead.eyebrow}</span>
              <h2>{quotesHead.title}</h2>
            </div>
            <div className="quote-grid">
              {quotes.map((quote) => (
                <figure key={quote.name} className="quote card">
                  <blockquote>&ldquo;{quote.text}&rdquo;</blockquote>
                  <figcaption>
                    <span className="avatar" aria-hidden="true">
                      {quote.name.charAt(0)}
                    </span>
                    <span>
                      <strong>{quote.name}</strong>
                      <span className="muted">{quote.role}</span>
                    </span>
                  </figcaption>
                </figure>
              ))}
            </div>
          </div>
        </section>

        <section id="visit" className="section section-alt">
          <div className="container visit-grid">
            <div className="visit card">
              <span className="eyebrow">
                <Icon name="map" size={16} /> {visit.title}
              </span>
              <p className="visit-text">{visit.text}</p>
              <address>
                {visit.address.map((line) => (
                  <span key={line}>{line}</span>
                ))}
              </address>
              <dl className="hours">
                {visit.hours.map((row) => (
                  <div key={row.days}>
                    <dt>{row.days}</dt>
                    <dd>{row.time}</dd>
                  </div>
                ))}
              </dl>
            </div>
            <Signup {...signup} />
          </div>
        </section>
      </main>
      <SiteFooter />
    </>
  );
}
