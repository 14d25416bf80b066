export type Condition = "sun" | "partly" | "cloud" | "rain" | "storm" | "snow";
export type DayForecast = { day: string; condition: Condition; high: number; low: number; rain: number };
export type HourForecast = { hour: string; condition: Condition; temp: number };
/** Temperatures in degrees Celsius, wind in km/h. */
export type City = {
  name: string;
  country: string;
  temp: number;
  condition: Condition;
  feels: number;
  humidity: number;
  wind: number;
  uv: number;
  days: DayForecast[];
  hours: HourForecast[];
};
export type WeatherFeature = { icon: IconName; title: string; text: string };
export type WeatherInfo = {
  eyebrow: string;
  headline: string;
  lead: string;
  features: WeatherFeature[];
  rating: string;
  downloads: string;
};
