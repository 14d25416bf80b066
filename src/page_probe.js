// What page scorers get to read about a loaded page, gathered in the page itself after it
// loaded and before its screenshot. Returns a JSON string (one value over the protocol).
// Facts only: what counts as good or bad is the scorer plugins' business.
(() => {
  const LIMIT_TEXT = 64 * 1024;
  const LIMIT_LIST = 50;
  const root = document.documentElement;
  const body = document.body;
  const short = (text) => text.replace(/\s+/g, " ").trim().slice(0, 80);

  const imagesWithoutAlt = [...document.querySelectorAll("img:not([alt])")]
    .slice(0, LIMIT_LIST)
    .map((img) => img.getAttribute("src") || "(no src)");

  const headings = [...document.querySelectorAll("h1, h2, h3, h4, h5, h6")]
    .slice(0, LIMIT_LIST * 4)
    .map((h) => `${h.tagName.toLowerCase()}: ${short(h.innerText || h.textContent || "")}`);

  const labelled = (field) => {
    if (field.getAttribute("aria-label") || field.getAttribute("aria-labelledby")) return true;
    if (field.id && document.querySelector(`label[for="${CSS.escape(field.id)}"]`)) return true;
    if (field.closest("label")) return true;
    return Boolean(field.getAttribute("title"));
  };
  const unlabelledFields = [...document.querySelectorAll(
    "input:not([type=hidden]):not([type=submit]):not([type=button]):not([type=reset]):not([type=image]), select, textarea")]
    .filter((field) => !labelled(field))
    .slice(0, LIMIT_LIST)
    .map((field) => field.tagName === "INPUT"
      ? `input type=${field.getAttribute("type") || "text"}`
      : field.tagName.toLowerCase());

  // WCAG relative luminance and contrast, against the first opaque background up the tree.
  // Any CSS colour (rgb(), oklch(), color-mix(), color(srgb ...)) as sRGB bytes: painted
  // on a 1x1 canvas and read back, so every syntax the browser knows is understood alike.
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = 1;
  const paint = canvas.getContext("2d", { willReadFrequently: true });
  const colours = new Map();
  const rgb = (colour) => {
    if (!colour) return null;
    if (colours.has(colour)) return colours.get(colour);
    paint.clearRect(0, 0, 1, 1);
    paint.fillStyle = "#000";
    paint.fillStyle = colour;
    paint.fillRect(0, 0, 1, 1);
    const [r, g, b, alpha] = paint.getImageData(0, 0, 1, 1).data;
    const parsed = { r, g, b, a: alpha / 255 };
    colours.set(colour, parsed);
    return parsed;
  };
  const luminance = ({ r, g, b }) => {
    const channel = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; };
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b);
  };
  const background = (element) => {
    for (let node = element; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.backgroundImage && style.backgroundImage !== "none") return null;
      const colour = rgb(style.backgroundColor);
      if (colour && colour.a >= 0.99) return colour;
    }
    return { r: 255, g: 255, b: 255, a: 1 };
  };
  const lowContrast = [];
  const walker = document.createTreeWalker(body || root, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let node = walker.nextNode(); node && lowContrast.length < LIMIT_LIST; node = walker.nextNode()) {
    const element = node.parentElement;
    if (!element || seen.has(element) || !node.textContent.trim()) continue;
    seen.add(element);
    const style = getComputedStyle(element);
    if (style.visibility === "hidden" || style.display === "none" || +style.opacity === 0) continue;
    const box = element.getBoundingClientRect();
    if (box.width === 0 || box.height === 0) continue;
    const fg = rgb(style.color);
    const bg = background(element);
    if (!fg || !bg || fg.a < 0.5) continue;
    const [light, dark] = [luminance(fg), luminance(bg)].sort((a, b) => b - a);
    const ratio = (light + 0.05) / (dark + 0.05);
    // WCAG AA: 4.5:1, or 3:1 for large text (24 px, or 18.66 px bold).
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && (+style.fontWeight || 400) >= 700);
    if (ratio < (large ? 3 : 4.5)) lowContrast.push(`${short(node.textContent)} (${ratio.toFixed(1)}:1)`);
  }

  return JSON.stringify({
    overflow_px: Math.max(0, Math.round(root.scrollWidth - root.clientWidth)),
    text: ((body && body.innerText) || "").slice(0, LIMIT_TEXT),
    images_without_alt: imagesWithoutAlt,
    headings,
    unlabelled_fields: unlabelledFields,
    low_contrast: lowContrast,
  });
})()
