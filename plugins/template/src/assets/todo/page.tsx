import TodoApp from "../components/TodoApp";
import { categories, tasks, todo } from "./data";

export default function Home() {
  return <TodoApp info={todo} categories={categories} initialTasks={tasks} />;
}
