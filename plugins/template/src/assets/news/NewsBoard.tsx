"use client";

import { useState, type FormEvent } from "react";
import { site, type Comment, type Story } from "../app/data";

type View = "top" | "new" | "ask" | "show" | "jobs";

const views: { id: View; label: string }[] = [
  { id: "new", label: "new" },
  { id: "ask", label: "ask" },
  { id: "show", label: "show" },
  { id: "jobs", label: "jobs" },
];

function countComments(comments: Comment[]): number {
  return comments.reduce((total, comment) => total + 1 + countComments(comment.replies), 0);
}

function visible(stories: Story[], view: View): Story[] {
  switch (view) {
    case "new":
      return [...stories].sort((a, b) => a.minutes - b.minutes);
    case "ask":
      return stories.filter((story) => story.kind === "ask");
    case "show":
      return stories.filter((story) => story.kind === "show");
    case "jobs":
      return stories.filter((story) => story.kind === "job");
    default:
      return stories;
  }
}

function Thread({ comments, depth }: { comments: Comment[]; depth: number }) {
  const [collapsed, setCollapsed] = useState<Record<number, boolean>>({});

  return (
    <ul className={depth === 0 ? "thread" : "thread thread-nested"}>
      {comments.map((comment) => {
        const hidden = collapsed[comment.id] ?? false;
        return (
          <li key={comment.id} className="comment">
            <div className="comment-head">
              <span className="comment-by">{comment.by}</span>
              <span>{comment.age}</span>
              <button
                type="button"
                className="link-button"
                onClick={() => setCollapsed({ ...collapsed, [comment.id]: !hidden })}
              >
                {hidden ? `[${countComments(comment.replies) + 1} more]` : "[\u2013]"}
              </button>
            </div>
            {hidden ? null : (
              <>
                <p className="comment-text">{comment.text}</p>
                {comment.replies.length > 0 ? (
                  <Thread comments={comment.replies} depth={depth + 1} />
                ) : null}
              </>
            )}
          </li>
        );
      })}
    </ul>
  );
}

export default function NewsBoard({ stories }: { stories: Story[] }) {
  const [view, setView] = useState<View>("top");
  const [votes, setVotes] = useState<Record<number, boolean>>({});
  const [open, setOpen] = useState<number | null>(null);
  const [added, setAdded] = useState<Record<number, Comment[]>>({});
  const [draft, setDraft] = useState("");

  const list = visible(stories, view);

  function toggleVote(id: number) {
    setVotes({ ...votes, [id]: !votes[id] });
  }

  function addComment(event: FormEvent<HTMLFormElement>, id: number) {
    event.preventDefault();
    const text = draft.trim();
    if (!text) return;
    const comment: Comment = { id: Date.now(), by: "you", age: "just now", text, replies: [] };
    setAdded({ ...added, [id]: [comment, ...(added[id] ?? [])] });
    setDraft("");
  }

  return (
    <div className="hn">
      <header className="hn-bar">
        <button type="button" className="hn-logo" onClick={() => setView("top")}>
          <span className="hn-mark" aria-hidden="true">
            {site.brand.charAt(0)}
          </span>
          <strong>{site.brand}</strong>
        </button>
        <nav className="hn-nav" aria-label="Sections">
          {views.map((item) => (
            <button
              key={item.id}
              type="button"
              className={view === item.id ? "hn-tab hn-tab-active" : "hn-tab"}
              onClick={() => setView(item.id)}
            >
              {item.label}
            </button>
          ))}
          <a href="#submit">submit</a>
        </nav>
        <a className="hn-login" href="#login">
          login
        </a>
      </header>

      <main className="hn-main">
        <ol className="stories">
          {list.map((story, index) => {
            const voted = votes[story.id] ?? false;
            const extra = added[story.id] ?? [];
            const comments = [...extra, ...story.comments];
            const total = countComments(comments);
            return (
              <li key={story.id} className="story">
                <span className="story-rank">{index + 1}.</span>
                <button
                  type="button"
                  className={voted ? "vote vote-done" : "vote"}
                  aria-label={voted ? "Remove upvote" : "Upvote"}
                  aria-pressed={voted}
                  onClick={() => toggleVote(story.id)}
                >
                  &#9650;
                </button>
                <div className="story-body">
                  <div className="story-title">
                    <a href="#top">{story.title}</a>
                    {story.domain ? <span className="story-domain">({story.domain})</span> : null}
                  </div>
                  <div className="story-meta">
                    {story.kind === "job" ? null : (
                      <>
                        <span className={voted ? "points points-up" : "points"}>
                          {story.points + (voted ? 1 : 0)} points
                        </span>{" "}
                        by <span className="story-by">{story.by}</span>{" "}
                      </>
                    )}
                    <span>{story.age}</span>
                    {story.kind === "job" ? null : (
                      <>
                        {" | "}
                        <button
                          type="button"
                          className="link-button"
                          onClick={() => setOpen(open === story.id ? null : story.id)}
                        >
                          {total === 0 ? "discuss" : `${total}\u00a0comments`}
                        </button>
                      </>
                    )}
                  </div>
                  {open === story.id ? (
                    <section className="discussion" aria-label="Comments">
                      <form className="reply-form" onSubmit={(event) => addComment(event, story.id)}>
                        <textarea
                          className="reply-box"
                          rows={3}
                          value={draft}
                          placeholder="Add a comment"
                          onChange={(event) => setDraft(event.target.value)}
                        />
                        <button type="submit" className="reply-button">
                          add comment
                        </button>
                      </form>
                      {comments.length > 0 ? (
                        <Thread comments={comments} depth={0} />
                      ) : (
                        <p className="empty">No comments yet. Start the discussion.</p>
                      )}
                    </section>
                  ) : null}
                </div>
              </li>
            );
          })}
        </ol>
        <button type="button" className="more link-button">
          More
        </button>
      </main>

      <footer className="hn-footer">
        <nav aria-label="Footer">
          <a href="#guidelines">Guidelines</a> | <a href="#faq">FAQ</a> |{" "}
          <a href="#lists">Lists</a> | <a href="#api">API</a> | <a href="#security">Security</a>{" "}
          | <a href="#legal">Legal</a> | <a href="#contact">Contact</a>
        </nav>
        <label className="hn-search">
          Search: <input type="search" className="hn-search-input" />
        </label>
        <p>{site.footer}</p>
      </footer>
    </div>
  );
}
