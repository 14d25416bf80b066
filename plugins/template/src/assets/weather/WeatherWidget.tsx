"use client";

import { useState, type FormEvent } from "react";
import type { City, Condition } from "../app/data";

type Unit = "c" | "f";

const labels: Record<Condition, string> = {
  sun: "Sunny",
  partly: "Partly cloudy",
  cloud: "Cloudy",
  rain: "Light rain",
  storm: "Thunderstorms",
  snow: "Snow showers",
};
const conditions: Condition[] = ["sun", "partly", "cloud", "rain", "storm", "snow"];
const dayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];

/** A stable forecast for a place not in the list, so every search shows something. */
function forecastFor(name: string, template: City): City {
  let seed = 0;
  for (const char of name.toLowerCase()) seed = (seed * 31 + char.charCodeAt(0)) >>> 0;
  const next = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return seed / 4294967296;
  };
  const base = Math.round(next() * 30 - 2);
  const pick = (): Condition => {
    const condition = conditions[Math.floor(next() * conditions.length)];
    return condition === "snow" && base > 4 ? "cloud" : condition;
  };
  const condition = pick();
  return {
    name: name.trim().replace(/\b\w/g, (letter) => letter.toUpperCase()),
    country: "",
    temp: base,
    condition,
    feels: base - Math.round(next() * 3),
    humidity: Math.round(40 + next() * 50),
    wind: Math.round(5 + next() * 30),
    uv: Math.round(next() * 8),
    days: template.days.map((day) => {
      const high = base + Math.round(next() * 6 - 2);
      const sky = pick();
      const wet = sky === "rain" || sky === "storm" || sky === "snow";
      const rain = Math.round(wet ? 55 + next() * 40 : sky === "sun" ? next() * 10 : 10 + next() * 30);
      return { day: day.day, condition: sky, high, low: high - 4 - Math.round(next() * 5), rain };
    }),
    hours: template.hours.map((hour, index) => ({
      hour: hour.hour,
      condition: index === 0 ? condition : pick(),
      temp: base + Math.round(Math.sin(index / 2) * 3),
    })),
  };
}

export function WeatherIcon({ condition, size = 56 }: { condition: Condition; size?: number }) {
  const sun = <circle cx="26" cy="24" r="10" className="wx-sun" />;
  const rays = (
    <g className="wx-rays">
      {[0, 45, 90, 135, 180, 225, 270, 315].map((angle) => (
        <line key={angle} x1="26" y1="7" x2="26" y2="2" transform={`rotate(${angle} 26 24)`} />
      ))}
    </g>
  );
  const cloud = (
    <path className="wx-cloud" d="M20 46h26a10 10 0 0 0 0-20 14 14 0 0 0-27-2 11 11 0 0 0 1 22Z" />
  );
  return (
    <svg width={size} height={size} viewBox="0 0 64 64" aria-label={labels[condition]} role="img" className="wx">
      {condition === "sun" ? (
        <g transform="translate(6 8)">
          {rays}
          {sun}
        </g>
      ) : null}
      {condition === "partly" ? (
        <>
          <g transform="translate(-4 -4) scale(0.9)">
            {rays}
            {sun}
          </g>
          <g transform="translate(4 4)">{cloud}</g>
        </>
      ) : null}
      {condition === "cloud" ? (
        <>
          <g transform="translate(8 -6) scale(0.8)" opacity="0.55">
            {cloud}
          </g>
          {cloud}
        </>
      ) : null}
      {condition === "rain" || condition === "storm" || condition === "snow" ? (
        <g transform="translate(0 -6)">{cloud}</g>
      ) : null}
      {condition === "rain" ? (
        <g className="wx-rain">
          <line x1="24" y1="46" x2="21" y2="54" />
          <line x1="33" y1="46" x2="30" y2="54" />
          <line x1="42" y1="46" x2="39" y2="54" />
        </g>
      ) : null}
      {condition === "storm" ? <path className="wx-bolt" d="M34 42 26 53h6l-3 9 10-13h-6l3-7Z" /> : null}
      {condition === "snow" ? (
        <g className="wx-snow">
          <circle cx="24" cy="50" r="2.2" />
          <circle cx="33" cy="55" r="2.2" />
          <circle cx="42" cy="50" r="2.2" />
        </g>
      ) : null}
    </svg>
  );
}

