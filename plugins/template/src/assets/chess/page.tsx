import ChessGame from "../components/ChessGame";
import SiteHeader from "../components/SiteHeader";
import { chess } from "./data";

export default function Home() {
  return (
    <>
      <SiteHeader />
      <main className="chess-page" id="top">
        <div className="container chess-intro">
          <span className="eyebrow">{chess.event}</span>
          <h1 className="chess-title">{chess.headline}</h1>
          <p className="lead">{chess.lead}</p>
        </div>
        <div className="container" id="play">
          <ChessGame />
        </div>
        <section className="container chess-tips" id="rules" aria-label="How to play">
          {chess.tips.map((tip, index) => (
            <div key={tip} className="tip card">
              <span className="tip-number">{index + 1}</span>
              <p>{tip}</p>
            </div>
          ))}
        </section>
      </main>
    </>
  );
}
