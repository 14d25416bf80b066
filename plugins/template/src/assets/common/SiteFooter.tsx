import { site } from "../app/data";

export default function SiteFooter() {
  return (
    <footer className="site-footer">
      <div className="container footer-row">
        <div>
          <a className="brand" href="#top">
            <span className="brand-mark" aria-hidden="true">
              {site.brand.charAt(0)}
            </span>
            <span>{site.brand}</span>
          </a>
          <p className="footer-note">{site.footer}</p>
        </div>
        <nav className="footer-nav" aria-label="Footer">
          {site.nav.map((link) => (
            <a key={link.label} href={link.href}>
              {link.label}
            </a>
          ))}
        </nav>
        <p className="footer-legal">&copy; {site.brand}. All rights reserved.</p>
      </div>
    </footer>
  );
}
