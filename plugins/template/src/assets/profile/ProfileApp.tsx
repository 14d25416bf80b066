"use client";

import { useState, type FormEvent } from "react";
import Icon, { type IconName } from "./Icon";
import { posts as initialPosts, profile, site, suggestions, trends } from "../app/data";
import type { Media, Post } from "../app/data";

type Tab = "posts" | "replies" | "media" | "likes";

const tabs: { id: Tab; label: string }[] = [
  { id: "posts", label: "Posts" },
  { id: "replies", label: "Replies" },
  { id: "media", label: "Media" },
  { id: "likes", label: "Likes" },
];

const menu: { icon: IconName; label: string }[] = [
  { icon: "home", label: "Home" },
  { icon: "search", label: "Explore" },
  { icon: "bell", label: "Notifications" },
  { icon: "chat", label: "Messages" },
  { icon: "bookmark", label: "Bookmarks" },
  { icon: "user", label: "Profile" },
];

function compact(value: number): string {
  if (value >= 1_000_000) return `${(value / 1_000_000).toFixed(1)}M`;
  if (value >= 10_000) return `${Math.round(value / 1000)}K`;
  if (value >= 1000) return `${(value / 1000).toFixed(1)}K`;
  return String(value);
}

function Avatar({ name, hue, size }: { name: string; hue: number; size: "sm" | "md" | "lg" }) {
  const initials = name
    .split(" ")
    .map((part) => part.charAt(0))
    .join("")
    .slice(0, 2);
  return (
    <span
      className={`avatar-circle avatar-${size}`}
      style={{ background: `linear-gradient(135deg, hsl(${hue} 70% 58%), hsl(${(hue + 50) % 360} 70% 42%))` }}
      aria-hidden="true"
    >
      {initials}
    </span>
  );
}

function PostMedia({ media, hue }: { media: Media; hue: number }) {
  if (media === "") return null;
  const a = `hsl(${hue} 70% 60%)`;
  const b = `hsl(${(hue + 40) % 360} 70% 35%)`;
  return (
    <svg className="post-media" viewBox="0 0 600 320" role="img" aria-label="Attached image">
      <rect width="600" height="320" fill={b} />
      {media === "waves" ? (
        <>
          <path d="M0 200 C120 150 240 250 360 200 S600 150 600 150 V320 H0Z" fill={a} opacity="0.7" />
          <path d="M0 250 C150 210 300 290 450 240 S600 230 600 230 V320 H0Z" fill={a} />
          <circle cx="470" cy="90" r="44" fill="#fff6d8" opacity="0.9" />
        </>
      ) : null}
      {media === "sun" ? (
        <>
          <circle cx="300" cy="210" r="120" fill={a} />
          <rect y="210" width="600" height="110" fill="#111" opacity="0.55" />
          <path d="M0 240 L140 170 L260 240 L380 150 L600 250 V320 H0Z" fill="#111" opacity="0.7" />
        </>
      ) : null}
      {media === "grid" ? (
        <>
          {[0, 1, 2, 3, 4, 5].map((index) => (
            <rect
              key={index}
              x={30 + (index % 3) * 190}
              y={30 + Math.floor(index / 3) * 140}
              width="160"
              height="120"
              rx="14"
              fill={index % 2 === 0 ? a : "#ffffff"}
              opacity={index % 2 === 0 ? 0.9 : 0.18}
            />
          ))}
        </>
      ) : null}
    </svg>
  );
}

