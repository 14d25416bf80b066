import MenuBoard from "../components/MenuBoard";
import SiteFooter from "../components/SiteFooter";
import SiteHeader from "../components/SiteHeader";
import { restaurant, sections } from "./data";

export default function Home() {
  return (
    <>
      <SiteHeader />
      <main id="top">
        <section className="menu-hero">
          <div className="container menu-hero-inner">
            <span className="eyebrow">{restaurant.cuisine}</span>
            <h1 className="menu-title">{restaurant.tagline}</h1>
            <p className="lead">{restaurant.intro}</p>
            <p className="menu-facts">
              <span>{restaurant.address}</span>
              <span>{restaurant.hours}</span>
              <span>{restaurant.phone}</span>
            </p>
          </div>
        </section>
        <div className="container" id="menu">
          <MenuBoard sections={sections} service={restaurant.service} deliveryFee={restaurant.deliveryFee} />
        </div>
      </main>
      <SiteFooter />
    </>
  );
}
