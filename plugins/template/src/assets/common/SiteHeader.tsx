import { site } from "../app/data";

export default function SiteHeader() {
  return (
    <header className="site-header">
      <div className="container header-row">
        <a className="brand" href="#top">
          <span className="brand-mark" aria-hidden="true">
            {site.brand.charAt(0)}
          </span>
          <span>{site.brand}</span>
        </a>
        <nav className="site-nav" aria-label="Main">
          {site.nav.map((link) => (
            <a key={link.label} href={link.href}>
              {link.label}
            </a>
          ))}
        </nav>
        <a className="btn btn-primary btn-sm" href={site.cta.href}>
          {site.cta.label}
        </a>
      </div>
    </header>
  );
}
