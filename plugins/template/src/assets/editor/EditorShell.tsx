"use client";

import { useState } from "react";
import Icon, { type IconName } from "./Icon";
import type { SourceFile, TreeNode, Workspace } from "../app/data";

type View = "files" | "search" | "git" | "play" | "grid";
type Token = { text: string; kind: string };

const activities: { id: View; icon: IconName; label: string }[] = [
  { id: "files", icon: "files", label: "Explorer" },
  { id: "search", icon: "search", label: "Search" },
  { id: "git", icon: "git", label: "Source Control" },
  { id: "play", icon: "play", label: "Run and Debug" },
  { id: "grid", icon: "grid", label: "Extensions" },
];

const keywords = new Set([
  "import", "from", "export", "default", "function", "return", "const", "let", "var", "if",
  "else", "for", "while", "type", "interface", "async", "await", "new", "class", "extends",
  "true", "false", "null", "undefined", "as", "of", "in", "switch", "case", "break",
]);

const tokenPattern =
  /(\/\/.*$|\/\*.*?\*\/)|("(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`(?:[^`\\]|\\.)*`)|(\b\d+(?:\.\d+)?\b)|([A-Za-z_$][\w$-]*)|(\s+)|(.)/g;

function tokenize(line: string, language: string): Token[] {
  if (language === "markdown") {
    if (line.startsWith("#")) return [{ text: line, kind: "tok-key" }];
    if (line.startsWith("- ")) return [{ text: "- ", kind: "tok-num" }, { text: line.slice(2), kind: "" }];
    return [{ text: line, kind: "" }];
  }
  const tokens: Token[] = [];
  for (const match of line.matchAll(tokenPattern)) {
    const [text, comment, quoted, digits, word] = match;
    let kind = "";
    if (comment) kind = "tok-com";
    else if (quoted) {
      const after = line.slice((match.index ?? 0) + text.length).trimStart();
      kind = language === "json" && after.startsWith(":") ? "tok-type" : "tok-str";
    }
    else if (digits) kind = "tok-num";
    else if (word && keywords.has(word)) kind = "tok-key";
    else if (word && /^[A-Z]/.test(word)) kind = "tok-type";
    else if (word && line.slice((match.index ?? 0) + word.length).startsWith("(")) kind = "tok-fn";
    else if (language === "css" && word && line.includes(":") && line.indexOf(word) < line.indexOf(":")) kind = "tok-prop";
    tokens.push({ text, kind });
  }
  return tokens;
}

function languageLabel(language: string): string {
  const labels: Record<string, string> = {
    typescript: "TypeScript JSX",
    ts: "TypeScript",
    css: "CSS",
    json: "JSON",
    markdown: "Markdown",
  };
  return labels[language] ?? "Plain Text";
}

function fileIcon(name: string): string {
  if (name.endsWith(".tsx") || name.endsWith(".ts")) return "ts";
  if (name.endsWith(".css")) return "css";
  if (name.endsWith(".json")) return "json";
  if (name.endsWith(".md")) return "md";
  return "txt";
}

function Tree({
  nodes,
  depth,
  expanded,
  toggle,
  active,
  openFile,
}: {
  nodes: TreeNode[];
  depth: number;
  expanded: Record<string, boolean>;
  toggle: (path: string) => void;
  active: string;
  openFile: (path: string) => void;
}) {
  return (
    <ul className="tree" role={depth === 0 ? "tree" : "group"}>
      {nodes.map((node) => {
        const isOpen = expanded[node.path] ?? false;
        return (
          <li key={node.path} role="treeitem" aria-expanded={node.kind === "dir" ? isOpen : undefined}>
            <button
              type="button"
              className={node.path === active ? "tree-row tree-row-active" : "tree-row"}
              style={{ paddingLeft: `${0.6 + depth * 0.9}rem` }}
              onClick={() => (node.kind === "dir" ? toggle(node.path) : openFile(node.path))}
            >
              {node.kind === "dir" ? (
                <span className={isOpen ? "chevron chevron-open" : "chevron"} aria-hidden="true">
                  &#8250;
                </span>
              ) : (
                <span className={`file-badge file-${fileIcon(node.name)}`} aria-hidden="true">
                  {fileIcon(node.name)}
                </span>
              )}
              <span>{node.name}</span>
            </button>
            {node.kind === "dir" && isOpen ? (
              <Tree
                nodes={node.children}
                depth={depth + 1}
                expanded={expanded}
                toggle={toggle}
                active={active}
                openFile={openFile}
              />
            ) : null}
          </li>
        );
      })}
    </ul>
  );
}

export default function EditorShell({ workspace }: { workspace: Workspace }) {
  const initialExpanded: Record<string, boolean> = {};
  workspace.tree.forEach((node) => {
    if (node.kind === "dir") initialExpanded[node.path] = true;
  });
  const [view, setView] = useState<View>("files");
  const [expanded, setExpanded] = useState<Record<string, boolean>>(initialExpanded);
  const [tabs, setTabs] = useState<string[]>(workspace.open);
  const [active, setActive] = useState<string>(workspace.open[0] ?? "");
  const [line, setLine] = useState(1);
  const [panel, setPanel] = useState(true);
  const [query, setQuery] = useState("");

  const file: SourceFile | undefined = workspace.files.find((candidate) => candidate.path === active);
  const lines = file ? file.content.split("\n") : [];
  const matches = query.trim()
    ? workspace.files
        .map((candidate) => ({
          path: candidate.path,
          hits: candidate.content.split("\n").filter((text) => text.toLowerCase().includes(query.toLowerCase())),
        }))
        .filter((result) => result.hits.length > 0)
    : [];

  function openFile(path: string) {
    if (!tabs.includes(path)) setTabs([...tabs, path]);
    setActive(path);
    setLine(1);
  }

  function closeTab(path: string) {
    const index = tabs.indexOf(path);
    const rest = tabs.filter((tab) => tab !== path);
    setTabs(rest);
    if (path === active) setActive(rest[Math.max(0, index - 1)] ?? "");
  }

  return (
    <div className="ide">
      <div className="titlebar">
        <span className="window-dots" aria-hidden="true">
          <span />
          <span />
          <span />
        </span>
        <span className="titlebar-menu">File Edit Selection View Go Run Terminal Help</span>
        <span className="titlebar-title">
          {file ? `${file.path.split("/").pop()} - ` : ""}
          {workspace.name}
        </span>
      </div>
      <div className="ide-body">
        <nav className="activitybar" aria-label="Views">
          {activities.map((activity) => (
            <button
              key={activity.id}
              type="button"
              className={view === activity.id ? "activity activity-active" : "activity"}
              aria-label={activity.label}
              title={activity.label}
              onClick={() => setView(activity.id)}
            >
              <Icon name={activity.icon} size={24} />
            </button>
          ))}
          <span className="activity-spacer" />
          <button type="button" className="activity" aria-label="Accounts">
            <Icon name="user" size={24} />
          </button>
        </nav>

        <aside className="sidebar" aria-label="Side bar">
          <p className="sidebar-title">{activities.find((activity) => activity.id === view)?.label}</p>
          {view === "files" ? (
            <>
              <p className="sidebar-section">{workspace.name.toUpperCase()}</p>
              <Tree
                nodes={workspace.tree}
                depth={0}
                expanded={expanded}
                toggle={(path) => setExpanded({ ...expanded, [path]: !expanded[path] })}
                active={active}
                openFile={openFile}
              />
            </>
          ) : null}
          {view === "search" ? (
            <div className="search-view">
              <input
                className="search-input"
                placeholder="Search"
                value={query}
                onChange={(event) => setQuery(event.target.value)}
                aria-label="Search in files"
              />
              {matches.map((result) => (
                <div key={result.path} className="search-result">
                  <button type="button" className="tree-row" onClick={() => openFile(result.path)}>
                    <span className={`file-badge file-${fileIcon(result.path)}`}>{fileIcon(result.path)}</span>
                    <span>{result.path}</span>
                    <span className="hit-count">{result.hits.length}</span>
                  </button>
                  {result.hits.slice(0, 3).map((hit, index) => (
                    <p key={index} className="search-hit">
                      {hit.trim()}
                    </p>
                  ))}
                </div>
              ))}
              {query && matches.length === 0 ? <p className="sidebar-note">No results found.</p> : null}
            </div>
          ) : null}
          {view === "git" ? (
            <div className="sidebar-note">
              <p>
                On branch <strong>{workspace.branch}</strong>
              </p>
              <p>2 files changed. Commit message:</p>
              <input className="search-input" placeholder="Message (Ctrl+Enter to commit)" aria-label="Commit message" />
            </div>
          ) : null}
          {view === "play" || view === "grid" ? (
            <p className="sidebar-note">Nothing to show here yet.</p>
          ) : null}
        </aside>

        <main className="editor-area">
          <div className="tabs" role="tablist">
            {tabs.map((path) => (
              <div key={path} className={path === active ? "tab tab-active" : "tab"} role="tab" aria-selected={path === active}>
                <button type="button" className="tab-label" onClick={() => setActive(path)}>
                  <span className={`file-badge file-${fileIcon(path)}`} aria-hidden="true">
                    {fileIcon(path)}
                  </span>
                  {path.split("/").pop()}
                </button>
                <button type="button" className="tab-close" aria-label={`Close ${path}`} onClick={() => closeTab(path)}>
                  &times;
                </button>
              </div>
            ))}
          </div>
          {file ? (
            <>
              <p className="breadcrumbs">
                {file.path.split("/").map((part, index, parts) => (
                  <span key={index}>
                    {part}
                    {index < parts.length - 1 ? <span className="crumb-sep"> &#8250; </span> : null}
                  </span>
                ))}
              </p>
              <div className="code-wrap">
                <pre className="code" aria-label={`Contents of ${file.path}`}>
                  {lines.map((text, index) => (
                    <div
                      key={index}
                      className={index + 1 === line ? "code-line code-line-current" : "code-line"}
                      onClick={() => setLine(index + 1)}
                    >
                      <span className="gutter">{index + 1}</span>
                      <code>
                        {tokenize(text, file.language).map((token, position) => (
                          <span key={position} className={token.kind || undefined}>
                            {token.text}
                          </span>
                        ))}
                        {text === "" ? " " : null}
                      </code>
                    </div>
                  ))}
                </pre>
                <div className="minimap" aria-hidden="true">
                  {lines.map((text, index) => (
                    <span
                      key={index}
                      style={{ width: `${Math.min(100, text.length * 1.4)}%`, marginLeft: `${(text.length - text.trimStart().length) * 1.4}%` }}
                    />
                  ))}
                </div>
              </div>
            </>
          ) : (
            <div className="editor-empty">
              <Icon name="code" size={64} />
              <p>Open a file from the explorer to start editing.</p>
            </div>
          )}
          {panel ? (
            <section className="panel" aria-label="Terminal">
              <div className="panel-tabs">
                <span>Problems</span>
                <span>Output</span>
                <span className="panel-tab-active">Terminal</span>
                <button type="button" className="tab-close panel-close" aria-label="Close panel" onClick={() => setPanel(false)}>
                  &times;
                </button>
              </div>
              <pre className="terminal">
                {workspace.terminal.map((text, index) => (
                  <div key={index}>{text}</div>
                ))}
                <div>
                  <span className="prompt">&#10140; {workspace.name}</span> <span className="cursor" />
                </div>
              </pre>
            </section>
          ) : null}
        </main>
      </div>
      <footer className="statusbar">
        <span>
          <Icon name="git" size={14} /> {workspace.branch}
        </span>
        <span>&#8635; 0&#8595; 1&#8593;</span>
        <span>&#9888; 0 &nbsp;&#9432; 0</span>
        <button type="button" className="status-button" onClick={() => setPanel(!panel)}>
          {panel ? "Hide terminal" : "Show terminal"}
        </button>
        <span className="status-spacer" />
        {file ? (
          <>
            <span>Ln {line}, Col 1</span>
            <span>Spaces: 2</span>
            <span>UTF-8</span>
            <span>LF</span>
            <span>{languageLabel(file.language)}</span>
          </>
        ) : null}
        <span>
          <Icon name="bell" size={14} />
        </span>
      </footer>
    </div>
  );
}
