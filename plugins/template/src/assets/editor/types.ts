export type TreeNode = { name: string; path: string; kind: "dir" | "file"; children: TreeNode[] };
export type SourceFile = { path: string; language: string; content: string };
export type Workspace = {
  name: string;
  branch: string;
  open: string[];
  tree: TreeNode[];
  files: SourceFile[];
  terminal: string[];
};
