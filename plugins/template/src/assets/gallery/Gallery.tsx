"use client";

import { useEffect, useState } from "react";
import type { Photo, Scene } from "../app/data";

function Artwork({ scene, hue, ratio }: { scene: Scene; hue: number; ratio: number }) {
  const height = Math.round(400 * ratio);
  const sky = `hsl(${hue} 55% 72%)`;
  const deep = `hsl(${(hue + 20) % 360} 45% 30%)`;
  const mid = `hsl(${(hue + 340) % 360} 40% 48%)`;
  const warm = `hsl(${(hue + 30) % 360} 80% 70%)`;
  const id = `g-${scene}-${hue}-${ratio}`.replace(/\./g, "");
  return (
    <svg viewBox={`0 0 400 ${height}`} className="artwork" aria-hidden="true" preserveAspectRatio="xMidYMid slice">
      <defs>
        <linearGradient id={id} x1="0" y1="0" x2="0" y2="1">
          <stop offset="0" stopColor={sky} />
          <stop offset="1" stopColor={warm} />
        </linearGradient>
      </defs>
      <rect width="400" height={height} fill={`url(#${id})`} />
      {scene === "landscape" ? (
        <>
          <circle cx="290" cy={height * 0.35} r="46" fill="#fff6e0" opacity="0.9" />
          <path d={`M0 ${height * 0.7} L90 ${height * 0.45} L170 ${height * 0.62} L260 ${height * 0.4} L400 ${height * 0.66} V${height} H0Z`} fill={mid} />
          <path d={`M0 ${height * 0.82} C120 ${height * 0.72} 260 ${height * 0.9} 400 ${height * 0.78} V${height} H0Z`} fill={deep} />
        </>
      ) : null}
      {scene === "portrait" ? (
        <>
          <circle cx="200" cy={height * 0.42} r="70" fill={deep} />
          <path d={`M70 ${height} C80 ${height * 0.68} 320 ${height * 0.68} 330 ${height} Z`} fill={deep} />
          <circle cx="320" cy={height * 0.18} r="26" fill="#ffffff" opacity="0.35" />
        </>
      ) : null}
      {scene === "street" ? (
        <>
          {[0, 1, 2, 3, 4].map((index) => {
            const w = 70 + ((index * 37) % 40);
            const top = height * (0.25 + ((index * 13) % 30) / 100);
            const x = index * 82 - 10;
            return (
              <g key={index}>
                <rect x={x} y={top} width={w} height={height - top} fill={index % 2 ? deep : mid} />
                {[0, 1, 2, 3, 4, 5].map((windowIndex) => (
                  <rect
                    key={windowIndex}
                    x={x + 12 + (windowIndex % 2) * 26}
                    y={top + 16 + Math.floor(windowIndex / 2) * 34}
                    width="14"
                    height="18"
                    fill="#fff3c4"
                    opacity={(windowIndex + index) % 3 === 0 ? 0.9 : 0.25}
                  />
                ))}
              </g>
            );
          })}
        </>
      ) : null}
      {scene === "wedding" ? (
        <>
          <circle cx="170" cy={height * 0.5} r="62" fill="none" stroke="#fff8e8" strokeWidth="14" />
          <circle cx="235" cy={height * 0.5} r="62" fill="none" stroke={warm} strokeWidth="14" />
          {[0, 1, 2, 3, 4, 5, 6].map((index) => (
            <circle key={index} cx={40 + index * 55} cy={height * 0.15 + (index % 3) * 18} r="6" fill="#ffffff" opacity="0.6" />
          ))}
        </>
      ) : null}
      {scene === "nature" ? (
        <>
          {[0, 1, 2, 3, 4, 5, 6].map((index) => (
            <path
              key={index}
              d={`M${30 + index * 56} ${height} C${10 + index * 56} ${height * 0.6} ${60 + index * 56} ${height * 0.45} ${40 + index * 56} ${height * (0.25 + (index % 3) * 0.08)}`}
              stroke={index % 2 ? deep : mid}
              strokeWidth="10"
              fill="none"
              strokeLinecap="round"
            />
          ))}
          <circle cx="90" cy={height * 0.2} r="30" fill="#fff6e0" opacity="0.8" />
        </>
      ) : null}
      {scene === "abstract" ? (
        <>
          <rect x="60" y={height * 0.2} width="180" height="180" fill={deep} transform={`rotate(12 150 ${height * 0.4})`} />
          <circle cx="260" cy={height * 0.6} r="90" fill={mid} opacity="0.9" />
          <rect x="40" y={height * 0.75} width="320" height="10" fill="#ffffff" opacity="0.6" />
        </>
      ) : null}
    </svg>
  );
}

export default function Gallery({ photos, categories }: { photos: Photo[]; categories: string[] }) {
  const [filter, setFilter] = useState("All");
  const [open, setOpen] = useState<number | null>(null);

  const shown = filter === "All" ? photos : photos.filter((photo) => photo.category === filter);
  const current = open === null ? null : shown[open] ?? null;

  useEffect(() => {
    if (open === null) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "Escape") setOpen(null);
      if (event.key === "ArrowRight") setOpen((index) => (index === null ? null : (index + 1) % shown.length));
      if (event.key === "ArrowLeft") setOpen((index) => (index === null ? null : (index - 1 + shown.length) % shown.length));
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [open, shown.length]);

  return (
    <>
      <div className="filters" role="toolbar" aria-label="Filter by category">
        {["All", ...categories].map((category) => {
          const count = category === "All" ? photos.length : photos.filter((photo) => photo.category === category).length;
          return (
            <button
              key={category}
              type="button"
              className="chip"
              aria-pressed={filter === category}
              onClick={() => {
                setFilter(category);
                setOpen(null);
              }}
            >
              {category} <span className="chip-count">{count}</span>
            </button>
          );
        })}
      </div>

      <div className="masonry">
        {shown.map((photo, index) => (
          <button key={photo.id} type="button" className="tile" onClick={() => setOpen(index)} aria-label={`Open ${photo.title}`}>
            <Artwork scene={photo.scene} hue={photo.hue} ratio={photo.ratio} />
            <span className="tile-caption">
              <strong>{photo.title}</strong>
              <span>
                {photo.place}, {photo.year}
              </span>
            </span>
          </button>
        ))}
      </div>

      {current ? (
        <div className="lightbox" role="dialog" aria-modal="true" aria-label={current.title} onClick={() => setOpen(null)}>
          <figure className="lightbox-figure" onClick={(event) => event.stopPropagation()}>
            <Artwork scene={current.scene} hue={current.hue} ratio={current.ratio} />
            <figcaption>
              <strong>{current.title}</strong>
              <span>
                {current.category} &middot; {current.place}, {current.year}
              </span>
              <span className="lightbox-count">
                {(open ?? 0) + 1} / {shown.length}
              </span>
            </figcaption>
          </figure>
          <button
            type="button"
            className="lightbox-nav lightbox-prev"
            aria-label="Previous"
            onClick={(event) => {
              event.stopPropagation();
              setOpen(((open ?? 0) - 1 + shown.length) % shown.length);
            }}
          >
            &#8249;
          </button>
          <button
            type="button"
            className="lightbox-nav lightbox-next"
            aria-label="Next"
            onClick={(event) => {
              event.stopPropagation();
              setOpen(((open ?? 0) + 1) % shown.length);
            }}
          >
            &#8250;
          </button>
          <button type="button" className="lightbox-close" aria-label="Close" onClick={() => setOpen(null)}>
            &times;
          </button>
        </div>
      ) : null}
    </>
  );
}