export default function WeatherWidget({ cities }: { cities: City[] }) {
  const [city, setCity] = useState<City>(cities[0]);
  const [query, setQuery] = useState("");
  const [unit, setUnit] = useState<Unit>("c");
  const [note, setNote] = useState("");

  const t = (celsius: number) => Math.round(unit === "c" ? celsius : (celsius * 9) / 5 + 32);
  const lowest = Math.min(...city.days.map((day) => day.low));
  const highest = Math.max(...city.days.map((day) => day.high));

  function search(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const wanted = query.trim().toLowerCase();
    if (!wanted) return;
    const known = cities.find((candidate) => candidate.name.toLowerCase().startsWith(wanted));
    setCity(known ?? forecastFor(query, cities[0]));
    setNote(known ? "" : "Estimated forecast from the nearest stations.");
    setQuery("");
  }

  return (
    <div className="weather card">
      <form className="weather-search" onSubmit={search} role="search">
        <input
          className="input"
          list="weather-cities"
          placeholder="Search a city, e.g. Lisbon"
          aria-label="City"
          value={query}
          onChange={(event) => setQuery(event.target.value)}
        />
        <datalist id="weather-cities">
          {cities.map((candidate) => (
            <option key={candidate.name} value={candidate.name} />
          ))}
        </datalist>
        <button type="submit" className="btn btn-primary">
          Search
        </button>
      </form>

      <div className="now">
        <div>
          <p className="now-place">
            {city.name}
            {city.country ? <span className="muted">, {city.country}</span> : null}
          </p>
          <p className="now-temp">
            {t(city.temp)}&deg;
            <span className="unit-toggle" role="radiogroup" aria-label="Units">
              {(["c", "f"] as Unit[]).map((value) => (
                <button
                  key={value}
                  type="button"
                  role="radio"
                  aria-checked={unit === value}
                  className={unit === value ? "unit active" : "unit"}
                  onClick={() => setUnit(value)}
                >
                  &deg;{value.toUpperCase()}
                </button>
              ))}
            </span>
          </p>
          <p className="now-condition">
            {labels[city.condition]} &middot; feels like {t(city.feels)}&deg;
          </p>
          {note ? <p className="muted now-note">{note}</p> : null}
        </div>
        <WeatherIcon condition={city.condition} size={120} />
      </div>

      <dl className="now-facts">
        <div>
          <dt>Humidity</dt>
          <dd>{city.humidity}%</dd>
        </div>
        <div>
          <dt>Wind</dt>
          <dd>{unit === "c" ? `${city.wind} km/h` : `${Math.round(city.wind * 0.621)} mph`}</dd>
        </div>
        <div>
          <dt>UV index</dt>
          <dd>{city.uv}</dd>
        </div>
      </dl>

      <ol className="hours" aria-label="Next hours">
        {city.hours.map((hour) => (
          <li key={hour.hour}>
            <span className="muted">{hour.hour}</span>
            <WeatherIcon condition={hour.condition} size={34} />
            <strong>{t(hour.temp)}&deg;</strong>
          </li>
        ))}
      </ol>

      <ol className="days" aria-label="Five-day forecast">
        {city.days.map((day) => {
          const left = ((day.low - lowest) / Math.max(1, highest - lowest)) * 100;
          const width = ((day.high - day.low) / Math.max(1, highest - lowest)) * 100;
          return (
            <li key={day.day} className="day">
              <strong className="day-name">{day.day}</strong>
              <WeatherIcon condition={day.condition} size={38} />
              <span className="day-rain">{day.rain > 20 ? `${day.rain}%` : ""}</span>
              <span className="day-low muted">{t(day.low)}&deg;</span>
              <span className="range" aria-hidden="true">
                <span style={{ left: `${left}%`, width: `${Math.max(8, width)}%` }} />
              </span>
              <span className="day-high">{t(day.high)}&deg;</span>
            </li>
          );
        })}
      </ol>
      <p className="muted days-note">Updated a few minutes ago &middot; {dayNames.length} day outlook available in the app</p>
    </div>
  );
}
