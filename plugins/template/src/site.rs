//! Putting a site together: the Next.js scaffold around the page a page kind writes.

use crate::js::{Js, Module, arr, obj, quote};
use crate::pages::{self, Ctx, Page};
use crate::rng::{self, Rng};
use crate::style::{self, Palette, Style};
use crate::topic::{self, Topic};
use crate::words;

/// Exact versions, so every run installs the same tree. All exist on the npm registry.
const DEPENDENCIES: &[(&str, &str)] = &[
    ("next", "15.5.29"),
    ("react", "19.2.9"),
    ("react-dom", "19.2.9"),
];
const DEV_DEPENDENCIES: &[(&str, &str)] = &[
    ("@types/node", "22.20.7"),
    ("@types/react", "19.2.18"),
    ("@types/react-dom", "19.2.7"),
    ("typescript", "5.9.3"),
];

const TSCONFIG: &str = include_str!("assets/common/tsconfig.json");
const NEXT_CONFIG: &str = include_str!("assets/common/next.config.mjs");
const NEXT_ENV: &str = include_str!("assets/common/next-env.d.ts");
const LAYOUT: &str = include_str!("assets/common/layout.tsx");
const HEADER: &str = include_str!("assets/common/SiteHeader.tsx");
const FOOTER: &str = include_str!("assets/common/SiteFooter.tsx");
const ICON: &str = include_str!("assets/common/Icon.tsx");
const BASE_CSS: &str = include_str!("assets/common/base.css");
const TYPES: &str = include_str!("assets/common/types.ts");

/// A generated project.
pub struct Site {
    pub topic: Topic,
    pub style: Style,
    /// The page's `<title>`.
    pub title: String,
    /// Relative path and contents of every file, in the order they are written.
    pub files: Vec<(String, String)>,
}

/// The whole project for `prompt` in `style`. Pure: the same arguments give the same files.
pub fn render(prompt: &str, style: Style, seed: u64) -> Site {
    let topic = topic::detect(prompt);
    let prompt_words = words::tokens(prompt);
    let subject = words::subject(prompt);

    let normalised = prompt_words.join(" ");
    let state = rng::hash(&format!("{normalised}\u{0}{}\u{0}{seed}", style.id()));
    let rng = Rng::new(state);
    let palette = Palette::for_prompt(&prompt_words, topic, &subject, &mut rng.fork("palette"));
    let ctx = Ctx {
        prompt_words,
        subject,
        palette,
        rng,
    };

    let page = pages::build(topic, &ctx);
    let title = words::plain(&page.title);
    let files = scaffold(&page, &title, style, palette);
    Site {
        topic,
        style,
        title,
        files,
    }
}

fn scaffold(page: &Page, title: &str, style: Style, palette: Palette) -> Vec<(String, String)> {
    let mut data = Module::new(TYPES);
    data.export("site", "Site", site_value(page, title, style));
    data.append(page.types);
    for (name, ty, value) in &page.exports {
        data.export(name, ty, value.clone());
    }

    let css = format!(
        "{}\n{BASE_CSS}\n{}",
        style::theme_css(style, palette),
        page.css
    );
    let mut files = vec![
        ("package.json".to_string(), package_json(&page.brand)),
        ("tsconfig.json".to_string(), TSCONFIG.to_string()),
        ("next.config.mjs".to_string(), NEXT_CONFIG.to_string()),
        ("next-env.d.ts".to_string(), NEXT_ENV.to_string()),
        ("app/layout.tsx".to_string(), LAYOUT.to_string()),
        ("app/globals.css".to_string(), css),
        ("app/data.ts".to_string(), data.finish()),
        ("app/page.tsx".to_string(), page.page.to_string()),
        ("components/SiteHeader.tsx".to_string(), HEADER.to_string()),
        ("components/SiteFooter.tsx".to_string(), FOOTER.to_string()),
        ("components/Icon.tsx".to_string(), ICON.to_string()),
    ];
    for (path, contents) in &page.components {
        files.push((path.to_string(), contents.to_string()));
    }
    files
}

fn site_value(page: &Page, title: &str, style: Style) -> Js {
    let link =
        |(label, href): &(String, String)| obj([("label", label.into()), ("href", href.into())]);
    obj([
        ("brand", page.brand.as_str().into()),
        ("title", title.into()),
        ("description", page.description.as_str().into()),
        ("dark", style.starts_dark().into()),
        ("nav", arr(page.nav.iter().map(link))),
        ("cta", link(&page.cta)),
        ("footer", page.footer.as_str().into()),
    ])
}

fn package_json(brand: &str) -> String {
    let table = |deps: &[(&str, &str)]| {
        let entries: Vec<String> = deps
            .iter()
            .map(|(name, version)| format!("    {}: {}", quote(name), quote(version)))
            .collect();
        entries.join(",\n")
    };
    let lines = [
        "{".to_string(),
        format!("  \"name\": {},", quote(&words::slug(brand))),
        "  \"version\": \"0.1.0\",".to_string(),
        "  \"private\": true,".to_string(),
        "  \"scripts\": {".to_string(),
        "    \"build\": \"next build\",".to_string(),
        "    \"start\": \"next start\"".to_string(),
        "  },".to_string(),
        "  \"dependencies\": {".to_string(),
        table(DEPENDENCIES),
        "  },".to_string(),
        "  \"devDependencies\": {".to_string(),
        table(DEV_DEPENDENCIES),
        "  }".to_string(),
        "}".to_string(),
    ];
    lines.join("\n") + "\n"
}

/// The sentence before the files.
pub fn intro(site: &Site) -> String {
    format!(
        "Here is \"{}\": a {} as a Next.js 15 App Router project in TypeScript, in the {} \
         style. It uses plain CSS and inline SVG, needs no network at build or run time, and has \
         {} files.",
        site.title,
        site.topic.noun(),
        site.style.id(),
        site.files.len(),
    )
}
