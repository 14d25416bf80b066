import Dashboard from "../components/Dashboard";
import { channels, dashboard, kpis, months, products } from "./data";

export default function Home() {
  return <Dashboard info={dashboard} kpis={kpis} months={months} products={products} channels={channels} />;
}
