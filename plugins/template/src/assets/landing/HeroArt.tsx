import type { Motif } from "../app/data";

function Cup() {
  return (
    <g>
      <ellipse className="art-shadow" cx="240" cy="372" rx="150" ry="26" />
      <ellipse className="art-ink" cx="240" cy="352" rx="138" ry="24" />
      <path className="art-accent" d="M128 214h224v60c0 62-50 104-112 104s-112-42-112-104v-60Z" />
      <path className="art-line" d="M352 236h18a40 40 0 0 1 0 80h-24" />
      <ellipse className="art-cream" cx="240" cy="214" rx="112" ry="22" />
      <path className="art-foam" d="M240 200c-18 0-30 8-30 14s14 10 30 4c16 6 30 2 30-4s-12-14-30-14Z" />
      <path className="art-steam" d="M200 170c-16-20 16-34 0-58M240 168c-16-24 18-38 0-66M280 170c-16-20 16-34 0-58" />
    </g>
  );
}

function Leaf() {
  return (
    <g>
      <circle className="art-soft" cx="240" cy="240" r="150" />
      <path className="art-accent" d="M130 350c0-140 90-220 240-230-6 150-90 236-240 230Z" />
      <path className="art-line" d="M130 350c60-60 120-120 200-190M200 280l-6-60M250 236l50 4M170 318l-40-14" />
      <circle className="art-ink" cx="360" cy="330" r="18" />
    </g>
  );
}

function Spark() {
  return (
    <g>
      <rect className="art-panel" x="76" y="96" width="328" height="236" rx="18" />
      <rect className="art-soft" x="76" y="96" width="328" height="38" rx="18" />
      <circle className="art-ink" cx="100" cy="115" r="6" />
      <circle className="art-ink" cx="120" cy="115" r="6" />
      <rect className="art-accent" x="104" y="250" width="34" height="56" rx="6" />
      <rect className="art-accent" x="152" y="214" width="34" height="92" rx="6" />
      <rect className="art-accent" x="200" y="232" width="34" height="74" rx="6" />
      <rect className="art-accent" x="248" y="176" width="34" height="130" rx="6" />
      <rect className="art-soft" x="300" y="160" width="80" height="12" rx="6" />
      <rect className="art-soft" x="300" y="184" width="60" height="12" rx="6" />
      <path className="art-spark" d="M372 338l10 26 26 10-26 10-10 26-10-26-26-10 26-10 10-26Z" />
    </g>
  );
}

function Orbit({ initial }: { initial: string }) {
  return (
    <g>
      <circle className="art-ring" cx="240" cy="240" r="160" />
      <circle className="art-ring" cx="240" cy="240" r="110" />
      <circle className="art-accent" cx="240" cy="240" r="70" />
      <text className="art-initial" x="240" y="262" textAnchor="middle">
        {initial}
      </text>
      <circle className="art-ink" cx="400" cy="240" r="14" />
      <circle className="art-soft-strong" cx="162" cy="146" r="22" />
      <circle className="art-accent-2" cx="300" cy="348" r="12" />
    </g>
  );
}

export default function HeroArt({ motif, initial }: { motif: Motif; initial: string }) {
  return (
    <svg className="hero-art" viewBox="0 0 480 480" role="img" aria-label="Illustration">
      <rect className="art-bg" x="0" y="0" width="480" height="480" rx="40" />
      <circle className="art-soft-strong" cx="400" cy="84" r="46" />
      <circle className="art-dot" cx="70" cy="410" r="8" />
      <circle className="art-dot" cx="100" cy="430" r="5" />
      {motif === "cup" ? <Cup /> : null}
      {motif === "leaf" ? <Leaf /> : null}
      {motif === "spark" ? <Spark /> : null}
      {motif === "orbit" ? <Orbit initial={initial} /> : null}
    </svg>
  );
}
