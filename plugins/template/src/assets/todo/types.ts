export type Category = { id: string; name: string; hue: number };
export type Priority = "high" | "normal" | "low";
export type Task = {
  id: number;
  title: string;
  category: string;
  /** Days from today; negative is overdue, null is no due date. */
  due: number | null;
  done: boolean;
  priority: Priority;
};
export type TodoInfo = { user: string; tips: string[] };
