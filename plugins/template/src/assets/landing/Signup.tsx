"use client";

import { useState, type FormEvent } from "react";

type Props = {
  title: string;
  text: string;
  placeholder: string;
  button: string;
  thanks: string;
};

export default function Signup({ title, text, placeholder, button, thanks }: Props) {
  const [email, setEmail] = useState("");
  const [joined, setJoined] = useState(false);

  function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    if (email.includes("@")) {
      setJoined(true);
    }
  }

  return (
    <div className="signup card">
      <h2 className="signup-title">{title}</h2>
      <p className="muted">{text}</p>
      {joined ? (
        <p className="signup-done" role="status">
          {thanks} <strong>{email}</strong>
        </p>
      ) : (
        <form className="signup-form" onSubmit={submit}>
          <label className="visually-hidden" htmlFor="signup-email">
            Email address
          </label>
          <input
            id="signup-email"
            className="input"
            type="email"
            required
            placeholder={placeholder}
            value={email}
            onChange={(event) => setEmail(event.target.value)}
          />
          <button className="btn btn-primary" type="submit">
            {button}
          </button>
        </form>
      )}
    </div>
  );
}
