import Gallery from "../components/Gallery";
import SiteFooter from "../components/SiteFooter";
import SiteHeader from "../components/SiteHeader";
import { artist, categories, photos, services } from "./data";

export default function Home() {
  return (
    <>
      <SiteHeader />
      <main id="top">
        <section className="container folio-hero">
          <span className="eyebrow">
            {artist.role} &middot; {artist.city}
          </span>
          <h1 className="folio-title">{artist.intro}</h1>
          <div className="folio-hero-foot">
            <p className="lead">{artist.about}</p>
            <a className="btn btn-primary" href="#contact">
              Book a session
            </a>
          </div>
        </section>

        <section id="work" className="container folio-work" aria-label="Selected work">
          <Gallery photos={photos} categories={categories} />
        </section>

        <section id="services" className="section section-band">
          <div className="container">
            <div className="section-head">
              <span className="eyebrow">Services</span>
              <h2>Ways to work together</h2>
            </div>
            <div className="services">
              {services.map((service) => (
                <article key={service.name} className="service card">
                  <h3>{service.name}</h3>
                  <p className="muted">{service.text}</p>
                  <strong className="service-price">{service.price}</strong>
                </article>
              ))}
            </div>
            <p className="clients">
              <span className="muted">Selected clients</span>
              {artist.clients.map((client) => (
                <span key={client} className="client">
                  {client}
                </span>
              ))}
            </p>
          </div>
        </section>

        <section id="contact" className="section container contact">
          <div>
            <span className="eyebrow">Contact</span>
            <h2 className="h2">Have a project in mind?</h2>
            <p className="lead">
              Tell me about the date, the place and the feeling you are after. I reply within two
              working days.
            </p>
          </div>
          <a className="contact-mail" href={`mailto:${artist.email}`}>
            {artist.email}
          </a>
        </section>
      </main>
      <SiteFooter />
    </>
  );
}