export default function ProfileApp() {
  const [tab, setTab] = useState<Tab>("posts");
  const [following, setFollowing] = useState(false);
  const [feed, setFeed] = useState<Post[]>(initialPosts);
  const [liked, setLiked] = useState<Record<number, boolean>>({});
  const [reposted, setReposted] = useState<Record<number, boolean>>({});
  const [draft, setDraft] = useState("");

  const shown = feed.filter((post) => {
    if (tab === "posts") return post.replyTo === "";
    if (tab === "replies") return post.replyTo !== "";
    if (tab === "media") return post.media !== "";
    return liked[post.id] ?? false;
  });

  function publish(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = draft.trim();
    if (!text) return;
    const post: Post = {
      id: Date.now(),
      text,
      age: "now",
      replies: 0,
      reposts: 0,
      likes: 0,
      views: "1",
      pinned: false,
      media: "",
      replyTo: "",
    };
    setFeed([post, ...feed]);
    setDraft("");
    setTab("posts");
  }

  return (
    <div className="social">
      <aside className="social-menu" aria-label="Main menu">
        <span className="social-logo" aria-hidden="true">
          {site.brand.charAt(0)}
        </span>
        {menu.map((item) => (
          <a
            key={item.label}
            href="#top"
            className={item.label === "Profile" ? "menu-item menu-item-active" : "menu-item"}
          >
            <Icon name={item.icon} size={24} />
            <span>{item.label}</span>
          </a>
        ))}
        <a className="btn btn-primary menu-post" href="#compose">
          Post
        </a>
      </aside>

      <main className="social-main" id="top">
        <div className="profile-top">
          <strong>{profile.name}</strong>
          <span className="muted">{compact(feed.length + 1200)} posts</span>
        </div>
        <div
          className="banner"
          style={{
            background: `linear-gradient(120deg, hsl(${profile.hue} 75% 55%), hsl(${(profile.hue + 60) % 360} 70% 40%))`,
          }}
        >
          <svg viewBox="0 0 600 200" preserveAspectRatio="none" aria-hidden="true">
            <path d="M0 140 C100 100 200 170 300 130 S500 90 600 120 V200 H0Z" fill="#ffffff" opacity="0.18" />
            <path d="M0 170 C120 140 260 190 380 160 S560 140 600 150 V200 H0Z" fill="#ffffff" opacity="0.22" />
            <circle cx="500" cy="60" r="30" fill="#ffffff" opacity="0.25" />
          </svg>
        </div>
        <section className="profile-head">
          <div className="profile-avatar-row">
            <Avatar name={profile.name} hue={profile.hue} size="lg" />
            <button
              type="button"
              className={following ? "btn btn-ghost follow following" : "btn btn-primary follow"}
              aria-pressed={following}
              onClick={() => setFollowing(!following)}
            >
              {following ? "Following" : "Follow"}
            </button>
          </div>
          <h1 className="profile-name">
            {profile.name}
            <span className="verified" aria-label="Verified">
              &#10003;
            </span>
          </h1>
          <p className="muted">@{profile.handle}</p>
          <p className="profile-bio">{profile.bio}</p>
          <p className="profile-facts muted">
            <span>
              <Icon name="map" size={16} /> {profile.location}
            </span>
            <span>
              <Icon name="globe" size={16} /> <a href="#top">{profile.website}</a>
            </span>
            <span>
              <Icon name="clock" size={16} /> {profile.joined}
            </span>
          </p>
          <p className="profile-counts">
            <span>
              <strong>{compact(profile.following)}</strong> Following
            </span>
            <span>
              <strong>{compact(profile.followers + (following ? 1 : 0))}</strong> Followers
            </span>
          </p>
        </section>

        <nav className="profile-tabs" aria-label="Profile sections">
          {tabs.map((item) => (
            <button
              key={item.id}
              type="button"
              className={tab === item.id ? "profile-tab active" : "profile-tab"}
              onClick={() => setTab(item.id)}
            >
              {item.label}
            </button>
          ))}
        </nav>

        <form className="composer" id="compose" onSubmit={publish}>
          <Avatar name={profile.name} hue={profile.hue} size="md" />
          <textarea
            className="composer-input"
            rows={2}
            maxLength={280}
            placeholder="What is happening?"
            value={draft}
            onChange={(event) => setDraft(event.target.value)}
          />
          <div className="composer-foot">
            <span className="muted">{280 - draft.length}</span>
            <button type="submit" className="btn btn-primary btn-sm" disabled={!draft.trim()}>
              Post
            </button>
          </div>
        </form>

        <ul className="feed">
          {shown.length === 0 ? (
            <li className="feed-empty muted">Nothing here yet.</li>
          ) : null}
          {shown.map((post) => {
            const isLiked = liked[post.id] ?? false;
            const isReposted = reposted[post.id] ?? false;
            return (
              <li key={post.id} className="post">
                <Avatar name={profile.name} hue={profile.hue} size="md" />
                <div className="post-body">
                  {post.pinned ? <p className="post-pinned muted">Pinned</p> : null}
                  <p className="post-head">
                    <strong>{profile.name}</strong>
                    <span className="muted">
                      @{profile.handle} &middot; {post.age}
                    </span>
                  </p>
                  {post.replyTo ? (
                    <p className="muted post-reply">
                      Replying to <a href="#top">@{post.replyTo}</a>
                    </p>
                  ) : null}
                  <p className="post-text">{post.text}</p>
                  <PostMedia media={post.media} hue={profile.hue} />
                  <div className="post-actions">
                    <button type="button" className="action" aria-label="Reply">
                      <Icon name="chat" size={18} /> {compact(post.replies)}
                    </button>
                    <button
                      type="button"
                      className={isReposted ? "action action-repost on" : "action action-repost"}
                      aria-pressed={isReposted}
                      onClick={() => setReposted({ ...reposted, [post.id]: !isReposted })}
                    >
                      <Icon name="repeat" size={18} /> {compact(post.reposts + (isReposted ? 1 : 0))}
                    </button>
                    <button
                      type="button"
                      className={isLiked ? "action action-like on" : "action action-like"}
                      aria-pressed={isLiked}
                      onClick={() => setLiked({ ...liked, [post.id]: !isLiked })}
                    >
                      <Icon name="heart" size={18} /> {compact(post.likes + (isLiked ? 1 : 0))}
                    </button>
                    <span className="action">
                      <Icon name="chart" size={18} /> {post.views}
                    </span>
                  </div>
                </div>
              </li>
            );
          })}
        </ul>
      </main>

      <aside className="social-side" aria-label="Discover">
        <label className="side-search">
          <Icon name="search" size={18} />
          <input type="search" placeholder="Search" aria-label="Search" />
        </label>
        <section className="side-card">
          <h2>Trends for you</h2>
          {trends.map((trend) => (
            <a key={trend.topic} className="trend" href="#top">
              <span className="muted">{trend.category}</span>
              <strong>{trend.topic}</strong>
              <span className="muted">{trend.posts} posts</span>
            </a>
          ))}
        </section>
        <section className="side-card">
          <h2>Who to follow</h2>
          {suggestions.map((person) => (
            <div key={person.handle} className="suggestion">
              <Avatar name={person.name} hue={person.hue} size="sm" />
              <span className="suggestion-name">
                <strong>{person.name}</strong>
                <span className="muted">@{person.handle}</span>
              </span>
              <button type="button" className="btn btn-ghost btn-sm">
                Follow
              </button>
            </div>
          ))}
        </section>
        <p className="side-legal muted">{site.footer}</p>
      </aside>
    </div>
  );
}
