"use client";

import { useEffect, useRef, useState, type FormEvent } from "react";
import Icon from "./Icon";
import { site, type ChatMessage, type Contact } from "../app/data";

type Props = { me: string; initialContacts: Contact[]; autoReplies: string[] };
type Filter = "all" | "unread" | "groups";

function Avatar({ name, hue, small }: { name: string; hue: number; small?: boolean }) {
  const initials = name
    .split(" ")
    .map((part) => part.charAt(0))
    .join("")
    .slice(0, 2)
    .toUpperCase();
  return (
    <span
      className={small ? "chat-avatar chat-avatar-sm" : "chat-avatar"}
      style={{ background: `hsl(${hue} 55% 48%)` }}
      aria-hidden="true"
    >
      {initials}
    </span>
  );
}

function Ticks({ status }: { status: ChatMessage["status"] }) {
  return (
    <span className={`ticks ticks-${status}`} aria-label={status}>
      {status === "sent" ? "\u2713" : "\u2713\u2713"}
    </span>
  );
}

function now(): string {
  return new Date().toLocaleTimeString([], { hour: "2-digit", minute: "2-digit" });
}

export default function ChatApp({ me, initialContacts, autoReplies }: Props) {
  const [contacts, setContacts] = useState<Contact[]>(initialContacts);
  const [activeId, setActiveId] = useState<number>(initialContacts[0]?.id ?? 0);
  const [showThread, setShowThread] = useState(false);
  const [query, setQuery] = useState("");
  const [filter, setFilter] = useState<Filter>("all");
  const [draft, setDraft] = useState("");
  const [typing, setTyping] = useState<number | null>(null);
  const endRef = useRef<HTMLDivElement>(null);

  const active = contacts.find((contact) => contact.id === activeId) ?? contacts[0];

  useEffect(() => {
    endRef.current?.scrollIntoView({ block: "end" });
  }, [active?.messages.length, activeId, typing]);

  const shown = contacts
    .filter((contact) => contact.name.toLowerCase().includes(query.trim().toLowerCase()))
    .filter((contact) => (filter === "unread" ? contact.unread > 0 : filter === "groups" ? contact.group : true))
    .sort((a, b) => Number(b.pinned) - Number(a.pinned));

  function open(id: number) {
    setActiveId(id);
    setShowThread(true);
    setContacts((list) => list.map((contact) => (contact.id === id ? { ...contact, unread: 0 } : contact)));
  }

  function update(id: number, change: (contact: Contact) => Contact) {
    setContacts((list) => list.map((contact) => (contact.id === id ? change(contact) : contact)));
  }

  function send(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = draft.trim();
    if (!text || !active) return;
    const id = active.id;
    const message: ChatMessage = { id: Date.now(), from: "me", author: me, text, time: now(), status: "sent" };
    update(id, (contact) => ({ ...contact, messages: [...contact.messages, message] }));
    setDraft("");

    window.setTimeout(() => {
      update(id, (contact) => ({
        ...contact,
        messages: contact.messages.map((m) => (m.id === message.id ? { ...m, status: "delivered" } : m)),
      }));
      setTyping(id);
    }, 700);
    window.setTimeout(() => {
      setTyping(null);
      update(id, (contact) => {
        const reply: ChatMessage = {
          id: Date.now() + 1,
          from: "them",
          author: contact.name,
          text: autoReplies[contact.messages.length % autoReplies.length],
          time: now(),
          status: "read",
        };
        const read = contact.messages.map((m) => (m.from === "me" ? { ...m, status: "read" as const } : m));
        return { ...contact, messages: [...read, reply] };
      });
    }, 2200);
  }

  return (
    <div className={showThread ? "chat chat-thread-open" : "chat"}>
      <aside className="chat-list" aria-label="Chats">
        <header className="chat-list-head">
          <Avatar name={me} hue={200} small />
          <strong className="chat-brand">{site.brand}</strong>
          <button type="button" className="icon-button" aria-label="New chat">
            <Icon name="plus" size={20} />
          </button>
        </header>
        <label className="chat-search">
          <Icon name="search" size={18} />
          <input
            type="search"
            placeholder="Search or start a new chat"
            aria-label="Search chats"
            value={query}
            onChange={(event) => setQuery(event.target.value)}
          />
        </label>
        <div className="chat-filters">
          {(["all", "unread", "groups"] as Filter[]).map((value) => (
            <button
              key={value}
              type="button"
              className="chip"
              aria-pressed={filter === value}
              onClick={() => setFilter(value)}
            >
              {value.charAt(0).toUpperCase() + value.slice(1)}
            </button>
          ))}
        </div>
        <ul className="contacts">
          {shown.map((contact) => {
            const last = contact.messages[contact.messages.length - 1];
            return (
              <li key={contact.id}>
                <button
                  type="button"
                  className={contact.id === active?.id ? "contact contact-active" : "contact"}
                  onClick={() => open(contact.id)}
                >
                  <Avatar name={contact.name} hue={contact.hue} />
                  <span className="contact-main">
                    <span className="contact-top">
                      <strong>{contact.name}</strong>
                      <span className={contact.unread > 0 ? "contact-time unread" : "contact-time"}>
                        {last?.time}
                      </span>
                    </span>
                    <span className="contact-bottom">
                      <span className="contact-preview">
                        {typing === contact.id ? (
                          <em className="typing-text">typing...</em>
                        ) : (
                          <>
                            {last?.from === "me" ? <Ticks status={last.status} /> : null}
                            {contact.group && last?.from === "them" ? `${last.author.split(" ")[0]}: ` : ""}
                            {last?.text}
                          </>
                        )}
                      </span>
                      {contact.unread > 0 ? <span className="unread-badge">{contact.unread}</span> : null}
                      {contact.pinned && contact.unread === 0 ? <span className="pin" aria-label="Pinned">&#9679;</span> : null}
                    </span>
                  </span>
                </button>
              </li>
            );
          })}
          {shown.length === 0 ? <li className="contacts-empty">No chats match.</li> : null}
        </ul>
      </aside>

      {active ? (
        <section className="thread" aria-label={`Conversation with ${active.name}`}>
          <header className="thread-head">
            <button type="button" className="icon-button back" onClick={() => setShowThread(false)} aria-label="Back to chats">
              &larr;
            </button>
            <Avatar name={active.name} hue={active.hue} />
            <span className="thread-who">
              <strong>{active.name}</strong>
              <span className="muted">
                {typing === active.id ? "typing..." : active.group ? active.about : active.online ? "online" : active.lastSeen}
              </span>
            </span>
            <button type="button" className="icon-button" aria-label="Search in chat">
              <Icon name="search" size={20} />
            </button>
          </header>
          <div className="messages">
            <p className="day-divider">
              <span>Today</span>
            </p>
            <p className="encryption-note">Messages are end-to-end encrypted. No one outside this chat can read them.</p>
            {active.messages.map((message) => (
              <div key={message.id} className={message.from === "me" ? "bubble-row mine" : "bubble-row"}>
                <div className="bubble">
                  {active.group && message.from === "them" ? (
                    <span className="bubble-author" style={{ color: `hsl(${(active.hue + message.author.length * 40) % 360} 60% 45%)` }}>
                      {message.author}
                    </span>
                  ) : null}
                  <span className="bubble-text">{message.text}</span>
                  <span className="bubble-meta">
                    {message.time}
                    {message.from === "me" ? <Ticks status={message.status} /> : null}
                  </span>
                </div>
              </div>
            ))}
            {typing === active.id ? (
              <div className="bubble-row">
                <div className="bubble typing-bubble" aria-label="typing">
                  <span />
                  <span />
                  <span />
                </div>
              </div>
            ) : null}
            <div ref={endRef} />
          </div>
          <form className="composer-bar" onSubmit={send}>
            <button type="button" className="icon-button" aria-label="Attach">
              <Icon name="plus" size={22} />
            </button>
            <input
              className="composer-field"
              placeholder="Type a message"
              aria-label="Message"
              value={draft}
              onChange={(event) => setDraft(event.target.value)}
            />
            <button type="submit" className="send-button" aria-label="Send" disabled={!draft.trim()}>
              <svg viewBox="0 0 24 24" width="20" height="20" aria-hidden="true">
                <path d="M3 20.5 21 12 3 3.5 3 10l12 2-12 2z" fill="currentColor" />
              </svg>
            </button>
          </form>
        </section>
      ) : null}
    </div>
  );
}
