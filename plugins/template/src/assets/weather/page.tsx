import Icon from "../components/Icon";
import SiteFooter from "../components/SiteFooter";
import SiteHeader from "../components/SiteHeader";
import WeatherWidget from "../components/WeatherWidget";
import { cities, weather } from "./data";

export default function Home() {
  return (
    <>
      <SiteHeader />
      <main id="top">
        <section className="sky">
          <div className="container sky-inner">
            <div className="sky-copy">
              <span className="eyebrow">{weather.eyebrow}</span>
              <h1 className="sky-title">{weather.headline}</h1>
              <p className="lead">{weather.lead}</p>
            </div>
            <WeatherWidget cities={cities} />
          </div>
        </section>

        <section id="features" className="section container">
          <div className="section-head">
            <span className="eyebrow">Features</span>
            <h2>Everything you need to plan your day</h2>
          </div>
          <div className="weather-features">
            {weather.features.map((feature) => (
              <article key={feature.title} className="weather-feature card">
                <span className="feature-icon">
                  <Icon name={feature.icon} />
                </span>
                <h3>{feature.title}</h3>
                <p className="muted">{feature.text}</p>
              </article>
            ))}
          </div>
        </section>

        <section id="download" className="section">
          <div className="container download card">
            <div>
              <h2 className="h2">Take the forecast with you</h2>
              <p className="lead">
                {weather.rating} &middot; {weather.downloads}
              </p>
            </div>
            <div className="store-buttons">
              <a className="btn btn-primary" href="#download">
                <Icon name="play" size={18} /> Get it on Android
              </a>
              <a className="btn btn-ghost" href="#download">
                <Icon name="star" size={18} /> Download for iPhone
              </a>
            </div>
          </div>
        </section>
      </main>
      <SiteFooter />
    </>
  );
}
