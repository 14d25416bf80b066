"use client";

import { useEffect, useState, type FormEvent } from "react";
import Icon from "./Icon";
import { site, type Category, type Priority, type Task, type TodoInfo } from "../app/data";

type Props = { info: TodoInfo; categories: Category[]; initialTasks: Task[] };
type List = "all" | "today" | "upcoming" | "overdue" | string;
type Status = "all" | "active" | "done";

const DAY = 86_400_000;

function dueLabel(due: number | null): { text: string; tone: string } {
  if (due === null) return { text: "No date", tone: "none" };
  if (due < -1) return { text: `${-due} days overdue`, tone: "late" };
  if (due === -1) return { text: "Yesterday", tone: "late" };
  if (due === 0) return { text: "Today", tone: "today" };
  if (due === 1) return { text: "Tomorrow", tone: "soon" };
  if (due < 7) return { text: `In ${due} days`, tone: "soon" };
  return { text: `In ${Math.round(due / 7)} week${due >= 14 ? "s" : ""}`, tone: "later" };
}

function daysFromToday(value: string): number | null {
  if (!value) return null;
  const [year, month, day] = value.split("-").map(Number);
  const picked = new Date(year, month - 1, day).getTime();
  const now = new Date();
  const today = new Date(now.getFullYear(), now.getMonth(), now.getDate()).getTime();
  return Math.round((picked - today) / DAY);
}

