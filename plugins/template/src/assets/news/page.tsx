import NewsBoard from "../components/NewsBoard";
import { stories } from "./data";

export default function Home() {
  return <NewsBoard stories={stories} />;
}