export default function TodoApp({ info, categories, initialTasks }: Props) {
  const [tasks, setTasks] = useState<Task[]>(initialTasks);
  const [list, setList] = useState<List>("all");
  const [status, setStatus] = useState<Status>("all");
  const [dark, setDark] = useState(site.dark);
  const [title, setTitle] = useState("");
  const [category, setCategory] = useState(categories[0]?.id ?? "");
  const [date, setDate] = useState("");
  const [priority, setPriority] = useState<Priority>("normal");

  useEffect(() => {
    const saved = window.localStorage.getItem("theme");
    if (saved === "dark" || saved === "light") setDark(saved === "dark");
  }, []);

  useEffect(() => {
    document.documentElement.dataset.theme = dark ? "dark" : "light";
  }, [dark]);

  function toggleTheme() {
    const next = !dark;
    setDark(next);
    window.localStorage.setItem("theme", next ? "dark" : "light");
  }

  function add(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const text = title.trim();
    if (!text) return;
    const task: Task = { id: Date.now(), title: text, category, due: daysFromToday(date), done: false, priority };
    setTasks([task, ...tasks]);
    setTitle("");
    setDate("");
    setPriority("normal");
  }

  const inList = (task: Task, which: List = list) => {
    if (which === "all") return true;
    if (which === "today") return task.due !== null && task.due <= 0 && !task.done;
    if (which === "upcoming") return task.due !== null && task.due > 0;
    if (which === "overdue") return task.due !== null && task.due < 0 && !task.done;
    return task.category === which;
  };
  const listed = tasks.filter((task) => inList(task));
  const shown = listed
    .filter((task) => (status === "active" ? !task.done : status === "done" ? task.done : true))
    .sort((a, b) => Number(a.done) - Number(b.done) || (a.due ?? 999) - (b.due ?? 999));
  const doneCount = listed.filter((task) => task.done).length;
  const progress = listed.length === 0 ? 0 : Math.round((doneCount / listed.length) * 100);
  const categoryOf = (id: string) => categories.find((item) => item.id === id);

  const smart: { id: List; label: string; icon: "grid" | "sun" | "clock" | "bell" }[] = [
    { id: "all", label: "All tasks", icon: "grid" },
    { id: "today", label: "Today", icon: "sun" },
    { id: "upcoming", label: "Upcoming", icon: "clock" },
    { id: "overdue", label: "Overdue", icon: "bell" },
  ];
  const heading = smart.find((item) => item.id === list)?.label ?? categoryOf(list)?.name ?? "Tasks";

  return (
    <div className="todo">
      <aside className="todo-side">
        <p className="todo-brand">
          <span className="brand-mark">{site.brand.charAt(0)}</span>
          {site.brand}
        </p>
        <nav className="todo-lists" aria-label="Lists">
          {smart.map((item) => (
            <button
              key={item.id}
              type="button"
              className={list === item.id ? "list-item active" : "list-item"}
              onClick={() => setList(item.id)}
            >
              <Icon name={item.icon} size={18} />
              <span>{item.label}</span>
              <span className="list-count">
                {tasks.filter((task) => !task.done && inList(task, item.id)).length}
              </span>
            </button>
          ))}
          <p className="lists-title">Categories</p>
          {categories.map((item) => (
            <button
              key={item.id}
              type="button"
              className={list === item.id ? "list-item active" : "list-item"}
              onClick={() => setList(item.id)}
            >
              <span className="dot" style={{ background: `hsl(${item.hue} 70% 55%)` }} aria-hidden="true" />
              <span>{item.name}</span>
              <span className="list-count">{tasks.filter((task) => task.category === item.id && !task.done).length}</span>
            </button>
          ))}
        </nav>
        <button type="button" role="switch" aria-checked={dark} className="theme-switch" onClick={toggleTheme}>
          <Icon name={dark ? "moon" : "sun"} size={18} />
          <span>Dark mode</span>
          <span className={dark ? "switch-track on" : "switch-track"} aria-hidden="true">
            <span className="switch-thumb" />
          </span>
        </button>
      </aside>

      <main className="todo-main">
        <header className="todo-head">
          <div>
            <p className="muted">Hello, {info.user.split(" ")[0]}</p>
            <h1 className="todo-title">{heading}</h1>
          </div>
          <div className="progress" aria-label={`${progress}% done`}>
            <span className="progress-text">
              {doneCount} of {listed.length} done
            </span>
            <span className="progress-bar">
              <span style={{ width: `${progress}%` }} />
            </span>
          </div>
        </header>

        <form className="add-task card" onSubmit={add}>
          <input
            className="add-title"
            placeholder="Add a task, e.g. Book dentist appointment"
            aria-label="Task title"
            value={title}
            onChange={(event) => setTitle(event.target.value)}
          />
          <div className="add-options">
            <select className="input add-select" aria-label="Category" value={category} onChange={(event) => setCategory(event.target.value)}>
              {categories.map((item) => (
                <option key={item.id} value={item.id}>
                  {item.name}
                </option>
              ))}
            </select>
            <input className="input add-date" type="date" aria-label="Due date" value={date} onChange={(event) => setDate(event.target.value)} />
            <select className="input add-select" aria-label="Priority" value={priority} onChange={(event) => setPriority(event.target.value as Priority)}>
              <option value="high">High priority</option>
              <option value="normal">Normal</option>
              <option value="low">Low</option>
            </select>
            <button type="submit" className="btn btn-primary" disabled={!title.trim()}>
              <Icon name="plus" size={18} /> Add
            </button>
          </div>
        </form>

        <div className="todo-toolbar">
          <div className="segmented-todo" role="radiogroup" aria-label="Show">
            {(["all", "active", "done"] as Status[]).map((value) => (
              <button
                key={value}
                type="button"
                role="radio"
                aria-checked={status === value}
                className={status === value ? "seg active" : "seg"}
                onClick={() => setStatus(value)}
              >
                {value === "all" ? "All" : value === "active" ? "Active" : "Completed"}
              </button>
            ))}
          </div>
          <button
            type="button"
            className="clear-done"
            onClick={() => setTasks(tasks.filter((task) => !(task.done && inList(task))))}
            disabled={doneCount === 0}
          >
            Clear completed
          </button>
        </div>

        <ul className="tasks">
          {shown.map((task) => {
            const label = dueLabel(task.due);
            const cat = categoryOf(task.category);
            return (
              <li key={task.id} className={task.done ? "task task-done" : "task"}>
                <button
                  type="button"
                  role="checkbox"
                  aria-checked={task.done}
                  aria-label={`Mark ${task.title} as ${task.done ? "not done" : "done"}`}
                  className="check"
                  onClick={() => setTasks(tasks.map((item) => (item.id === task.id ? { ...item, done: !item.done } : item)))}
                >
                  {task.done ? <Icon name="check" size={16} /> : null}
                </button>
                <div className="task-body">
                  <span className="task-title">{task.title}</span>
                  <span className="task-meta">
                    {cat ? (
                      <span className="task-cat" style={{ color: `hsl(${cat.hue} 60% 45%)`, background: `hsl(${cat.hue} 70% 55% / 0.14)` }}>
                        {cat.name}
                      </span>
                    ) : null}
                    <span className={`due due-${label.tone}`}>
                      <Icon name="clock" size={14} /> {label.text}
                    </span>
                    {task.priority === "high" ? <span className="priority">High priority</span> : null}
                  </span>
                </div>
                <button
                  type="button"
                  className="delete"
                  aria-label={`Delete ${task.title}`}
                  onClick={() => setTasks(tasks.filter((item) => item.id !== task.id))}
                >
                  <Icon name="trash" size={18} />
                </button>
              </li>
            );
          })}
        </ul>
        {shown.length === 0 ? (
          <div className="todo-empty">
            <Icon name="check" size={40} />
            <p>All clear. Nothing to do here.</p>
          </div>
        ) : null}
        <ul className="todo-tips muted">
          {info.tips.map((tip) => (
            <li key={tip}>{tip}</li>
          ))}
        </ul>
      </main>
    </div>
  );
}
